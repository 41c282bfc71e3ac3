package registrytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const (
	// tokenService is the service the registry names in its challenge, and
	// the audience of its tokens.
	tokenService = "registrytest"
	// tokenIssuer is the issuer of the tokens, which the registry checks.
	tokenIssuer = "registrytest-token-server"
	// tokenLifetime is the expires_in of every token.
	tokenLifetime = 300 * time.Second
)

// TokenServer hands out bearer tokens for a distribution registry started
// with [WithTokenAuth], speaking Docker's token protocol the way Docker Hub
// and GHCR do:
//
//   - GET <realm>?service=<service>&scope=repository:<name>:<actions>, with
//     HTTP basic auth or none. scope may repeat and may hold several scopes
//     separated by spaces.
//   - POST <realm> with a form (Docker's OAuth2 flavour): grant_type=password
//     with username and password, or grant_type=refresh_token with a
//     refresh_token from [TokenServer.RefreshToken] or from an earlier
//     answer; access_type=offline asks for a refresh token in the answer.
//
// It answers {"token", "access_token", "expires_in": 300, "issued_at"}, the
// token a JWT signed with ES256 whose header carries the signing certificate
// (x5c) that the registry trusts through auth.token.rootcertbundle. Known
// users get every action they ask for; anonymous callers get a token with
// pull access only under [WithAnonymousPull], and with no access at all
// otherwise, so that the registry answers 401 (as Docker Hub does for a
// private repository). Wrong credentials get a 401 from the token server
// itself.
//
// The realm names the host "localhost", not 127.0.0.1:
// go-containerregistry (v0.22.1) refuses a token realm at a loopback or
// private IP address unless it is the registry's own host and port. It is
// http:// for a plain registry and https:// (a certificate from the
// registry's CA) under [WithTLS]: go-containerregistry accepts an http realm
// only from a registry it reached over http.
type TokenServer struct {
	// Realm is the URL of the token endpoint, as the registry's
	// WWW-Authenticate challenge names it.
	Realm string

	// Service is the service name the registry passes to clients, the
	// audience of the tokens.
	Service string

	// Requests counts the token requests the code under test made, whatever
	// their answer. Requests made by this package's helpers (User-Agent
	// "registrytest …") are not counted.
	Requests atomic.Int64

	users         map[string]string
	anonymousPull bool
	key           *ecdsa.PrivateKey
	x5c           string // the signing certificate, base64 DER

	mu      sync.Mutex
	scopes  []string          // the scopes the code under test asked for
	refresh map[string]string // refresh token to user
}

// newTokenServer returns a token server for users, signing with a new key
// whose self-signed certificate (DER) it also returns.
func newTokenServer(users map[string]string, anonymousPull bool) (*TokenServer, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	cert, err := selfSigned("registrytest token signer", key)
	if err != nil {
		return nil, nil, err
	}
	ts := &TokenServer{
		Service:       tokenService,
		users:         users,
		anonymousPull: anonymousPull,
		key:           key,
		x5c:           base64.StdEncoding.EncodeToString(cert),
		refresh:       map[string]string{},
	}
	return ts, cert, nil
}

// RefreshToken returns a new refresh token for user, which the server
// accepts in a POST with grant_type=refresh_token. It is what Docker's
// config file keeps as an identitytoken, and what the provider's token
// argument takes.
func (ts *TokenServer) RefreshToken(user string) string {
	token := "refresh-" + rand.Text()
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.refresh[token] = user
	return token
}

// Scopes returns the scopes the code under test asked for, in the order of
// the requests.
func (ts *TokenServer) Scopes() []string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return slices.Clone(ts.scopes)
}

// errUnauthorized reports credentials the server does not know.
var errUnauthorized = errors.New("unknown user or wrong password")

// ServeHTTP answers a token request.
func (ts *TokenServer) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	fromTest := !strings.HasPrefix(req.UserAgent(), userAgent)
	if fromTest {
		ts.Requests.Add(1)
	}

	var (
		user, service string
		scopes        []string
		offline       bool
		err           error
	)
	switch req.Method {
	case http.MethodGet:
		q := req.URL.Query()
		service = q.Get("service")
		for _, s := range q["scope"] {
			scopes = append(scopes, strings.Fields(s)...)
		}
		if name, password, ok := req.BasicAuth(); ok {
			user, err = ts.authenticate(name, password)
		}
	case http.MethodPost:
		if err := req.ParseForm(); err != nil {
			tokenError(w, http.StatusBadRequest, err.Error())
			return
		}
		service = req.PostForm.Get("service")
		scopes = strings.Fields(req.PostForm.Get("scope"))
		offline = req.PostForm.Get("access_type") == "offline"
		switch grant := req.PostForm.Get("grant_type"); grant {
		case "password":
			user, err = ts.authenticate(req.PostForm.Get("username"), req.PostForm.Get("password"))
		case "refresh_token":
			offline = true
			ts.mu.Lock()
			u, ok := ts.refresh[req.PostForm.Get("refresh_token")]
			ts.mu.Unlock()
			if !ok {
				err = errUnauthorized
			}
			user = u
		default:
			tokenError(w, http.StatusBadRequest, fmt.Sprintf("unsupported grant_type %q", grant))
			return
		}
	default:
		w.Header().Set("Allow", "GET, POST")
		tokenError(w, http.StatusMethodNotAllowed, "GET or POST")
		return
	}
	if fromTest {
		ts.mu.Lock()
		ts.scopes = append(ts.scopes, scopes...)
		ts.mu.Unlock()
	}
	if err != nil {
		tokenError(w, http.StatusUnauthorized, err.Error())
		return
	}
	if service != ts.Service {
		tokenError(w, http.StatusBadRequest, fmt.Sprintf("service %q, want %q", service, ts.Service))
		return
	}

	now := time.Now()
	token, err := ts.sign(user, ts.grant(user, scopes), now)
	if err != nil {
		tokenError(w, http.StatusInternalServerError, err.Error())
		return
	}
	resp := map[string]any{
		"token":        token,
		"access_token": token,
		"expires_in":   int(tokenLifetime.Seconds()),
		"issued_at":    now.UTC().Format(time.RFC3339),
	}
	if offline && user != "" {
		resp["refresh_token"] = ts.RefreshToken(user)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

// authenticate returns user if password is theirs.
func (ts *TokenServer) authenticate(user, password string) (string, error) {
	want, ok := ts.users[user]
	if !ok || subtle.ConstantTimeCompare([]byte(password), []byte(want)) != 1 {
		return "", errUnauthorized
	}
	return user, nil
}

// access is one entry of a token's access claim.
type access struct {
	Type    string   `json:"type"`
	Name    string   `json:"name"`
	Actions []string `json:"actions"`
}

// grant returns the access that user (empty for anonymous) gets of the
// scopes asked for, each "<type>:<name>:<action>,<action>…" (the name may
// itself hold colons, as a registry host with a port does).
func (ts *TokenServer) grant(user string, scopes []string) []access {
	granted := []access{}
	for _, scope := range scopes {
		typ, rest, ok1 := strings.Cut(scope, ":")
		i := strings.LastIndex(rest, ":")
		if !ok1 || i < 0 {
			continue
		}
		name, actions := rest[:i], strings.Split(rest[i+1:], ",")
		if user == "" {
			if !ts.anonymousPull || !slices.Contains(actions, "pull") {
				continue
			}
			actions = []string{"pull"}
		}
		granted = append(granted, access{Type: typ, Name: name, Actions: actions})
	}
	return granted
}

// sign returns a JWT for subject with the access claim, signed with ES256.
func (ts *TokenServer) sign(subject string, granted []access, now time.Time) (string, error) {
	header, err := json.Marshal(map[string]any{
		"alg": "ES256",
		"typ": "JWT",
		"x5c": []string{ts.x5c},
	})
	if err != nil {
		return "", err
	}
	claims, err := json.Marshal(map[string]any{
		"iss":    tokenIssuer,
		"sub":    subject,
		"aud":    ts.Service,
		"exp":    now.Add(tokenLifetime).Unix(),
		"nbf":    now.Add(-time.Minute).Unix(),
		"iat":    now.Unix(),
		"jti":    rand.Text(),
		"access": granted,
	})
	if err != nil {
		return "", err
	}
	b64 := base64.RawURLEncoding.EncodeToString
	signingInput := b64(header) + "." + b64(claims)
	digest := sha256.Sum256([]byte(signingInput))
	der, err := ecdsa.SignASN1(rand.Reader, ts.key, digest[:])
	if err != nil {
		return "", err
	}
	// JWS wants R and S as two 32-byte big-endian numbers, not ASN.1.
	var sig struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(der, &sig); err != nil {
		return "", err
	}
	raw := make([]byte, 64)
	sig.R.FillBytes(raw[:32])
	sig.S.FillBytes(raw[32:])
	return signingInput + "." + b64(raw), nil
}

// tokenError answers with status and a body in the registry's error format.
func tokenError(w http.ResponseWriter, status int, message string) {
	w.Header().Set("Content-Type", "application/json")
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="registrytest token server"`)
	}
	w.WriteHeader(status)
	code := "UNKNOWN"
	switch status {
	case http.StatusUnauthorized:
		code = "UNAUTHORIZED"
	case http.StatusBadRequest, http.StatusMethodNotAllowed:
		code = "UNSUPPORTED"
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]string{{"code": code, "message": message}},
	})
}
