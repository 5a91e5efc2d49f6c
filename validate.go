package clientele

import (
	"net/mail"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Maximum lengths, in Unicode code points after trimming.
const (
	MaxName       = 200
	MaxExternalID = 100
	MaxEmail      = 254
	MaxPhone      = 50
	MaxURL        = 2048
	MaxNumber     = 50 // tax and registration numbers
	MaxNotes      = 10000
	MaxShort      = 100 // city, region, skype, position, first and last name
	MaxCode       = 20  // house number, postal code
	MinPassword   = 8
	MaxPassword   = 256
)

// setText trims v and stores it in *dst; absent (nil) leaves *dst as it is.
// An empty result means null.
func setText(dst *string, v *string) {
	if v != nil {
		*dst = strings.TrimSpace(*v)
	}
}

// checkText reports NUL bytes, invalid UTF-8 and excess length; it accepts "".
func (ps *Problems) checkText(field, v string, max int) bool {
	switch {
	case !utf8.ValidString(v):
		ps.Add(field, "invalid_utf8", "%s is not valid UTF-8", field)
	case strings.IndexByte(v, 0) >= 0:
		ps.Add(field, "nul_byte", "%s must not contain NUL characters", field)
	case utf8.RuneCountInString(v) > max:
		ps.Add(field, "too_long", "%s must be at most %d characters", field, max)
	default:
		return true
	}
	return false
}

// checkRequired rejects "" (null, or only white space).
func (ps *Problems) checkRequired(field, v string) {
	if v == "" {
		ps.Add(field, "required", "%s is required", field)
	}
}

// checkRequiredText is checkText that also rejects "".
func (ps *Problems) checkRequiredText(field, v string, max int) {
	ps.checkRequired(field, v)
	ps.checkText(field, v, max)
}

func (ps *Problems) checkEmail(field, v string) {
	if v == "" || !ps.checkText(field, v, MaxEmail) {
		return
	}
	if !ValidEmail(v) {
		ps.Add(field, "invalid_email", "%s must be a valid e-mail address", field)
	}
}

// ValidEmail reports whether s is a bare addr-spec (no display name, no
// comments) whose domain has at least two labels.
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], s[at+1:]
	if len(local) > 64 || strings.ContainsAny(s, " \t\r\n\"") {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return false
		}
	}
	return true
}

func (ps *Problems) checkPhone(field, v string) {
	if v == "" || !ps.checkText(field, v, MaxPhone) {
		return
	}
	if !ValidPhone(v) {
		ps.Add(field, "invalid_phone", "%s may hold digits, spaces, + - ( ) . / and ext, with at least 5 digits", field)
	}
}

// ValidPhone reports whether s holds only digits, spaces, "+-()./" and the
// word "ext", with at least five digits.
func ValidPhone(s string) bool {
	digits := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case strings.IndexByte(" +-()./", c) >= 0:
		case (c == 'e' || c == 'E') && i+3 <= len(s) && strings.EqualFold(s[i:i+3], "ext"):
			i += 2
		default:
			return false
		}
	}
	return digits >= 5
}

func (ps *Problems) checkURL(field, v string) {
	if v == "" || !ps.checkText(field, v, MaxURL) {
		return
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" ||
		strings.ContainsAny(v, " \t\r\n") {
		ps.Add(field, "invalid_url", "%s must be an absolute http or https URL", field)
	}
}

func (ps *Problems) checkChoice(field, v string, choices []string) {
	if v == "" || !ps.checkText(field, v, MaxShort) {
		return
	}
	for _, c := range choices {
		if v == c {
			return
		}
	}
	ps.Add(field, "invalid_choice", "%s must be one of %s", field, strings.Join(choices, ", "))
}

// checkDecimal accepts a non-negative decimal with at most 15 integer digits
// and 4 decimals, e.g. "290.0".
func (ps *Problems) checkDecimal(field, v string) {
	if v == "" || !ps.checkText(field, v, 20) {
		return
	}
	intPart, frac, hasDot := strings.Cut(v, ".")
	if !allDigits(intPart, 1, 15) || (hasDot && !allDigits(frac, 1, 4)) {
		ps.Add(field, "invalid_decimal", "%s must be a decimal number ≥ 0 with at most 4 decimals", field)
	}
}

func allDigits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
