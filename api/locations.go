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

func locationID(l clientele.Location) int64 { return l.ID }

func (s *Server) listLocations(w http.ResponseWriter, r *http.Request, a clientele.Actor) error {
	return s.locationList(w, r, a, 0)
}

// locationList lists locations, of one client when clientID is not 0.
func (s *Server) locationList(w http.ResponseWriter, r *http.Request, a clientele.Actor, clientID int64) error {
	return serveList(w, r, func(p listParams) (clientele.List[clientele.Location], clientele.Related, error) {
		return s.svc.Locations(r.Context(), a, clientele.LocationQuery{ClientID: clientID, IDs: p.ids, Page: p.page}, p.doc.include)
	}, renderLocation, locationID)
}
