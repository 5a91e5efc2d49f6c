package storetest

import (
	"testing"

	"github.com/clientele/clientele"
)

// testSearchWordsAsGoMakesThem: an engine matches and ranks the words that
// clientele.SearchTokens makes, exactly, for every letter Go knows. Its
// index must not fold or drop what Go keeps: a final sigma that Fold keeps
// (ΝΊΚΟΣ is νίκοσ, νίκος stays νίκος) and letters that other tokenisers drop
// (New Tai Lue vowels). A rank read from an index that tokenised otherwise
// would differ from clientele.SearchRank, which the page's cursor carries,
// and paging by relevance would skip or repeat rows.
func testSearchWordsAsGoMakesThem(t *testing.T, s clientele.Store) {
	tn := newTenant(t, s, "acme")
	id := tn.ID()
	alpha := newClient(t, s, clientele.Client{CompanyID: id, Name: "Alpha Νίκος"})
	capitals := newClient(t, s, clientele.Client{CompanyID: id, Name: "ΝΊΚΟΣ Beta"})
	newClient(t, s, clientele.Client{CompanyID: id, Name: "Gamma"})
	of := listed(t, s, id)
	for _, tc := range []struct {
		search string
		want   []clientele.Client // by relevance
	}{
		{"νίκος", of(alpha)},          // a word of alpha's; capitals' first word is νίκοσ
		{"νίκο", of(capitals, alpha)}, // capitals' first word starts so; a prefix of alpha's second
		{"ΝΊΚΟΣ", of(capitals)},       // νίκοσ
		{"ᦰᦱ", nil},                   // letters to Go: a term that matches no word
		{"alpha ᦰᦱ", nil},
	} {
		clients.searched(t, s, id, tc.search, clientele.ClientQuery{Search: tc.search}, tc.want)
	}
}
