package clientele

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Search: the q parameter of the client and contact lists.
//
// A record's searchable text is a list of tokens that Go computes and the
// engines store (clients.search_text, contacts.search_text: the tokens joined
// by single spaces) and index (SQLite: FTS5; PostgreSQL: a tsvector made of
// exactly these tokens), kept in step on every write. A query is turned into
// terms the same way, and a record matches when every term is a prefix of
// one of its tokens. Both sides are computed here, so that both engines
// match alike whatever their own tokenisers do: the tokens hold only letters
// and digits, which every tokeniser keeps together.
//
// Tokens of a text: Fold it and split it on every character that is neither
// a letter nor a digit (so anna.mueller@firma.de gives anna, mueller, firma
// and de); then, for every run of digits separated only by phone punctuation
// (space + - ( ) . /), the digits from each group's start to the run's end
// (so +1 555-1234 also gives 15551234 and 5551234: a phone number is found
// by its digits, from its start or from any group). Tokens are cut to
// MaxTokenRunes.
//
// Terms of a query: Fold it and split it on white space into words. A word
// made of digits and phone punctuation only is reduced to its digits (one
// term); any other word is split like a text. Every term must match, so
// characters that are neither letters nor digits only separate terms, and
// no character of a query has any other meaning.

// Search limits.
const (
	MinSearchRunes = 2   // q has at least this many characters, trimmed
	MaxSearchRunes = 200 // and at most this many
	MaxTokenRunes  = 60  // tokens and terms are cut to this many characters
)

// RelevanceSort is the pseudo sort field of a searched list without a sort:
// best matches first (see SearchRank), then by id. Its sort value is the
// rank in decimal.
const RelevanceSort = "relevance"

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isPhonePunct(r rune) bool { return strings.ContainsRune(" +-()./", r) }

func cut(s string) string {
	if utf8.RuneCountInString(s) <= MaxTokenRunes {
		return s
	}
	n := 0
	for i := range s {
		if n == MaxTokenRunes {
			return s[:i]
		}
		n++
	}
	return s
}

// searchWords appends the letter-and-digit words of folded s to out.
func searchWords(out []string, folded string) []string {
	for _, w := range strings.FieldsFunc(folded, func(r rune) bool { return !isWordRune(r) }) {
		out = append(out, cut(w))
	}
	return out
}

// digitChains appends, for every run of ASCII digit groups separated only by
// phone punctuation in folded s, the digits from each group's start to the
// run's end, for runs of two groups or more.
func digitChains(out []string, folded string) []string {
	var groups []string // of the current run
	flush := func() {
		for i := 0; len(groups) > 1 && i < len(groups)-1; i++ {
			out = append(out, cut(strings.Join(groups[i:], "")))
		}
		groups = groups[:0]
	}
	inGroup := false
	for _, r := range folded {
		switch {
		case r >= '0' && r <= '9':
			if !inGroup {
				groups = append(groups, "")
				inGroup = true
			}
			groups[len(groups)-1] += string(r)
		case isPhonePunct(r):
			inGroup = false
		default:
			inGroup = false
			flush()
		}
	}
	flush()
	return out
}

// SearchTokens returns the tokens of texts, each token once, in the order
// first seen.
func SearchTokens(texts ...string) []string {
	var out []string
	for _, t := range texts {
		f := Fold(t)
		out = searchWords(out, f)
		out = digitChains(out, f)
	}
	return dedupe(out)
}

func dedupe(s []string) []string {
	seen := make(map[string]bool, len(s))
	out := s[:0]
	for _, v := range s {
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// SearchTerms returns the terms of a query, each once, in the order given.
// A query without letters and digits has no terms and matches nothing.
func SearchTerms(q string) []string {
	var out []string
	for _, w := range strings.Fields(Fold(q)) {
		phone, digits := true, 0
		for _, r := range w {
			switch {
			case r >= '0' && r <= '9':
				digits++
			case !isPhonePunct(r):
				phone = false
			}
		}
		if phone && digits > 0 {
			out = append(out, cut(strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return r
				}
				return -1
			}, w)))
			continue
		}
		out = searchWords(out, w)
	}
	return dedupe(out)
}

// ClientSearchText is the searchable text of a client: its name, e-mail
// addresses, external id, tax and registration data, phone numbers and the
// city of its primary location (c.Address, when it has one).
func ClientSearchText(c Client) string {
	city := ""
	if c.Address != nil {
		city = c.Address.City
	}
	return strings.Join(SearchTokens(c.Name, c.Email, c.BillingEmail, c.ExternalID, c.TaxName, c.TaxNumber,
		c.RegistrationNumber, city, c.Phone, c.PhoneSecondary, c.Mobile, c.Fax), " ")
}

// ContactSearchText is the searchable text of a contact: names, e-mail,
// position and phone numbers.
func ContactSearchText(c Contact) string {
	return strings.Join(SearchTokens(c.FirstName, c.LastName, c.Email, c.Position, c.Phone, c.Mobile, c.Fax), " ")
}

// SearchRank ranks a match of the query whose terms are terms, of a record
// whose searchable text is text (ClientSearchText, ContactSearchText): 0
// when the record's first word (the first word of its name: the name's
// words come first) starts with the first term, else 1 when the first term
// is one of the words, else 2. Lists searched without a sort order by it,
// then by id. It looks at the words alone, so that an engine can tell the
// rank from its search index, in the index's own order (by id), without
// reading the rows.
func SearchRank(terms []string, text string) int {
	switch {
	case len(terms) == 0:
		return 2
	case strings.HasPrefix(text, terms[0]):
		return 0
	case slices.Contains(strings.Fields(text), terms[0]):
		return 1
	}
	return 2
}

// rankValue renders a rank as a sort value.
func rankValue(rank int) string { return strconv.Itoa(rank) }

// ParseRank reads a relevance sort value; ok is false when s is not one.
func ParseRank(s string) (int, bool) {
	switch s {
	case "0", "1", "2":
		return int(s[0] - '0'), true
	}
	return 0, false
}

// SearchEmails splits a query into its e-mail words and the rest. An e-mail
// word has an @ after its first character (anna.kowalska@example.pl,
// anna@): it matches a record with an e-mail address that starts with it,
// case-insensitively, which implies that each of its SearchTerms prefixes a
// token of that address. The engines match an e-mail word through their
// index of e-mail keys (EmailKey), not the search index, where its terms
// are common words of every domain (example, pl). A word that starts with @
// (@example.pl) is not one: it finds a whole domain through the search index.
// emails are EmailKey of the words; rest is the other words, for SearchTerms.
func SearchEmails(q string) (emails []string, rest string) {
	var others []string
	for _, w := range strings.Fields(q) {
		if strings.IndexByte(w, '@') > 0 {
			emails = append(emails, EmailKey(w))
		} else {
			others = append(others, w)
		}
	}
	return emails, strings.Join(others, " ")
}
