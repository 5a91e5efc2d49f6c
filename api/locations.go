package api

import (
	"net/http"

	"github.com/clientele/clientele"
)

func locationInput(in *input) clientele.LocationInput {
	in.readOnly(serverSet...)
	li := clientele.LocationInput{
		Name: in.str("name"), Street: in.str("street"), HouseNumber: in.str("house_number"),
		AddressLine2: in.str("address_line_2"), AddressLine3: in.str("address_line_3"),
		PostalCode: in.str("postal_code"), City: in.str("city"), Region: in.str("region"),
		Country: in.str("country"), Recipient: in.str("recipient"), Email: in.str("email"), Phone: in.str("phone"),
		PhoneSecondary: in.str("phone_secondary"), Fax: in.str("fax"), Notes: in.str("notes"),
		IsPrimary: in.boolean("is_primary"), ClientID: in.rel("client", "clients"),
	}
	li.Rejected = in.problems()
	return li
}

func (s *Server) listLocations(w http.ResponseWriter, r *http.Request, a clientele.Actor) error {
	return s.locationList(w, r, a, 0)
}

// locationList lists locations, of one client when clientID is not 0.
func (s *Server) locationList(w http.ResponseWriter, r *http.Request, a clientele.Actor, clientID int64) error {
	kind := listKind[clientele.LocationQuery]{name: "locations", sorts: clientele.LocationSortFields, filters: locationFilters}
	if clientID != 0 {
		kind.name = "clients/" + idString(clientID) + "/locations"
	}
	return serveList(s, w, r, a, kind, func(p listParams[clientele.LocationQuery]) (clientele.List[clientele.Location], clientele.Related, error) {
		q := p.query
		q.ClientID, q.Sort, q.Page = clientID, p.sort, p.page
		return s.svc.Locations(r.Context(), a, q, p.doc.include)
	}, renderLocation, clientele.LocationPosition)
}
