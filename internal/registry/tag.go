package registry

// MaxTagLength is the longest valid tag.
const MaxTagLength = 128

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
