package transport

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// StatusError is an answer with an HTTP status other than the one asked
// for: the status, and what the registry said of it, shortened, so that no
// error quotes a whole answer (a token server's, or a page of HTML).
type StatusError struct {
	Status int
	// Message is what the registry said: its error messages, or the start
	// of a short plain-text answer; "" when it said nothing usable.
	Message string
	// HTML is true when the answer was an HTML page (a sign-in page, a
	// proxy's error page, an old Nexus's 404).
	HTML bool
	// Numbers holds the numbers in the registry's messages and details, in
	// order, so that a refused page size can be asked again within the
	// registry's own limit.
	Numbers []int
}

// Kind is the kind of its status (StatusKind).
func (e *StatusError) Kind() Kind { return StatusKind(e.Status) }

func (e *StatusError) Error() string {
	if e.Message != "" {
		return "the registry said: " + e.Message
	}
	if e.HTML {
		return "the registry answered with an HTML page"
	}
	return "the registry gave no reason"
}

// MaxErrorBody is the most of an error answer that is read.
const MaxErrorBody = 64 << 10

// CheckStatus returns nil when resp has status want, else a *StatusError
// made from its body (which it reads, at most MaxErrorBody bytes).
func CheckStatus(resp *http.Response, want int) error {
	if resp.StatusCode == want {
		return nil
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, MaxErrorBody))
	return newStatusError(resp.StatusCode, resp.Header.Get("Content-Type"), body)
}

func newStatusError(status int, contentType string, body []byte) *StatusError {
	html := strings.Contains(strings.ToLower(contentType), "html") || bytes.HasPrefix(bytes.TrimSpace(body), []byte("<"))
	if parsed, ok := parseRegistryErrors(body); ok {
		e := parsed.statusError(status)
		e.HTML = html
		return e
	}
	e := &StatusError{Status: status, HTML: html}
	if !html && utf8.Valid(body) {
		e.Message = Clean(string(body))
		e.Numbers = numbersIn(string(body))
	}
	return e
}

// registryErrors is the error body of the distribution API:
// {"errors":[{"code":…,"message":…,"detail":…}]}.
type registryErrors struct {
	Errors []registryError `json:"errors"`
}

type registryError struct {
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Detail  json.RawMessage `json:"detail"`
}

// parseRegistryErrors parses an error body; ok is false when it is not one.
func parseRegistryErrors(body []byte) (registryErrors, bool) {
	var parsed registryErrors
	if json.Unmarshal(body, &parsed) != nil || len(parsed.Errors) == 0 {
		return registryErrors{}, false
	}
	return parsed, true
}

// statusError makes a *StatusError of the errors, for an answer with status.
func (r registryErrors) statusError(status int) *StatusError {
	e := &StatusError{Status: status}
	var parts []string
	for _, d := range r.Errors {
		parts = append(parts, strings.TrimPrefix(strings.TrimSpace(d.Code+": "+d.Message), ": "))
		e.Numbers = append(e.Numbers, numbersIn(d.Message)...)
		e.Numbers = append(e.Numbers, numbersIn(string(d.Detail))...)
	}
	e.Message = Clean(strings.Join(parts, "; "))
	return e
}

// numbersIn returns the decimal numbers in s (at most 16 of them).
func numbersIn(s string) []int {
	var out []int
	for i := 0; i < len(s) && len(out) < 16; {
		if s[i] < '0' || s[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if n, err := strconv.Atoi(s[i:j]); err == nil {
			out = append(out, n)
		}
		i = j
	}
	return out
}
