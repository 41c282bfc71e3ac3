package registrytest_test

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
)

// manyTags is how many tags the tests push to one repository: more than
// distribution's default page of 1000, so listing them takes two pages.
const manyTags = 1200

func TestInProcess(t *testing.T) {
	t.Parallel()
	r := registrytest.NewInProcess(t)
	exercise(t, r)

	// exercise listed one repository of 1200 tags, in two pages of 1000,
	// and sent HEADs; the helper's own pushes are not counted.
	if got := r.Requests.TagList.Load(); got != 2 {
		t.Errorf("Requests.TagList = %d, want 2", got)
	}
	if got := r.Requests.ManifestHead.Load(); got == 0 {
		t.Error("Requests.ManifestHead = 0, want the HEADs sent by the test")
	}
}

func TestDistribution(t *testing.T) {
	t.Parallel()
	r := registrytest.NewDistribution(t)
	if r.Requests != nil {
		t.Error("Requests is not nil for distribution")
	}
	exercise(t, r)
}

func TestDistributionTLSBasicAuth(t *testing.T) {
	t.Parallel()
	r := registrytest.NewDistribution(t, registrytest.WithTLS(), registrytest.WithBasicAuth("alice", "s3cret"))
	if !strings.HasPrefix(r.URL(), "https://") || r.Username != "alice" || r.Password != "s3cret" {
		t.Errorf("URL %q, credentials %q:%q; want https and alice:s3cret", r.URL(), r.Username, r.Password)
	}
	exercise(t, r)

	// CAFile is the CA the provider's ca_file would name.
	pem, err := os.ReadFile(r.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatalf("%s holds no certificate", r.CAFile)
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	ref := reference(t, r, "team/app", "1.0.0")
	checkAuth(t, ref, tr, []authCase{
		{"anonymous", authn.Anonymous, http.StatusUnauthorized},
		{"wrong password", &authn.Basic{Username: "alice", Password: "wrong"}, http.StatusUnauthorized},
		{"right password", &authn.Basic{Username: "alice", Password: "s3cret"}, http.StatusOK},
	})

	// Without the CA, the certificate is not trusted.
	if _, err := remote.Head(ref, remote.WithAuth(r.Auth()), remote.WithContext(t.Context())); err == nil {
		t.Error("HEAD without the CA succeeded")
	}
}

func TestDistributionTokenAuth(t *testing.T) {
	t.Parallel()
	users := map[string]string{"bob": "pw-bob", "carol": "pw-carol"}
	for _, tc := range []struct {
		name   string
		opts   []registrytest.Option
		scheme string
	}{
		{"http", nil, "http://localhost:"},
		{"https", []registrytest.Option{registrytest.WithTLS()}, "https://localhost:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := registrytest.NewDistribution(t, append(tc.opts, registrytest.WithTokenAuth(users))...)
			if r.Token == nil || !strings.HasPrefix(r.Token.Realm, tc.scheme) || r.Username != "bob" {
				t.Fatalf("Token %+v, Username %q; want a realm at %s and bob", r.Token, r.Username, tc.scheme)
			}
			exercise(t, r)

			// One transport authenticates once for many requests to one
			// repository.
			before := r.Token.Requests.Load()
			puller, err := remote.NewPuller(append(r.RemoteOptions(), remote.WithContext(t.Context()))...)
			if err != nil {
				t.Fatal(err)
			}
			ref := reference(t, r, "team/app", "1.0.0")
			for range 3 {
				if _, err := remote.Head(ref, remote.Reuse(puller)); err != nil {
					t.Fatal(err)
				}
			}
			if got := r.Token.Requests.Load() - before; got != 1 {
				t.Errorf("3 HEADs with one puller made %d token requests, want 1", got)
			}
			if scopes := r.Token.Scopes(); !slices.Contains(scopes, "repository:team/app:pull") {
				t.Errorf("Scopes() = %q, want repository:team/app:pull among them", scopes)
			}

			checkAuth(t, ref, r.Transport(), []authCase{
				{"anonymous", authn.Anonymous, http.StatusUnauthorized},
				{"wrong password", &authn.Basic{Username: "carol", Password: "wrong"}, http.StatusUnauthorized},
				{"other user", &authn.Basic{Username: "carol", Password: "pw-carol"}, http.StatusOK},
				{"refresh token", authn.FromConfig(authn.AuthConfig{IdentityToken: r.Token.RefreshToken("carol")}), http.StatusOK},
				{"unknown refresh token", authn.FromConfig(authn.AuthConfig{IdentityToken: "nope"}), http.StatusUnauthorized},
			})
		})
	}
}

func TestDistributionAnonymousPull(t *testing.T) {
	t.Parallel()
	r := registrytest.NewDistribution(t, registrytest.WithTokenAuth(map[string]string{"bob": "pw"}), registrytest.WithAnonymousPull())
	want := r.PushImage(t, "public/app", "1")

	opts := []remote.Option{remote.WithTransport(r.Transport()), remote.WithContext(t.Context())}
	desc, err := remote.Head(reference(t, r, "public/app", "1"), opts...)
	if err != nil {
		t.Fatalf("anonymous HEAD: %v", err)
	}
	if desc.Digest != want {
		t.Errorf("anonymous HEAD = %s, want %s", desc.Digest, want)
	}
	img, err := remote.Image(reference(t, r, "public/app", "1"), opts...)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(reference(t, r, "public/app", "2"), img, opts...); status(err) != http.StatusUnauthorized {
		t.Errorf("anonymous push: %v, want status 401", err)
	}
}

// TestPagination checks what the package documentation says of tag list
// pages, on both kinds of registry.
func TestPagination(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		start func(t *testing.T) *registrytest.Registry
		first string // the query of the first page, asking for 3 tags
	}{
		{"in-process", func(t *testing.T) *registrytest.Registry { return registrytest.NewInProcess(t) }, "n=3"},
		// An n above maxtags is clamped.
		{"distribution", func(t *testing.T) *registrytest.Registry {
			return registrytest.NewDistribution(t, registrytest.WithMaxTags(3))
		}, "n=100"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := tc.start(t)
			tags := []string{"a", "b", "c", "d", "e", "f"}
			r.PushTags(t, "page/me", tags...)

			for _, page := range []struct {
				query string
				tags  []string
				link  string
			}{
				{"", tags, ""},
				{tc.first, tags[:3], `</v2/page/me/tags/list?last=c&n=3>; rel="next"`},
				// The last full page still has a Link, to an empty page.
				{"last=c&n=3", tags[3:], `</v2/page/me/tags/list?last=f&n=3>; rel="next"`},
				{"last=f&n=3", []string{}, ""},
				{"last=b", tags[2:], ""},
				{"n=0", []string{}, ""},
			} {
				got, link := getTags(t, r, "/v2/page/me/tags/list?"+page.query)
				if !slices.Equal(got, page.tags) || link != page.link {
					t.Errorf("?%s: tags %q, Link %q; want %q, %q", page.query, got, link, page.tags, page.link)
				}
			}

			// go-containerregistry follows the Links.
			listed, err := remote.List(repository(t, r, "page/me"), append(r.RemoteOptions(), remote.WithContext(t.Context()), remote.WithPageSize(2))...)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(listed, tags) {
				t.Errorf("remote.List = %v, want %v", listed, tags)
			}
		})
	}
}

func TestRetag(t *testing.T) {
	t.Parallel()
	r := registrytest.NewInProcess(t)
	want := r.PushImage(t, "team/app", "1.0.0")
	r.Retag(t, "team/app", "1.0.0", "latest")
	if got := head(t, r, "team/app", "latest").Digest; got != want {
		t.Errorf("latest = %s, want %s", got, want)
	}
}

// exercise pushes an image, an index and manyTags tags to r and reads them
// back with go-containerregistry.
func exercise(t *testing.T, r *registrytest.Registry) {
	t.Helper()

	img := r.PushImage(t, "team/app", "1.0.0", registrytest.WithPlatform("linux/arm64/v8"))
	desc := head(t, r, "team/app", "1.0.0")
	if desc.Digest != img {
		t.Errorf("HEAD team/app:1.0.0 = %s, want %s", desc.Digest, img)
	}
	got, err := remote.Image(reference(t, r, "team/app", "1.0.0"), r.RemoteOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := got.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if p := cf.Platform().String(); p != "linux/arm64/v8" {
		t.Errorf("image platform = %q, want linux/arm64/v8", p)
	}

	platforms := []string{"linux/amd64", "linux/arm64/v8", "linux/arm/v7"}
	index, perPlatform := r.PushIndex(t, "team/multi", "2.0", platforms...)
	if got := head(t, r, "team/multi", "2.0").Digest; got != index {
		t.Errorf("HEAD team/multi:2.0 = %s, want %s", got, index)
	}
	idx, err := remote.Index(reference(t, r, "team/multi", "2.0"), r.RemoteOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Manifests) != len(platforms) {
		t.Fatalf("index has %d manifests, want %d", len(im.Manifests), len(platforms))
	}
	for i, m := range im.Manifests {
		if m.Platform == nil || m.Platform.String() != platforms[i] || m.Digest != perPlatform[platforms[i]] {
			t.Errorf("index manifest %d = %v %s, want %s %s", i, m.Platform, m.Digest, platforms[i], perPlatform[platforms[i]])
		}
	}

	tags := make([]string, manyTags)
	for i := range tags {
		tags[i] = fmt.Sprintf("1.%d.%d", i/50, i%50)
	}
	digests := r.PushTags(t, "team/many", tags...)
	want := slices.Sorted(slices.Values(tags))
	listOpts := append(r.RemoteOptions(), remote.WithContext(t.Context()))
	if r.CertPool != nil {
		// go-containerregistry takes a loopback registry for a plain HTTP
		// one and refuses to follow an https Link from it, so list in one
		// page (no n) and check the Link by hand.
		listOpts = append(listOpts, remote.WithPageSize(0))
		got, link := getTags(t, r, "/v2/team/many/tags/list?n=1000")
		if wantLink := `</v2/team/many/tags/list?last=` + want[999] + `&n=1000>; rel="next"`; len(got) != 1000 || link != wantLink {
			t.Errorf("first page: %d tags, Link %q; want 1000 and %q", len(got), link, wantLink)
		}
	}
	listed, err := remote.List(repository(t, r, "team/many"), listOpts...)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(listed, want) {
		t.Errorf("remote.List returned %d tags, want the %d pushed", len(listed), len(want))
	}
	distinct := map[v1.Hash]bool{}
	for _, d := range digests {
		distinct[d] = true
	}
	if len(distinct) != manyTags {
		t.Errorf("PushTags returned %d distinct digests, want %d", len(distinct), manyTags)
	}
	for _, tag := range []string{tags[0], tags[1], tags[manyTags/2], tags[manyTags-1]} {
		if got := head(t, r, "team/many", tag).Digest; got != digests[tag] {
			t.Errorf("HEAD team/many:%s = %s, want %s", tag, got, digests[tag])
		}
	}
}

func head(t *testing.T, r *registrytest.Registry, repo, tag string) *v1.Descriptor {
	t.Helper()
	desc, err := remote.Head(reference(t, r, repo, tag), append(r.RemoteOptions(), remote.WithContext(t.Context()))...)
	if err != nil {
		t.Fatal(err)
	}
	return desc
}

func reference(t *testing.T, r *registrytest.Registry, repo, tag string) name.Tag {
	t.Helper()
	ref, err := name.NewTag(r.Host + "/" + repo + ":" + tag)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func repository(t *testing.T, r *registrytest.Registry, repo string) name.Repository {
	t.Helper()
	ref, err := name.NewRepository(r.Host + "/" + repo)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// getTags sends a GET to the registry's path and returns the tags and the
// Link header of the answer.
func getTags(t *testing.T, r *registrytest.Registry, path string) (tags []string, link string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, r.URL()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Token != nil {
		// Do the token dance by hand: a pull token for the repository.
		repo := strings.TrimSuffix(strings.TrimPrefix(req.URL.Path, "/v2/"), "/tags/list")
		tokenURL := r.Token.Realm + "?" + url.Values{"service": {r.Token.Service}, "scope": {"repository:" + repo + ":pull"}}.Encode()
		treq, err := http.NewRequestWithContext(t.Context(), http.MethodGet, tokenURL, nil)
		if err != nil {
			t.Fatal(err)
		}
		treq.SetBasicAuth(r.Username, r.Password)
		tresp, err := (&http.Client{Transport: r.Transport()}).Do(treq)
		if err != nil {
			t.Fatal(err)
		}
		defer tresp.Body.Close()
		var token struct {
			Token string `json:"token"`
		}
		if err := json.NewDecoder(tresp.Body).Decode(&token); err != nil || tresp.StatusCode != http.StatusOK {
			t.Fatalf("token: %s, %v", tresp.Status, err)
		}
		req.Header.Set("Authorization", "Bearer "+token.Token)
	} else if r.Username != "" {
		req.SetBasicAuth(r.Username, r.Password)
	}
	resp, err := (&http.Client{Transport: r.Transport()}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", path, resp.Status)
	}
	var body struct {
		Tags []string `json:"tags"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return body.Tags, resp.Header.Get("Link")
}

// authCase is a set of credentials, and the status that a HEAD with them
// must get.
type authCase struct {
	name string
	auth authn.Authenticator
	want int
}

// checkAuth sends a HEAD of ref through tr with the credentials of each
// case, and checks its status.
func checkAuth(t *testing.T, ref name.Tag, tr http.RoundTripper, cases []authCase) {
	t.Helper()
	for _, tc := range cases {
		_, err := remote.Head(ref, remote.WithTransport(tr), remote.WithAuth(tc.auth), remote.WithContext(t.Context()))
		if got := status(err); got != tc.want {
			t.Errorf("%s: HEAD %s: %v, want status %d", tc.name, ref, err, tc.want)
		}
	}
}

// status returns the HTTP status of a go-containerregistry error, 200 for
// no error and 0 for an error without one.
func status(err error) int {
	if err == nil {
		return http.StatusOK
	}
	var terr *transport.Error
	if errors.As(err, &terr) {
		return terr.StatusCode
	}
	return 0
}
