package pushtime

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/transport"
)

// MaxAnswerBytes caps one API answer. The largest are GitHub's pages of
// 100 package versions, about 100 KiB.
const MaxAnswerBytes = 4 << 20

// Env is what a reader gets from the registry client.
type Env struct {
	// HTTP is the client's transport: host rules, the request log, the
	// bound on requests in flight, retries and rate limits.
	HTTP http.RoundTripper
	// Log receives the debug log.
	Log transport.LogFunc
	// Credentials returns the registry's own credentials for repo
	// (anonymous when there are none), for the APIs that take them (Docker
	// Hub, Harbor, GitLab), and a key that tells one credential from
	// another.
	Credentials func(ctx context.Context, repo names.Repository) (auth authn.Authenticator, key string, err error)
	// RegistryTransport returns a transport to repo's registry that
	// answers its challenges with the registry's credentials for scope
	// (ACR's metadata_read), and the scheme the registry answers on.
	RegistryTransport func(ctx context.Context, repo names.Repository, scope string) (rt http.RoundTripper, scheme string, err error)
}

// Times holds push times by tag. A tag that the API does not know is
// absent; a time before 2000 (or none) is the zero time: too new for any
// min_age.
type Times map[string]time.Time

// Reader reads push times of one registry's tags through its API.
type Reader interface {
	// Batch is how many tags one Read should be given: 1 for the APIs
	// that answer one tag a request, more for those that answer many.
	Batch() int
	// Read returns the push times of tags of repo that the API knows.
	Read(ctx context.Context, repo names.Repository, tags []string) (Times, error)
}

// New returns the reader of api for registry, nil for TypeNone and TypeGAR
// (whose push times are in the tag list), and for TypeGHCR without a
// token: GitHub's API gives nothing without one.
func New(api API, registry string, env Env) Reader {
	base := api.baseURL(registry)
	c := &client{env: env, api: api.Type, base: base, custom: api.URL != ""}
	switch api.Type {
	case TypeDockerHub:
		return &hub{client: c}
	case TypeQuay:
		return &quay{client: c, token: api.Token}
	case TypeHarbor:
		return &harbor{client: c}
	case TypeACR:
		return &acr{client: c}
	case TypeECR:
		return newECR(c, registry)
	case TypeGitLab:
		return newGitLab(c, api.Token)
	case TypeGHCR:
		token := api.Token
		if token == "" {
			token = os.Getenv("GITHUB_TOKEN")
		}
		if token == "" {
			return nil
		}
		return &ghcr{client: c, token: token}
	}
	return nil
}

// Error is an API read that failed.
type Error struct {
	// API is the API's type; URL its base URL.
	API Type
	URL string
	Err error
}

func (e *Error) Error() string {
	return fmt.Sprintf("the %s at %s: %v", e.API.Title(), e.URL, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// errNotFound is an answer of 404: the API does not know the tag (or the
// repository).
var errNotFound = errors.New("not found")

// client sends an API's requests.
type client struct {
	env  Env
	api  Type
	base string
	// custom is true when registry_api gave the URL.
	custom bool
}

// fail wraps err as an Error of the API.
func (c *client) fail(err error) error {
	if err == nil {
		return nil
	}
	return &Error{API: c.api, URL: c.base, Err: err}
}

// do sends req through rt (the client's transport when nil) and decodes a
// 200 answer's JSON body into v. A 404 is errNotFound; any other status an
// error of its kind (transport.CheckStatus).
func (c *client) do(ctx context.Context, rt http.RoundTripper, newReq func(ctx context.Context) (*http.Request, error), v any) error {
	if rt == nil {
		rt = c.env.HTTP
	}
	ctx = transport.ReadOnly(ctx) // an API read changes nothing: its POSTs are retried like GETs
	return transport.Fetch(ctx, c.env.Log, func() (*http.Response, error) {
		req, err := newReq(ctx)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "application/json")
		return transport.Send(rt, req)
	}, func(resp *http.Response) error {
		if resp.StatusCode == http.StatusNotFound {
			return errNotFound
		}
		if err := transport.CheckStatus(resp, http.StatusOK); err != nil {
			return err
		}
		body, err := transport.Body(resp, MaxAnswerBytes, "the "+c.api.Title()+" answer")
		if err != nil {
			return err
		}
		if err := json.NewDecoder(body).Decode(v); err != nil {
			if transport.IsBodyError(err) {
				return err
			}
			return fmt.Errorf("the answer is not the JSON the API documents: %s", transport.Clean(err.Error()))
		}
		return nil
	})
}

// get GETs u with header (which may hold the API's credentials) and
// decodes the answer into v.
func (c *client) get(ctx context.Context, u string, header http.Header, v any) error {
	return c.do(ctx, nil, request(http.MethodGet, u, header, nil), v)
}

// post POSTs payload as JSON to u with header and decodes the answer into
// v. The APIs' POSTs only read (a query, a login), and are retried as GETs.
func (c *client) post(ctx context.Context, u string, header http.Header, payload, v any) error {
	body, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	return c.do(ctx, nil, request(http.MethodPost, u, header, body), v)
}

// request returns a maker of one request with header and body (JSON, when
// not nil), made anew for each try.
func request(method, u string, header http.Header, body []byte) func(context.Context) (*http.Request, error) {
	return func(ctx context.Context) (*http.Request, error) {
		var r io.Reader
		if body != nil {
			r = bytes.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, method, u, r)
		if err != nil {
			return nil, err
		}
		for k, vs := range header {
			req.Header[k] = vs
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		return req, nil
	}
}

// oneByOne reads tags with one request each: read returns a tag's push
// time and whether the API knows the tag; errNotFound is "does not know".
func (c *client) oneByOne(tags []string, read func(tag string) (time.Time, bool, error)) (Times, error) {
	out := Times{}
	for _, tag := range tags {
		at, known, err := read(tag)
		switch {
		case errors.Is(err, errNotFound):
		case err != nil:
			return nil, c.fail(err)
		case known:
			out[tag] = at
		}
	}
	return out, nil
}

// since2000 returns t, or the zero time when t is before 2000: a
// placeholder, not a push.
func since2000(t time.Time) time.Time {
	if t = t.UTC(); t.Year() < 2000 {
		return time.Time{}
	}
	return t
}

// parseTime parses an RFC 3339 time, the zero time when s is empty, does
// not parse or is before 2000.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return since2000(t)
}
