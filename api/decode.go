package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/clientele/clientele"
)

// MaxBody is the largest JSON request body accepted.
const MaxBody = 1 << 20

// readBody reads a JSON request body: a JSON media type (415), at most
// MaxBody bytes (413), not empty, valid UTF-8 (also in \u escapes), one
// syntactically valid JSON value without duplicate object keys and nothing
// after it (400).
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.ContentLength == 0 && r.Header.Get("Content-Type") == "" {
		return nil, malformed("empty_body", "/", "a JSON document is required")
	}
	if err := checkMediaType(r.Header.Get("Content-Type")); err != nil {
		return nil, err
	}
	if r.ContentLength > MaxBody {
		return nil, tooLarge()
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return nil, tooLarge()
	case err != nil:
		return nil, malformed("unreadable_body", "/", "the request body could not be read")
	case len(bytes.TrimSpace(body)) == 0:
		return nil, malformed("empty_body", "/", "a JSON document is required")
	case !utf8.Valid(body) || hasLoneSurrogate(body):
		return nil, malformed("invalid_utf8", "/", "the request body is not valid UTF-8")
	}
	return body, checkSyntax(body)
}

func tooLarge() error {
	return clientele.Errorf(kindTooLarge, "body_too_large", "", "the request body is larger than %d bytes", MaxBody)
}

// checkMediaType accepts application/vnd.api+json with at most a profile
// parameter (JSON:API 1.1: unknown profiles are ignored, but an ext this
// server does not support must be refused, and it supports none), and
// application/json with at most a UTF-8 charset.
func checkMediaType(header string) error {
	unsupported := clientele.Errorf(kindUnsupportedMedia, "unsupported_media_type", "",
		"send the body as %s or application/json", MediaType)
	mt, params, err := mime.ParseMediaType(header)
	if err != nil {
		return unsupported
	}
	switch mt {
	case MediaType:
		for k := range params {
			if k != "profile" {
				return unsupported
			}
		}
	case "application/json":
		for k, v := range params {
			if k != "charset" || !strings.EqualFold(v, "utf-8") {
				return unsupported
			}
		}
	default:
		return unsupported
	}
	return nil
}

// checkSyntax walks the tokens of body: one JSON value, no duplicate keys in
// any object, nothing but white space after it.
func checkSyntax(body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	type frame struct {
		keys  map[string]bool // nil for an array
		atKey bool            // the next token of an object is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return malformed("invalid_json", "/", "the body is not valid JSON: %v", err)
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{keys: map[string]bool{}, atKey: true})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		default:
			if top != nil && top.keys != nil && top.atKey {
				key := tok.(string) // the decoder only yields strings as keys
				if top.keys[key] {
					return malformed("duplicate_key", "/", "the key %q appears twice in one object", key)
				}
				top.keys[key] = true
				top.atKey = false
				continue
			}
		}
		// A value has ended.
		if len(stack) == 0 {
			if _, err := dec.Token(); err != io.EOF {
				return malformed("trailing_data", "/", "the body holds more than one JSON value")
			}
			return nil
		}
		if top := stack[len(stack)-1]; top.keys != nil {
			top.atKey = true
		}
	}
}

// hasLoneSurrogate reports whether a JSON text holds a \u escape of a UTF-16
// surrogate that is not part of a pair, which encoding/json would silently
// turn into U+FFFD.
func hasLoneSurrogate(body []byte) bool {
	for i := 0; i < len(body); i++ {
		if body[i] != '\\' {
			continue
		}
		i++
		if i >= len(body) || body[i] != 'u' || i+4 >= len(body) {
			continue
		}
		v, err := strconv.ParseUint(string(body[i+1:i+5]), 16, 16)
		if err != nil {
			continue
		}
		switch {
		case v >= 0xDC00 && v <= 0xDFFF:
			return true
		case v >= 0xD800 && v <= 0xDBFF:
			next := body[i+5:]
			if len(next) < 6 || next[0] != '\\' || next[1] != 'u' {
				return true
			}
			lo, err := strconv.ParseUint(string(next[2:6]), 16, 16)
			if err != nil || lo < 0xDC00 || lo > 0xDFFF {
				return true
			}
			i += 10
		default:
			i += 4
		}
	}
	return false
}
