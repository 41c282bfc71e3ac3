package pushapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Server is one emulated API.
type Server struct {
	// URL is the API's base URL, http://127.0.0.1:<port>.
	URL string
	// Requests counts the API requests served (token requests apart).
	Requests atomic.Int64

	mu     sync.Mutex
	pushed map[string]time.Time // by "repository:tag"
	fail   int                  // a status to answer every request with
	auths  []string             // the Authorization headers received
	secret string               // the credential the API wants, "" for none
}

// Push records that repository:tag was pushed at.
func (s *Server) Push(repository, tag string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pushed[repository+":"+tag] = at
}

// Fail makes every request from now on answer with status (0: none).
func (s *Server) Fail(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = status
}

// Require makes the API answer 401 to requests without the Authorization
// header want.
func (s *Server) Require(want string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secret = want
}

// Authorizations returns the Authorization headers the API received.
func (s *Server) Authorizations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.auths...)
}

// lookup returns when repository:tag was pushed.
func (s *Server) lookup(repository, tag string) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	at, ok := s.pushed[repository+":"+tag]
	return at, ok
}

// tagsOf returns the tags of repository and their push times.
func (s *Server) tagsOf(repository string) map[string]time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]time.Time{}
	for k, at := range s.pushed {
		if len(k) > len(repository) && k[:len(repository)+1] == repository+":" {
			out[k[len(repository)+1:]] = at
		}
	}
	return out
}

// admit counts a request and answers it when the API is set to fail or
// the credentials are wrong; it returns false when it answered.
func (s *Server) admit(w http.ResponseWriter, req *http.Request) bool {
	s.Requests.Add(1)
	s.mu.Lock()
	s.auths = append(s.auths, req.Header.Get("Authorization"))
	fail, secret := s.fail, s.secret
	s.mu.Unlock()
	switch {
	case fail == http.StatusTooManyRequests:
		// Docker Hub's API says when to come back as a Unix time
		// (https://docs.docker.com/reference/api/hub/latest/#tag/rate-limiting);
		// an hour away is past any read's timeout.
		w.Header().Set("X-Retry-After", fmt.Sprint(time.Now().Add(time.Hour).Unix()))
		writeJSON(w, fail, map[string]string{"message": "too many requests"})
		return false
	case fail != 0:
		writeJSON(w, fail, map[string]string{"message": http.StatusText(fail)})
		return false
	case secret != "" && req.Header.Get("Authorization") != secret:
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "unauthorized"})
		return false
	}
	return true
}

func newServer(t testing.TB, handler func(s *Server) http.Handler) *Server {
	t.Helper()
	s := &Server{pushed: map[string]time.Time{}}
	srv := httptest.NewServer(handler(s))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
