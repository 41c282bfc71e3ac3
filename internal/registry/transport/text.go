package transport

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxText is the most of a registry's text that a message quotes, in bytes.
const maxText = 200

// Clean makes text that a registry chose (an error message, a header, a
// platform name) fit for a message: control and format characters (a
// terminal escape, a bidirectional override) become spaces, invalid UTF-8
// becomes U+FFFD, runs of space become one, and the text is cut to at most
// 200 bytes, on a character boundary, with "…" where it was cut.
func Clean(s string) string {
	var b strings.Builder
	space := false
	for i, r := range s {
		if b.Len() >= maxText {
			return strings.TrimRight(b.String(), " ") + "…"
		}
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size <= 1 {
				r = '\uFFFD'
			}
		}
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if b.Len()+utf8.RuneLen(r) > maxText {
			return b.String() + "…"
		}
		b.WriteRune(r)
	}
	return b.String()
}
