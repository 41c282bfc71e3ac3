package registry

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/pushtime"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/transport"
)

// ErrNoPushTimeAPI is PushTime's error for a registry with no push-time API.
var ErrNoPushTimeAPI = errors.New("no push-time API")

// PushAPI returns the push-time API of repo's registry: the one the
// options configure for its host, else the known host's (pushtime.Known).
func (c *Client) PushAPI(repo names.Repository) pushtime.API {
	if api, ok := c.apis[repo.Registry]; ok {
		return api
	}
	return pushtime.Known(repo.Registry)
}

// scopedAuth is a transport to a registry with its credentials for one
// scope, and the scheme the registry answers on.
type scopedAuth struct {
	rt     *transport.Auth
	scheme string
}

// pushed is one tag's push time as its API reported it.
type pushed struct {
	at    time.Time
	known bool // false when the API does not know the tag
}

// PushTime returns when repo's registry received tag: from the tag list
// for a Google registry, else from the registry's API, once per run. next
// are the candidates after tag, newest first: an API that answers for
// many tags a request (ECR, GitHub) is asked for them in the same request.
// known is false when the API does not know the tag; at is zero when the
// time is missing or before 2000. A registry without an API (or GHCR
// without a token) gives ErrNoPushTimeAPI.
func (c *Client) PushTime(ctx context.Context, repo names.Repository, list *TagList, tag string, next []string) (at time.Time, known bool, err error) {
	api := c.PushAPI(repo)
	if api.Type == pushtime.TypeGAR {
		if list.Pushed == nil {
			return time.Time{}, false, ErrNoPushTimeAPI
		}
		at, known = list.Pushed[tag]
		return at, known, nil
	}
	r := c.pushReader(repo.Registry, api)
	if r == nil {
		return time.Time{}, false, ErrNoPushTimeAPI
	}
	key := func(t string) string { return repo.Key() + ":" + t }
	p, _, err := c.pushed.Get(ctx, key(tag), func(ctx context.Context) (pushed, error) {
		batch := []string{tag}
		for _, t := range next {
			if len(batch) >= r.Batch() {
				break
			}
			if _, ok := c.pushed.Peek(key(t)); !ok {
				batch = append(batch, t)
			}
		}
		times, err := r.Read(ctx, repo, batch)
		if err != nil {
			return pushed{}, err
		}
		c.log(ctx, "read push times", map[string]any{"image": repo.Name, "api": string(api.Type), "tags": len(batch), "known": len(times)})
		for _, t := range batch[1:] {
			at, ok := times[t]
			c.pushed.Set(key(t), pushed{at: at, known: ok})
		}
		at, ok := times[tag]
		return pushed{at: at, known: ok}, nil
	})
	return p.at, p.known, err
}

// pushReader returns the reader of a registry's API, made once per run;
// nil when there is none to read.
func (c *Client) pushReader(host string, api pushtime.API) pushtime.Reader {
	c.readersMu.Lock()
	defer c.readersMu.Unlock()
	if r, ok := c.readers[host]; ok {
		return r
	}
	r := pushtime.New(api, host, pushtime.Env{
		HTTP: c.transport,
		Log:  c.log,
		Credentials: func(ctx context.Context, repo names.Repository) (authn.Authenticator, string, error) {
			key := c.keychain.Key(repo)
			auth, _, err := c.keychain.Resolve(ctx, key, repo)
			if err != nil {
				return nil, "", &CredentialError{Err: err}
			}
			return auth, key, nil
		},
		RegistryTransport: func(ctx context.Context, repo names.Repository, scope string) (http.RoundTripper, string, error) {
			// One token per repository and scope a run, as for sessions.
			a, _, err := c.scoped.Get(ctx, repo.Key()+"|"+scope, func(ctx context.Context) (scopedAuth, error) {
				rt, p, err := c.authTransport(ctx, repo, scope)
				return scopedAuth{rt: rt, scheme: p.Scheme}, err
			})
			return a.rt, a.scheme, err
		},
	})
	c.readers[host] = r
	return r
}

// authTransport returns a transport to repo's registry with its
// credentials for scope (a session's is the pull scope), and the
// registry's ping. When the registry asks for credentials, they are looked
// up now and the first token got, so that a failure is this read's error.
func (c *Client) authTransport(ctx context.Context, repo names.Repository, scope string) (*transport.Auth, transport.Pinged, error) {
	p, err := c.transport.Ping(ctx, repo.Registry)
	if err != nil {
		return nil, p, err
	}
	key := c.keychain.Key(repo)
	rt := transport.NewAuth(c.transport, repo.Registry, p, scope, func(ctx context.Context) (authn.Authenticator, error) {
		auth, _, err := c.keychain.Resolve(ctx, key, repo)
		if err != nil {
			return nil, &CredentialError{Err: err}
		}
		return auth, nil
	})
	if p.AsksForCredentials() {
		if err := rt.Refresh(ctx, 0); err != nil {
			return nil, p, err
		}
	}
	return rt, p, nil
}
