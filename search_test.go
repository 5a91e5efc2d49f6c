package clientele

import (
	"slices"
	"strings"
	"testing"
)

func TestSearchTokens(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{[]string{"Müller GmbH"}, "muller gmbh"},
		{[]string{"anna.mueller@firma.de"}, "anna mueller firma de"},
		{[]string{"+1 555-1234"}, "1 555 1234 15551234 5551234"},
		{[]string{"(030) 987 654"}, "030 987 654 030987654 987654"},
		{[]string{"DE-2024-55"}, "de 2024 55 202455"},
		{[]string{"Łódź", "ŁÓDŹ", ""}, "lodz"},
		{[]string{`100% _real\ "deal" a*b:c&d|e!f(g'h`}, "100 real deal a b c d e f g h"},
		{[]string{"日本語 テスト"}, "日本語 テスト"},
		{[]string{strings.Repeat("x", 70)}, strings.Repeat("x", MaxTokenRunes)},
	} {
		if got := strings.Join(SearchTokens(tc.in...), " "); got != tc.want {
			t.Errorf("SearchTokens(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSearchTerms(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"  MÜLLER  gmbh ", []string{"muller", "gmbh"}},
		{"5551234", []string{"5551234"}},
		{"+1 555-1234", []string{"1", "5551234"}},
		{"(030) 98", []string{"030", "98"}},
		{"anna.mueller@fi", []string{"anna", "mueller", "fi"}},
		{"ext-42", []string{"ext", "42"}},
		{`"*:&|!('%_\`, nil},
		{"a a A", []string{"a"}},
	} {
		if got := SearchTerms(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("SearchTerms(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSearchRank(t *testing.T) {
	c := Client{Name: "Alpha Müller", Email: "muller@x.example", Address: &Address{City: "Köln"}}
	for _, tc := range []struct {
		q    string
		want int
	}{
		{"alph", 0}, {"muller", 1}, {"köln", 1}, {"kol", 2}, {"mul alpha", 2}, {"!!", 2},
	} {
		if got := SearchRank(SearchTerms(tc.q), ClientSearchText(c)); got != tc.want {
			t.Errorf("rank of %q = %d, want %d", tc.q, got, tc.want)
		}
	}
	// The first word counts, not the name's first character, and the order
	// of the query's words matters.
	c2 := Client{Name: "(Alpha) Müller"}
	for _, tc := range []struct {
		q    string
		want int
	}{
		{"alpha", 0}, {"muller alpha", 1}, {"mul", 2},
	} {
		if got := SearchRank(SearchTerms(tc.q), ClientSearchText(c2)); got != tc.want {
			t.Errorf("rank of %q in %q = %d, want %d", tc.q, c2.Name, got, tc.want)
		}
	}
	p := ClientPosition(c, []SortKey{{Field: RelevanceSort, Search: "muller"}})
	if !slices.Equal(p.Values, []string{"1"}) {
		t.Errorf("ClientPosition by relevance = %v", p)
	}
}

func TestCheckSearch(t *testing.T) {
	for _, q := range []string{"a", " a ", "ü", strings.Repeat("x", 201), "a\x00b", "a\xffb"} {
		if err := checkList(q, nil, ClientSortFields); KindOf(err) != Malformed {
			t.Errorf("checkList(%q) = %v, want Malformed", q, err)
		}
	}
	if err := checkList("", []SortKey{{Field: RelevanceSort}}, ClientSortFields); err == nil {
		t.Error("relevance without a search is accepted")
	}
	if err := checkList("ab", []SortKey{{Field: RelevanceSort, Search: "ab"}}, ClientSortFields); err != nil {
		t.Error(err)
	}
}

func TestSearchEmails(t *testing.T) {
	for _, tc := range []struct {
		q, rest string
		emails  []string
	}{
		{"Anna.Kowalska@Example.PL", "", []string{"anna.kowalska@example.pl"}},
		{"anna  kowalska@ x", "anna x", []string{"kowalska@"}},
		{"@example.pl anna", "@example.pl anna", nil},
		{"a@b c@d", "", []string{"a@b", "c@d"}},
	} {
		emails, rest := SearchEmails(tc.q)
		if rest != tc.rest || !slices.Equal(emails, tc.emails) {
			t.Errorf("SearchEmails(%q) = %q, %q; want %q, %q", tc.q, emails, rest, tc.emails, tc.rest)
		}
	}
}
