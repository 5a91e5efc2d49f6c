package clientele

import (
	"sort"
	"strings"
)

// Country is an ISO 3166-1 alpha-2 code with its English short name.
type Country struct {
	Code string
	Name string
}

// ValidCountry reports whether code is an assigned ISO 3166-1 alpha-2 code in
// upper case. "UK" and "XX" are not.
func ValidCountry(code string) bool {
	i := sort.Search(len(Countries), func(i int) bool { return Countries[i].Code >= code })
	return i < len(Countries) && Countries[i].Code == code
}

// normalizeCountry trims and upper-cases a country code.
func normalizeCountry(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

func (ps *Problems) checkCountry(field, v string) {
	if v == "" {
		ps.Add(field, "required", "%s is required", field)
		return
	}
	if !ValidCountry(v) {
		ps.Add(field, "invalid_country", "%s must be an ISO 3166-1 alpha-2 code such as DE or GB", field)
	}
}
