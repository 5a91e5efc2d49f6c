package clientele

import (
	"testing"
	"unicode"
)

func TestFold(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Müller", "muller"},
		{"MÜLLER", "muller"},
		{"Łódź", "lodz"},
		{"Straße", "strasse"},
		{"  São   Paulo\t", "sao paulo"},
		{"Ærøskøbing", "aeroskobing"},
		{"Œuvre Ĳssel", "oeuvre ijssel"},
		{"Þór Ðórsson", "thor dorsson"},
		{"Ștefan Țepeș", "stefan tepes"},
		{"İstanbul", "istanbul"},
		{"Ελλάδα", "ελλάδα"}, // non-Latin scripts are lower-cased only
		{"info@Müller.DE", "info@muller.de"},
		{"", ""},
	} {
		if got := Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Every letter of the table folds to its base in both cases: the table's
// keys must be the lower-case forms that Fold looks up.
func TestFoldBothCases(t *testing.T) {
	for r, base := range latinBase {
		for _, in := range []rune{r, unicode.ToUpper(r)} {
			if got := Fold(string(in)); got != base {
				t.Errorf("Fold(%q) = %q, want %q", in, got, base)
			}
		}
	}
}
