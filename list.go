package clientele

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// SortKey orders a list by one field. Lists always end their order with id
// ascending, so that equal keys never leave the order open.
type SortKey struct {
	Field string
	Desc  bool
	// Search is the query's search text, for the RelevanceSort key only
	// (whose sort values depend on it); "" otherwise.
	Search string
}

// The fields each list can be sorted by.
var (
	ClientSortFields   = []string{"id", "name", "external_id", "created_at", "updated_at"}
	ContactSortFields  = []string{"id", "first_name", "last_name", "name", "email", "created_at", "updated_at"}
	LocationSortFields = []string{"id", "name", "city", "country", "created_at"}
)

// TimeRange bounds a timestamp; both ends are inclusive and a zero end is open.
type TimeRange struct {
	From, To time.Time
}

// IsZero reports whether r bounds nothing.
func (r TimeRange) IsZero() bool { return r.From.IsZero() && r.To.IsZero() }

// Micros returns r at the precision timestamps are stored at: From rounded up
// to the next microsecond and To down, so that a finer bound neither admits
// nor loses a stored instant. Engines compare with what it returns.
func (r TimeRange) Micros() TimeRange {
	out := TimeRange{From: r.From.Truncate(time.Microsecond), To: r.To.Truncate(time.Microsecond)}
	if out.From.Before(r.From) {
		out.From = out.From.Add(time.Microsecond)
	}
	if out.To.IsZero() && !r.To.IsZero() { // the zero time means "open": stay a bound
		out.To = out.To.Add(-time.Microsecond)
	}
	return out
}

// How sort values are compared. Every engine stores and compares exactly
// these values, so that the engines order alike:
//   - name, first_name, last_name, city: Fold of the attribute ("" for null);
//   - email: EmailKey ("" for null);
//   - external_id, country: the attribute as stored ("" for null);
//   - created_at, updated_at: microseconds since the Unix epoch, in decimal;
//   - relevance (RelevanceSort, lists searched without a sort): SearchRank
//     in decimal, ascending: best matches first.
//
// A Position's Values hold one such value per sort key other than id.

// micros renders a timestamp as a sort value.
func micros(t time.Time) string { return strconv.FormatInt(t.UnixMicro(), 10) }

// ParseMicros reads a timestamp sort value; ok is false when s is not one.
func ParseMicros(s string) (time.Time, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.UnixMicro(n).UTC(), true
}

// position returns where a record stands in the order of sort: value gives
// the record's sort value of a field.
func position(id int64, sort []SortKey, value func(field string) string, rank func(terms []string) int) Position {
	p := Position{ID: id}
	for _, k := range sort {
		switch k.Field {
		case "id":
		case RelevanceSort:
			p.Values = append(p.Values, rankValue(rank(SearchTerms(k.Search))))
		default:
			p.Values = append(p.Values, value(k.Field))
		}
	}
	return p
}

// ClientPosition returns where c stands in a list of clients sorted by sort.
func ClientPosition(c Client, sort []SortKey) Position {
	return position(c.ID, sort, func(field string) string {
		switch field {
		case "name":
			return Fold(c.Name)
		case "external_id":
			return c.ExternalID
		case "created_at":
			return micros(c.CreatedAt)
		case "updated_at":
			return micros(c.UpdatedAt)
		}
		return ""
	}, func(terms []string) int { return SearchRank(terms, ClientSearchText(c)) })
}

// ContactPosition returns where c stands in a list of contacts sorted by sort.
func ContactPosition(c Contact, sort []SortKey) Position {
	return position(c.ID, sort, func(field string) string {
		switch field {
		case "first_name":
			return Fold(c.FirstName)
		case "last_name":
			return Fold(c.LastName)
		case "name":
			return Fold(c.Name())
		case "email":
			return EmailKey(c.Email)
		case "created_at":
			return micros(c.CreatedAt)
		case "updated_at":
			return micros(c.UpdatedAt)
		}
		return ""
	}, func(terms []string) int { return SearchRank(terms, ContactSearchText(c)) })
}

// LocationPosition returns where l stands in a list of locations sorted by sort.
func LocationPosition(l Location, sort []SortKey) Position {
	return position(l.ID, sort, func(field string) string {
		switch field {
		case "name":
			return Fold(l.Name)
		case "city":
			return Fold(l.City)
		case "country":
			return l.Country
		case "created_at":
			return micros(l.CreatedAt)
		}
		return ""
	}, func([]string) int { return 2 })
}

// checkSearch rejects a search text that is not 2–200 characters long
// (trimmed), or not UTF-8 text without NUL.
func checkSearch(search string) error {
	if search != "" && !ValidSearch(search) {
		return Errorf(Malformed, "invalid_search", "q", "q must be %d to %d characters of text, without NUL",
			MinSearchRunes, MaxSearchRunes)
	}
	return nil
}

// ValidSearch reports whether s, trimmed, is a search text: valid UTF-8
// without NUL, MinSearchRunes to MaxSearchRunes characters.
func ValidSearch(s string) bool {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 && n >= MinSearchRunes && n <= MaxSearchRunes
}

// checkList checks a list's search and sort: the sort fields of a searched
// list include RelevanceSort.
func checkList(search string, sort []SortKey, fields []string) error {
	if err := checkSearch(search); err != nil {
		return err
	}
	if search != "" {
		fields = append(slices.Clip(fields), RelevanceSort)
	}
	return checkSort(sort, fields)
}

// checkSort rejects sort keys that are not in fields, and keys named twice.
func checkSort(sort []SortKey, fields []string) error {
	seen := map[string]bool{}
	for _, k := range sort {
		if !slices.Contains(fields, k.Field) || seen[k.Field] {
			return Errorf(Malformed, "invalid_sort", "sort", "sort fields are %v, each at most once", fields)
		}
		seen[k.Field] = true
	}
	return nil
}
