package api

import (
	"encoding/json"
	"net/http"

	"github.com/clientele/clientele"
	"github.com/clientele/clientele/imaging"
)

// Upload limits of the files feature (§6), published here so that clients
// can check before they send.
const (
	maxUploadBytes  = 10 << 20
	maxUploadPixels = imaging.MaxPixels
)

type infoCountry struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type infoLimits struct {
	PageSizeDefault int                       `json:"page_size_default"`
	PageSizeMax     int                       `json:"page_size_max"`
	BodyBytes       int                       `json:"body_bytes"`
	UploadBytes     int                       `json:"upload_bytes"`
	UploadPixels    int                       `json:"upload_pixels"`
	PasswordMin     int                       `json:"password_min"`
	PasswordMax     int                       `json:"password_max"`
	Lengths         map[string]map[string]int `json:"lengths"` // type → attribute → most code points
}

type infoAttributes struct {
	ClientTypes []string      `json:"client_types"`
	Genders     []string      `json:"genders"`
	RateTypes   []string      `json:"rate_types"`
	Roles       []string      `json:"roles"`
	Countries   []infoCountry `json:"countries"`
	Limits      infoLimits    `json:"limits"`
}

// infoDocument renders GET /api/v1/info: the options and limits that never
// change while the server runs, so it is built once.
func infoDocument() []byte {
	countries := make([]infoCountry, len(clientele.Countries))
	for i, c := range clientele.Countries {
		countries[i] = infoCountry{c.Code, c.Name}
	}
	const name, short, code, notes = clientele.MaxName, clientele.MaxShort, clientele.MaxCode, clientele.MaxNotes
	const email, phone = clientele.MaxEmail, clientele.MaxPhone
	attrs := infoAttributes{
		ClientTypes: clientele.ClientTypes, Genders: clientele.Genders, RateTypes: clientele.RateTypes,
		Roles: clientele.Roles, Countries: countries,
		Limits: infoLimits{
			PageSizeDefault: clientele.DefaultPageSize, PageSizeMax: clientele.MaxPageSize, BodyBytes: MaxBody,
			UploadBytes: maxUploadBytes, UploadPixels: maxUploadPixels,
			PasswordMin: clientele.MinPassword, PasswordMax: clientele.MaxPassword,
			Lengths: map[string]map[string]int{
				"clients": {"name": name, "external_id": clientele.MaxExternalID, "email": email,
					"billing_email": email, "phone": phone, "phone_secondary": phone, "mobile": phone, "fax": phone,
					"website": clientele.MaxURL, "tax_name": name, "tax_number": clientele.MaxNumber,
					"registration_number": clientele.MaxNumber, "bank_name": name, "notes": notes},
				"locations": {"name": name, "street": name, "house_number": code, "address_line_2": name,
					"address_line_3": name, "postal_code": code, "city": short, "region": short, "recipient": name,
					"email": email, "phone": phone, "phone_secondary": phone, "fax": phone, "notes": notes},
				"contacts": {"first_name": short, "last_name": short, "email": email, "phone": phone,
					"mobile": phone, "fax": phone, "skype": short, "position": short, "notes": notes},
				"users": {"full_name": name, "email": email},
			},
		},
	}
	body, err := json.Marshal(document{Data: resource{Type: "info", ID: "v1", Attributes: attrs,
		Links: links{Self: Base + "/info"}}})
	if err != nil {
		panic(err) // static data: a failure here is a bug found at start-up
	}
	return body
}

func (s *Server) getInfo(w http.ResponseWriter, r *http.Request, _ clientele.Actor) error {
	if err := noQuery(r); err != nil {
		return err
	}
	w.Header().Set("Content-Type", MediaType)
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Write(s.info)
	return nil
}
