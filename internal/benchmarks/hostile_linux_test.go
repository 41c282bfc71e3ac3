package benchmarks

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/tfrun"
)

const (
	// hostilePages is how many tag-list pages the hostile registry serves,
	// each with one invalid tag of hostileTagBytes.
	hostilePages    = 150
	hostileTagBytes = 4 << 20
	// hostileManifestBytes is the size of every manifest of team/big: four
	// times the 4 MiB the provider accepts.
	hostileManifestBytes = 16 << 20
	// hostileRSSTarget is the most memory the provider may hold against the
	// hostile registry.
	hostileRSSTarget = 200 << 20
)

// BenchmarkHostileRegistry plans against a registry that tries to exhaust
// the provider's memory, and reports the provider process's peak resident
// set size, read from the kernel as the other memory benchmarks read it:
//
//   - invalid tags: one registry_latest_tag on a repository whose tag list
//     has 150 pages, each with one valid tag and one invalid tag of 4 MiB
//     (600 MiB of invalid tags in all); the plan must find 1.149.0;
//   - big manifests: one registry_latest_tag with min_age on a repository
//     whose manifests are 16 MiB each, sent without a Content-Length; the
//     plan must fail, naming the provider's 4 MiB cap.
//
// Both must stay under 200 MiB. Run it once: -benchtime=1x.
func BenchmarkHostileRegistry(b *testing.B) {
	terraform := tfrun.TerraformPath(b)
	host := newHostileRegistry(b)
	wrapperDir, report, env := providerWrapper(b, provider.Path(b))
	ws := tfrun.NewWorkspace(b, terraform, wrapperDir, env...)
	tags := ws.Config(b, "invalid-tags", providerBlock(host, "", "")+fmt.Sprintf(`
data "registry_latest_tag" "x" {
  image = "%s/team/invalid"
}

output "answers" {
  value = { x = data.registry_latest_tag.x.tag }
}
`, host))
	manifests := ws.Config(b, "big-manifests", providerBlock(host, "", "")+fmt.Sprintf(`
data "registry_latest_tag" "x" {
  image   = "%s/team/big"
  min_age = "1d"
}
`, host))

	var tagsPeak, manifestsPeak int64
	for b.Loop() {
		_ = os.Remove(report)
		ws.Plan(b, tags)
		b.StopTimer()
		tagsPeak, _ = peakRSS(b, report)
		var answers map[string]string
		if err := json.Unmarshal(ws.Outputs(b, tags)["answers"], &answers); err != nil || answers["x"] != fmt.Sprintf("1.%d.0", hostilePages-1) {
			b.Errorf("the invalid-tags plan found %v (%v), want 1.%d.0", answers, err, hostilePages-1)
		}
		_ = os.Remove(report)
		b.StartTimer()
		out, _, err := ws.TryPlan(manifests)
		b.StopTimer()
		manifestsPeak, _ = peakRSS(b, report)
		if err == nil || !strings.Contains(strings.Join(strings.Fields(string(out)), " "), "larger than the safety cap of 4 MiB") {
			b.Errorf("the big-manifests plan: %v\n%s\nwant it refused at the 4 MiB cap", err, out)
		}
		b.StartTimer()
	}

	t := &table{header: []string{"hostile registry", "provider peak RSS", "target"}, right: []bool{false, true, true}}
	for _, row := range []struct {
		what string
		peak int64
	}{
		{fmt.Sprintf("%d tag pages, each with a %d MiB invalid tag", hostilePages, hostileTagBytes>>20), tagsPeak},
		{fmt.Sprintf("%d MiB manifests, refused", hostileManifestBytes>>20), manifestsPeak},
	} {
		if row.peak > hostileRSSTarget {
			b.Errorf("%s: the provider's peak RSS, %.1f MiB, is over the target of %d MiB", row.what, float64(row.peak)/(1<<20), hostileRSSTarget>>20)
		}
		t.add(row.what, fmt.Sprintf("%.1f MiB", float64(row.peak)/(1<<20)), fmt.Sprintf("< %d MiB", hostileRSSTarget>>20))
	}
	b.ReportMetric(float64(tagsPeak)/(1<<20), "invalid-tags-peak-RSS-MiB")
	b.ReportMetric(float64(manifestsPeak)/(1<<20), "big-manifests-peak-RSS-MiB")
	t.write(os.Stdout)
}

// newHostileRegistry serves, without auth, team/invalid (hostilePages tag
// pages, each with the tag 1.<page>.0 and an invalid tag of
// hostileTagBytes; HEAD of a manifest gives a digest) and team/big (20
// tags whose manifests are hostileManifestBytes of JSON, sent without a
// Content-Length), and returns its host:port.
func newHostileRegistry(b *testing.B) string {
	b.Helper()
	invalid := bytes.Repeat([]byte("!"), hostileTagBytes)
	padding := bytes.Repeat([]byte(" "), hostileManifestBytes)
	digest := fmt.Sprintf("sha256:%x", sha256.Sum256([]byte("hostile")))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch path := req.URL.Path; {
		case path == "/v2/":
			_, _ = w.Write([]byte("{}"))
		case path == "/v2/team/invalid/tags/list":
			page, _ := strconv.Atoi(req.URL.Query().Get("page"))
			if page+1 < hostilePages {
				w.Header().Set("Link", fmt.Sprintf(`</v2/team/invalid/tags/list?page=%d>; rel="next"`, page+1))
			}
			fmt.Fprintf(w, `{"name":"team/invalid","tags":["1.%d.0","%d`, page, page)
			_, _ = w.Write(invalid)
			_, _ = w.Write([]byte(`"]}`))
		case path == "/v2/team/big/tags/list":
			tags := make([]string, 20)
			for i := range tags {
				tags[i] = fmt.Sprintf("1.%d.0", i)
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"name": "team/big", "tags": tags})
		case strings.Contains(path, "/manifests/"):
			w.Header().Set("Content-Type", "application/vnd.oci.image.manifest.v1+json")
			w.Header().Set("Docker-Content-Digest", digest)
			if req.Method == http.MethodHead {
				return
			}
			_, _ = w.Write([]byte("{}"))
			_, _ = w.Write(padding)
		default:
			http.NotFound(w, req)
		}
	}))
	b.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}
