package clientele

import (
	"strings"
	"unicode"
)

// Fold returns s in the form in which names, cities and e-mail addresses are
// compared, sorted and searched: lower case, with the diacritics of Latin
// letters removed (Müller → muller, Łódź → lodz, Straße → strasse) and runs
// of white space made one space. Every engine stores what Fold returns, so
// that ordering and matching never depend on a database's collation.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range strings.TrimSpace(s) {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		r = unicode.ToLower(r)
		if r < 0x80 {
			b.WriteRune(r)
		} else if base, ok := latinBase[r]; ok {
			b.WriteString(base)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// latinBase maps lower-case Latin letters with diacritics (Latin-1
// Supplement, Latin Extended-A and the common ones of Extended-B) and the
// ligatures to their base letters.
var latinBase = func() map[rune]string {
	pairs := []string{
		"àa", "áa", "âa", "ãa", "äa", "åa", "āa", "ăa", "ąa", "ǎa", "ǻa", "æae",
		"çc", "ćc", "ĉc", "ċc", "čc", "ďd", "đd", "ðd",
		"èe", "ée", "êe", "ëe", "ēe", "ĕe", "ėe", "ęe", "ěe",
		"ĝg", "ğg", "ġg", "ģg", "ĥh", "ħh",
		"ìi", "íi", "îi", "ïi", "ĩi", "īi", "ĭi", "įi", "ıi", "ǐi", "ĳij", "ĵj", "ķk", "ĸk",
		"ĺl", "ļl", "ľl", "ŀl", "łl", "ñn", "ńn", "ņn", "ňn", "ŉn", "ŋn",
		"òo", "óo", "ôo", "õo", "öo", "øo", "ōo", "ŏo", "őo", "ǒo", "ơo", "œoe",
		"ŕr", "ŗr", "řr", "śs", "ŝs", "şs", "šs", "șs", "ſs", "ßss",
		"ţt", "ťt", "ŧt", "țt", "þth",
		"ùu", "úu", "ûu", "üu", "ũu", "ūu", "ŭu", "ůu", "űu", "ųu", "ǔu", "ưu",
		"ŵw", "ýy", "ÿy", "ŷy", "źz", "żz", "žz",
	}
	m := make(map[rune]string, len(pairs))
	for _, p := range pairs {
		r := []rune(p)
		m[r[0]] = string(r[1:])
	}
	return m
}()
