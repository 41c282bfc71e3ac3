package transport

import "strings"

// challenge is one authentication challenge of a WWW-Authenticate header:
// its scheme, lower-cased ("bearer", "basic"), and its parameters, whose
// names are lower-cased ("realm", "service", "scope").
type challenge struct {
	scheme string
	params map[string]string
}

// Bounds on what one answer's challenges may hold; past them the rest is
// ignored. The header itself is bounded by the transport (maxHeaderBytes).
const (
	maxChallenges      = 8
	maxChallengeParams = 16
)

// parseChallenges parses WWW-Authenticate header values (RFC 9110 section
// 11.6.1) in one pass, so that a hostile header costs time linear in its
// length. A header may hold several challenges, as Forgejo sends
// `Bearer realm="…",service="…", Basic realm="…"` (renovatebot/renovate#41813).
// A malformed remainder is ignored; what was parsed before it is kept.
func parseChallenges(values []string) []challenge {
	var out []challenge
	for _, v := range values {
		p := challengeParser{s: v}
		for len(out) < maxChallenges {
			ch, ok := p.challenge()
			if !ok {
				break
			}
			out = append(out, ch)
		}
	}
	return out
}

type challengeParser struct {
	s string
	i int
}

func (p *challengeParser) challenge() (challenge, bool) {
	p.skip(" \t,")
	scheme := p.token()
	if scheme == "" {
		return challenge{}, false
	}
	ch := challenge{scheme: strings.ToLower(scheme), params: map[string]string{}}
	for len(ch.params) < maxChallengeParams {
		p.skip(" \t")
		start := p.i
		key := p.token()
		p.skip(" \t")
		if key == "" || !p.consume('=') {
			// Not a parameter: the start of the next challenge (or a
			// token68, which registries do not send in challenges).
			p.i = start
			break
		}
		p.skip(" \t")
		ch.params[strings.ToLower(key)] = p.value()
		p.skip(" \t")
		if !p.consume(',') {
			break
		}
	}
	return ch, true
}

// token reads an RFC 9110 token.
func (p *challengeParser) token() string {
	start := p.i
	for p.i < len(p.s) && isTokenChar(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

// value reads a quoted string (with backslash escapes) or a token.
func (p *challengeParser) value() string {
	if !p.consume('"') {
		return p.token()
	}
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		p.i++
		switch {
		case c == '"':
			return b.String()
		case c == '\\' && p.i < len(p.s):
			b.WriteByte(p.s[p.i])
			p.i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String() // an unterminated string runs to the end
}

func (p *challengeParser) skip(chars string) {
	for p.i < len(p.s) && strings.IndexByte(chars, p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *challengeParser) consume(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func isTokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// pickChallenge chooses the challenge to answer: Bearer with a realm, else
// Basic; ok is false when the registry asked for neither.
func pickChallenge(chs []challenge) (challenge, bool) {
	for _, ch := range chs {
		if ch.scheme == "bearer" && ch.params["realm"] != "" {
			return ch, true
		}
	}
	for _, ch := range chs {
		if ch.scheme == "basic" {
			return ch, true
		}
	}
	return challenge{}, false
}
