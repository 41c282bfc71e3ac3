package registry

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/faults"
)

// TestDigestQuirks: each way a registry fails a HEAD that GET would answer
// costs one GET, and gives the digest of the manifest bytes.
func TestDigestQuirks(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	want := reg.PushImage(t, "team/app", "1.0").String()
	for _, tt := range []struct {
		name      string
		fault     *faults.Fault
		head, get int64
	}{
		{"well-behaved", nil, 1, 0},
		{"HEAD answered 405", ptr(faults.QuirkHeadRefused()), 1, 1},
		{"HEAD answered with an HTML 404", ptr(faults.QuirkHeadHTMLNotFound()), 1, 1},
		{"no Docker-Content-Digest", ptr(faults.QuirkNoDigestHeader()), 1, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			proxy := faults.NewFaultProxy(t, reg)
			if tt.fault != nil {
				proxy.Inject(*tt.fault)
			}
			got, err := newClient(t).Digest(t.Context(), mustImage(t, proxy.Host+"/team/app"), "1.0")
			if err != nil {
				t.Fatal(err)
			}
			if got.Digest != want {
				t.Errorf("digest = %s, want %s", got.Digest, want)
			}
			if got, want := proxy.Requests.Snapshot(), (registrytest.Counts{Ping: 1, ManifestHead: tt.head, ManifestGet: tt.get}); got != want {
				t.Errorf("requests = %+v, want %+v", got, want)
			}
		})
	}
}

// TestDigestOfAMissingTagIsNotFound: a JSON 404 to HEAD is the answer; it
// is not asked again with GET.
func TestDigestOfAMissingTagIsNotFound(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	reg.PushImage(t, "team/app", "1.0")
	_, err := newClient(t).Digest(t.Context(), mustImage(t, reg.Host+"/team/app"), "2.0")
	var e *Error
	if !errors.As(err, &e) || e.Status != http.StatusNotFound {
		t.Fatalf("Digest = %v, want a 404", err)
	}
	if g := reg.Requests.ManifestGet.Load(); g != 0 {
		t.Errorf("GET %d, want 0", g)
	}
}

// TestInvalidTagNeverSent: a tag that is not a valid tag never reaches a
// URL: `?`, `#` and `/../` would change the request.
func TestInvalidTagNeverSent(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	c := newClient(t)
	img := mustImage(t, reg.Host+"/team/app")
	for _, tag := range []string{"9.9.9#x", "9.9.8?a=b", "9.9.7/../../other/manifests/1.0", strings.Repeat("9", 200)} {
		_, err := c.Digest(t.Context(), img, tag)
		if !errors.Is(err, names.ErrInvalidTag) {
			t.Errorf("Digest(%q) = %v, want names.ErrInvalidTag", tag, err)
		}
		_, err = c.PlatformDigest(t.Context(), img, tag, names.Platform{OS: "linux", Architecture: "amd64"})
		if !errors.Is(err, names.ErrInvalidTag) {
			t.Errorf("PlatformDigest(%q) = %v, want names.ErrInvalidTag", tag, err)
		}
	}
	if n := reg.Requests.Ping.Load() + reg.Requests.ManifestHead.Load() + reg.Requests.ManifestGet.Load(); n != 0 {
		t.Errorf("%d requests for invalid tags, want 0", n)
	}
}

// TestPresignedURLNotQuoted: a blob redirected to storage that fails does
// not put the presigned URL's signature into the error.
func TestPresignedURLNotQuoted(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	reg.PushImage(t, "team/app", "1.0")
	proxy := faults.NewFaultProxy(t, reg)
	proxy.Inject(faults.Fault{Path: "/blobs/", Serve: func(w http.ResponseWriter, req *http.Request, _ faults.Upstream) {
		http.Redirect(w, req, "http://127.0.0.1:1/bucket/blob?X-Amz-Signature=deadbeefsecret&X-Amz-Credential=AKIA", http.StatusTemporaryRedirect)
	}})
	_, err := newClient(t).PlatformDigest(t.Context(), mustImage(t, proxy.Host+"/team/app"), "1.0", names.Platform{OS: "linux", Architecture: "amd64"})
	if err == nil {
		t.Fatal("the read succeeded with its blob redirected to nowhere")
	}
	if !strings.Contains(err.Error(), "127.0.0.1:1/bucket/blob") {
		t.Errorf("error %q does not name the storage it was sent to", err)
	}
	if strings.Contains(err.Error(), "deadbeefsecret") || strings.Contains(err.Error(), "X-Amz") {
		t.Errorf("the error quotes the presigned URL: %v", err)
	}
}

// TestDigestWithoutHeader puts a proxy in front of the registry that drops
// Docker-Content-Digest from HEAD answers: the client then reads the
// manifest once and hashes it.
func TestDigestWithoutHeader(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	want := reg.PushImage(t, "acme/app", "1.0").String()
	proxy := faults.NewFaultProxy(t, reg)
	proxy.Inject(faults.Fault{Path: "/manifests/", Method: http.MethodHead, DropHeader: []string{"Docker-Content-Digest"}})
	c := newClient(t)
	img := mustImage(t, proxy.Host+"/acme/app")
	got, err := c.Digest(t.Context(), img, "1.0")
	if err != nil {
		t.Fatal(err)
	}
	if got.Digest != want {
		t.Errorf("digest = %s, want %s", got.Digest, want)
	}
	if h, g := reg.Requests.ManifestHead.Load(), reg.Requests.ManifestGet.Load(); h != 1 || g != 1 {
		t.Errorf("HEAD %d, GET %d; want one of each", h, g)
	}
}
