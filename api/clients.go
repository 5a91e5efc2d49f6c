package api

import (
	"net/http"

	"github.com/clientele/clientele"
)

// serverSet are the attributes no request may write.
var serverSet = []string{"id", "company_id", "created_at", "updated_at"}

func clientInput(in *input) clientele.ClientInput {
	in.readOnly(append(serverSet, "logo")...)
	in.readOnlyRels("contacts", "locations", "main_contact")
	ci := clientele.ClientInput{
		Name: in.str("name"), ExternalID: in.str("external_id"), Types: in.strings("types"),
		Email: in.str("email"), BillingEmail: in.str("billing_email"), Phone: in.str("phone"),
		PhoneSecondary: in.str("phone_secondary"), Mobile: in.str("mobile"), Fax: in.str("fax"),
		Website: in.str("website"), TaxName: in.str("tax_name"), TaxNumber: in.str("tax_number"),
		RegistrationNumber: in.str("registration_number"), BankName: in.str("bank_name"), IBAN: in.str("iban"),
		Notes: in.str("notes"), DefaultRate: in.str("default_rate"), DefaultRateType: in.str("default_rate_type"),
		InvoiceReminders: in.boolean("invoice_reminders"), ShowLocationOnInvoice: in.boolean("show_location_on_invoice"),
		OwnerID: in.rel("owner", "users"), SalespersonID: in.rel("salesperson", "users"),
		CaseManagerID: in.rel("case_manager", "users"),
	}
	if obj, ok := in.object("address", addressMembers); ok && obj == nil {
		ci.ClearAddress = true
	} else if ok {
		ci.Address = &clientele.Address{Street: obj["street"], HouseNumber: obj["house_number"],
			AddressLine2: obj["address_line_2"], AddressLine3: obj["address_line_3"], PostalCode: obj["postal_code"],
			City: obj["city"], Region: obj["region"], Country: obj["country"], Recipient: obj["recipient"]}
	}
	ci.Rejected = in.problems()
	return ci
}

var clientList = listKind[clientele.ClientQuery]{name: "clients", sorts: clientele.ClientSortFields, filters: clientFilters,
	search: func(q *clientele.ClientQuery, s string) { q.Search = s }}

func (s *Server) listClients(w http.ResponseWriter, r *http.Request, a clientele.Actor) error {
	return serveList(s, w, r, a, clientList, func(p listParams[clientele.ClientQuery]) (clientele.List[clientele.Client], clientele.Related, error) {
		q := p.query
		q.Sort, q.Page = p.sort, p.page
		return s.svc.Clients(r.Context(), a, q, p.doc.include)
	}, renderClient, clientele.ClientPosition)
}

func (s *Server) listClientContacts(w http.ResponseWriter, r *http.Request, a clientele.Actor) error {
	id, err := pathID(r, "client")
	if err != nil {
		return err
	}
	return s.contactList(w, r, a, id)
}

func (s *Server) listClientLocations(w http.ResponseWriter, r *http.Request, a clientele.Actor) error {
	id, err := pathID(r, "client")
	if err != nil {
		return err
	}
	return s.locationList(w, r, a, id)
}
