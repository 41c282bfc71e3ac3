package names

import "fmt"

// MaxTagLength is the longest valid tag.
const MaxTagLength = 128

// tagRule says what a valid tag is, for the errors that name one that is not.
const tagRule = "up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'"

// CheckTag returns an error that names the tag, as what (such as "tag"),
// when it is not a valid tag; nil otherwise.
func CheckTag(what, tag string) error {
	if !ValidTag(tag) {
		return fmt.Errorf("%s %q is not a valid tag: %s", what, tag, tagRule)
	}
	return nil
}

// ValidTag reports whether s is a tag as the OCI distribution specification
// defines it: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}. A registry may list
// anything; only valid tags are ever used in a URL, the state or a message.
func ValidTag(s string) bool {
	if s == "" || len(s) > MaxTagLength || s[0] == '.' || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_', c == '.', c == '-':
		default:
			return false
		}
	}
	return true
}
