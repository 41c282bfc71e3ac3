package registry

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
)

// peakHeap runs f and returns the most heap in use, sampled every 5 ms
// while it ran. It does not run in parallel with other tests' work only
// when its caller does not call t.Parallel.
func peakHeap(f func()) uint64 {
	var peak atomic.Uint64
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		if m.HeapAlloc > peak.Load() {
			peak.Store(m.HeapAlloc)
		}
	}
	runtime.GC()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
				sample()
			}
		}
	})
	f()
	close(done)
	wg.Wait()
	sample()
	return peak.Load()
}

// TestInvalidTagsNotKept: 150 pages, each holding one invalid tag of 4 MiB
// (and one valid tag), are counted and dropped as they arrive: the list
// holds 150 valid tags, counts 150 invalid ones, and the heap stays far
// below the 600 MiB the invalid tags would take if they were kept (as
// they were in the de-duplication set before). Not parallel: it measures
// the heap.
func TestInvalidTagsNotKept(t *testing.T) {
	const pages = 150
	huge := bytes.Repeat([]byte("!"), 4<<20-8)
	img := server(t, func(w http.ResponseWriter, req *http.Request) {
		page, _ := strconv.Atoi(req.URL.Query().Get("page"))
		if page+1 < pages {
			w.Header().Set("Link", fmt.Sprintf(`</v2/team/x/tags/list?page=%d>; rel="next"`, page+1))
		}
		fmt.Fprintf(w, `{"name":"team/x","tags":["1.%d.0","%d%s"]}`, page, page, huge)
	})
	var list *TagList
	var err error
	peak := peakHeap(func() { list, err = newClient(t).ListTags(t.Context(), img) })
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Tags) != pages || list.Invalid != pages {
		t.Errorf("listed %d tags and %d invalid ones, want %d of each", len(list.Tags), list.Invalid, pages)
	}
	t.Logf("peak heap %d MiB", peak>>20)
	if peak > 100<<20 {
		t.Errorf("the heap peaked at %d MiB over %d pages of a 4 MiB invalid tag, want under 100 MiB", peak>>20, pages)
	}
}

// TestOversizedManifestRefused: a manifest over 4 MiB (the limit the OCI
// distribution specification asks registries to accept) fails the read
// that meets it, naming its size, whether the registry says its length or
// not, and is never held whole. Not parallel: it measures the heap.
func TestOversizedManifestRefused(t *testing.T) {
	big := bytes.Repeat([]byte(" "), 16<<20)
	for _, sayLength := range []bool{true, false} {
		img := server(t, func(w http.ResponseWriter, req *http.Request) {
			w.Header().Set("Content-Type", "application/vnd.oci.image.manifest.v1+json")
			if sayLength {
				w.Header().Set("Content-Length", strconv.Itoa(len(big)+2))
			}
			if req.Method == http.MethodHead {
				return
			}
			_, _ = w.Write([]byte("{}"))
			_, _ = w.Write(big)
		})
		var err error
		peak := peakHeap(func() {
			_, err = newClient(t).Inspect(t.Context(), img, &TagList{}, "1.0", Want{Created: true})
		})
		want := "larger than the safety cap of 4 MiB"
		if sayLength {
			want = "is 16.0 MiB (16777218 bytes), more than the safety cap of 4 MiB"
		}
		var re *Error
		if !errors.As(err, &re) || re.Kind != KindBadAnswer || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "the manifest of 1.0") {
			t.Errorf("Content-Length given %v: Inspect = %v, want a bad answer saying %q", sayLength, err, want)
		}
		if peak > 64<<20 {
			t.Errorf("Content-Length given %v: the heap peaked at %d MiB", sayLength, peak>>20)
		}
	}
}

// TestLinkToAnotherRepository: a Link to another repository's tag list on
// the same host is refused, never read with this repository's credentials
// and merged into its list.
func TestLinkToAnotherRepository(t *testing.T) {
	t.Parallel()
	var other atomic.Int64
	img := server(t, func(w http.ResponseWriter, req *http.Request) {
		if strings.HasPrefix(req.URL.Path, "/v2/other/") {
			other.Add(1)
			_, _ = w.Write([]byte(`{"name":"other/secret","tags":["9.9.9"]}`))
			return
		}
		w.Header().Set("Link", `</v2/other/secret/tags/list>; rel="next"`)
		_, _ = w.Write([]byte(`{"name":"team/x","tags":["1.0.0"]}`))
	})
	list, err := newClient(t).ListTags(t.Context(), img)
	if err == nil || !strings.Contains(err.Error(), "points to another path (/v2/other/secret/tags/list)") {
		t.Errorf("ListTags = %+v, %v; want the Link refused", list, err)
	}
	if other.Load() != 0 {
		t.Errorf("the other repository's list was read %d times", other.Load())
	}
}

// TestEmptyTagList: a registry that answers 200 with no tags (olareg does
// for a repository it does not have) gives an empty list, which the
// provider reports as such.
func TestEmptyTagList(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{"name":"team/x","tags":[]}`, `{"name":"team/x","tags":null}`} {
		img := server(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(body)) })
		list, err := newClient(t).ListTags(t.Context(), img)
		if err != nil || list.Listed() != 0 {
			t.Errorf("%s: ListTags = %+v, %v; want an empty list", body, list, err)
		}
	}
}

// TestRegistryTextCleaned: what a registry says of a failure reaches an
// error without control characters (a terminal escape, a bidirectional
// override) and cut short.
func TestRegistryTextCleaned(t *testing.T) {
	t.Parallel()
	img := server(t, func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, `{"errors":[{"code":"DENIED","message":"\u001b[31mred\u001b[0m \u202eevil\r\nForged: header %s"}]}`, strings.Repeat("x", 5000))
	})
	_, err := newClient(t).ListTags(t.Context(), img)
	if err == nil {
		t.Fatal("ListTags succeeded")
	}
	msg := err.Error()
	for _, bad := range []string{"\x1b", "\u202e", "\r", "\n"} {
		if strings.Contains(msg, bad) {
			t.Errorf("the error %q holds %q", msg, bad)
		}
	}
	if !strings.Contains(msg, "[31mred [0m evil Forged: header") || len(msg) > 600 {
		t.Errorf("the error is %d bytes: %q", len(msg), msg)
	}
}

// TestEveryFailedHostNamed: when the registry and each of its mirrors
// fail, the error names each host and how it failed.
func TestEveryFailedHostNamed(t *testing.T) {
	t.Parallel()
	down := func(msg string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = fmt.Fprintf(w, `{"errors":[{"code":"UNAVAILABLE","message":%q}]}`, msg)
		}))
		t.Cleanup(srv.Close)
		return strings.TrimPrefix(srv.URL, "http://")
	}
	reg, first, second := down("registry down"), down("first mirror down"), down("second mirror down")
	c := newClientWith(t, Options{Mirrors: map[string][]string{reg: {first, second}}})
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	_, err := c.ListTags(ctx, mustImage(t, reg+"/team/x"))
	var re *Error
	if !errors.As(err, &re) || re.Kind != KindUnavailable || re.Status != http.StatusServiceUnavailable {
		t.Fatalf("ListTags = %v, want the registry's 503", err)
	}
	for _, want := range []string{"registry " + reg, "registry down", "mirror " + first, "first mirror down", "mirror " + second, "second mirror down"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error %q does not name %q", err, want)
		}
	}
}

// TestHelperNameChecked: a credential helper named with a path
// ("x/payload") would run a program from the working directory, which a
// checked-out repository controls: it is an error naming the config file,
// and nothing runs. Not parallel: it changes the working directory.
func TestHelperNameChecked(t *testing.T) {
	dir := t.TempDir()
	ran := filepath.Join(dir, "ran")
	if err := os.MkdirAll(filepath.Join(dir, "docker-credential-x"), 0o755); err != nil {
		t.Fatal(err)
	}
	payload := "#!/bin/sh\ntouch " + ran + "\necho '{\"Username\":\"u\",\"Secret\":\"p\"}'\n"
	if err := os.WriteFile(filepath.Join(dir, "docker-credential-x", "payload"), []byte(payload), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, helper := range []string{"x/payload", "../x", ".hidden", "a..b"} {
		cfg := registrytest.DockerConfig{Helpers: map[string]string{"registry.example": helper}}.Write(t, dir)
		t.Chdir(dir)
		c := newClientWith(t, Options{DockerConfigFile: cfg})
		img := mustImage(t, "registry.example/team/x")
		_, _, err := c.keychain.Resolve(t.Context(), c.keychain.Key(img), img)
		if err == nil || !strings.Contains(err.Error(), cfg) || !strings.Contains(err.Error(), "is not a name") {
			t.Errorf("helper %q: %v, want an error naming %s", helper, err, cfg)
		}
	}
	if _, err := os.Stat(ran); err == nil {
		t.Error("the helper in the working directory ran")
	}
}

// TestHelperOnPathOnly: a helper with a valid name is looked up on PATH
// only: a program of that name in the working directory is never run.
func TestHelperOnPathOnly(t *testing.T) {
	dir := t.TempDir()
	ran := filepath.Join(dir, "ran")
	if err := os.WriteFile(filepath.Join(dir, "docker-credential-cwd"), []byte("#!/bin/sh\ntouch "+ran+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := registrytest.DockerConfig{Store: "cwd"}.Write(t, dir)
	t.Chdir(dir)
	t.Setenv("PATH", ".:"+os.Getenv("PATH"))
	c := newClientWith(t, Options{DockerConfigFile: cfg})
	img := mustImage(t, "registry.example/team/x")
	if _, _, err := c.keychain.Resolve(t.Context(), c.keychain.Key(img), img); err == nil {
		t.Error("a helper in the working directory resolved credentials")
	}
	if _, err := os.Stat(ran); err == nil {
		t.Error("the helper in the working directory ran")
	}
}

// TestDockerHubOneSpelling: Docker Hub, however written (with :443 too),
// is one registry: docker.io in every repository and reference.
func TestDockerHubOneSpelling(t *testing.T) {
	t.Parallel()
	for _, image := range []string{"nginx", "docker.io/library/nginx", "index.docker.io/library/nginx", "docker.io:443/library/nginx", "registry-1.docker.io/library/nginx"} {
		img := mustImage(t, image)
		ref, err := names.ParseReference(image + ":1.27")
		if err != nil || img.Registry != names.DockerHub || ref.Registry != img.Registry || img.Path != "library/nginx" {
			t.Errorf("%s: repository %+v, reference %+v (%v); want docker.io library/nginx in both", image, img, ref, err)
		}
	}
}
