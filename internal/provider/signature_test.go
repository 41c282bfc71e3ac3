package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/faults"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/sigtest"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/signature"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/tagfilter"
)

// signedRepo is the repository the signature tests sign in.
const signedRepo = "team/app"

// signer pushes signatures, as cosign would, to a test registry.
type signer struct {
	t   *testing.T
	reg *registrytest.Registry
}

// bundle attaches a Sigstore bundle to signedRepo@subject as a referrer, as
// cosign v3 does.
func (s signer) bundle(subject v1.Hash, bundle []byte) {
	s.t.Helper()
	s.reg.PushReferrer(s.t, signedRepo, subject, registrytest.Artifact{
		ArtifactType: registry.BundleType,
		Layers:       []registrytest.ArtifactLayer{{MediaType: registry.BundleType, Data: bundle}},
	})
}

// legacy pushes cosign's signature tag of signedRepo@subject with one
// simple-signing layer.
func (s signer) legacy(subject v1.Hash, payload []byte, annotations map[string]string) {
	s.t.Helper()
	s.reg.PushCosignTag(s.t, signedRepo, subject, registrytest.ArtifactLayer{MediaType: registry.SimpleSigningType, Data: payload, Annotations: annotations})
}

// made returns what a fixture made, failing the test on an error.
func (s signer) made(b []byte, err error) []byte {
	s.t.Helper()
	if err != nil {
		s.t.Fatal(err)
	}
	return b
}

// writeFile writes content into the test's temporary directory and
// returns its path, for file() in a configuration.
func writeFile(t *testing.T, name string, content []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSignatureKeyless signs tags keyless with an in-memory Sigstore
// (sigstore-go's VirtualSigstore: Fulcio, Rekor and a timestamp authority)
// and attaches the bundles where cosign v3 does: the referrers API of the
// in-process registry, and the referrers tag schema on distribution, which
// has no referrers API. Each bad signature is refused, naming why; the
// newest well-signed tag is chosen past them. The trusted root is given,
// so the public-good one is never fetched (the internet is blocked here).
func TestSignatureKeyless(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		reg  func(t *testing.T) *registrytest.Registry
	}{
		{"referrers API", func(t *testing.T) *registrytest.Registry { return registrytest.NewInProcess(t) }},
		{"referrers tag schema", func(t *testing.T) *registrytest.Registry { return registrytest.NewDistribution(t) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			reg := tt.reg(t)
			vs, err := ca.NewVirtualSigstore()
			if err != nil {
				t.Fatal(err)
			}
			trusted, err := sigtest.TrustedRootJSONWithoutCTLogs(vs)
			if err != nil {
				t.Fatal(err)
			}
			root := writeFile(t, "trusted_root.json", trusted)
			s := signer{t, reg}
			tags := reg.PushTags(t, "team/app", "0.9.0", "1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0", "1.5.0", "1.6.0", "1.7.0")
			hexOf := func(tag string) string { return tags[tag].Hex }
			s.bundle(tags["0.9.0"], s.made(sigtest.KeylessDSSEBundle(vs, hexOf("0.9.0"), registry.SignPredicateType)))
			s.bundle(tags["1.0.0"], s.made(sigtest.KeylessBundle(vs, hexOf("1.0.0"))))
			s.bundle(tags["1.1.0"], s.made(sigtest.KeylessBundle(vs, hexOf("1.1.0"), sigtest.WithIdentity("intruder@example.com"))))
			s.bundle(tags["1.2.0"], s.made(sigtest.KeylessBundle(vs, hexOf("1.2.0"), sigtest.WithIssuer("https://other.example.com"))))
			s.bundle(tags["1.3.0"], s.made(sigtest.KeylessBundle(vs, hexOf("1.3.0"), sigtest.WithExpiredCertificate())))
			s.bundle(tags["1.4.0"], s.made(sigtest.KeylessBundle(vs, hexOf("1.4.0"), sigtest.WithoutTlogEntry(), sigtest.WithoutTimestamp())))
			s.bundle(tags["1.5.0"], s.made(sigtest.KeylessBundle(vs, hexOf("1.0.0"))))
			s.bundle(tags["1.6.0"], s.made(sigtest.KeylessBundle(vs, hexOf("1.6.0"), sigtest.WithTamperedPayload())))
			s.bundle(tags["1.7.0"], s.made(sigtest.KeylessDSSEBundle(vs, hexOf("1.7.0"), "https://slsa.dev/provenance/v1")))

			rule := fmt.Sprintf("signature = {\n identity = %q\n issuer = %q\n trusted_root = file(%q)\n}", sigtest.DefaultIdentity, sigtest.DefaultIssuer, root)
			digestOf := func(tag string) string {
				return fmt.Sprintf("data \"registry_image_digest\" \"x\" {\n image = \"%s/team/app\"\n tag = %q\n %s\n}", reg.Host, tag, rule)
			}
			latest := func(extra string) string {
				return fmt.Sprintf("data \"registry_latest_tag\" \"x\" {\n image = \"%s/team/app\"\n %s\n %s\n}", reg.Host, rule, extra)
			}
			signedBy := sigtest.DefaultIdentity + " (" + sigtest.DefaultIssuer + ")"
			refused := func(tag string, why ...string) resource.TestStep {
				return resource.TestStep{
					Config:      digestOf(tag),
					PlanOnly:    true,
					ExpectError: errorContaining(append([]string{"Image Not Signed", tag, "is not signed by", "found"}, why...)...),
				}
			}
			unitTest(t,
				resource.TestStep{
					Config: latest("") + "\n" + strings.Replace(digestOf("0.9.0"), `"x"`, `"dsse"`, 1),
					ConfigStateChecks: []statecheck.StateCheck{
						expect("data.registry_latest_tag.x", "tag", knownvalue.StringExact("1.0.0")),
						expect("data.registry_latest_tag.x", "digest", knownvalue.StringExact(tags["1.0.0"].String())),
						expect("data.registry_latest_tag.x", "signed_by", knownvalue.StringExact(signedBy)),
						expect("data.registry_image_digest.dsse", "signed_by", knownvalue.StringExact(signedBy)),
					},
				},
				refused("1.1.0", "no matching signer identity", "intruder@example.com"),
				refused("1.2.0", "no matching signer identity", "https://other.example.com"),
				refused("1.3.0", "certificate not valid at signing time"),
				refused("1.4.0", "no verified observer timestamp"),
				refused("1.5.0", "signed digest does not match"),
				refused("1.6.0", "invalid signature"),
				refused("1.7.0", "no signature"),
				resource.TestStep{
					Config:      latest(`constraint = ">= 1.1.0"`),
					PlanOnly:    true,
					ExpectError: errorContaining("No Tag Matches", "signature 7", "signature rejected 7 candidates", "the newest, 1.7.0, has no signature"),
				},
			)
		})
	}
}

// TestSignatureKeys verifies cosign key signatures in both layouts: the
// legacy signature tag (sha256-<hex>.sig, a simple-signing payload) and a
// bundle attached as a referrer; with two keys, an unsigned tag, and an
// index signed only on its linux/arm64 manifest.
func TestSignatureKeys(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewDistribution(t)
	s := signer{t, reg}
	keyA, err := sigtest.GenerateKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	keyB, err := sigtest.GenerateKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	tags := reg.PushTags(t, "team/app", "2.0.0", "2.1.0", "2.2.0")
	_, platforms := reg.PushIndex(t, "team/app", "2.3.0", "linux/amd64", "linux/arm64")
	payload, err := sigtest.SimpleSigningPayload(reg.Host+"/team/app", tags["2.0.0"].Hex)
	if err != nil {
		t.Fatal(err)
	}
	annotations, err := sigtest.LegacyKeySignature(keyA, payload)
	if err != nil {
		t.Fatal(err)
	}
	s.legacy(tags["2.0.0"], payload, annotations)
	s.bundle(tags["2.1.0"], s.made(sigtest.KeyBundle(keyB, tags["2.1.0"].Hex)))
	arm := platforms["linux/arm64"]
	s.bundle(arm, s.made(sigtest.KeyBundle(keyA, arm.Hex)))

	keyFileA := writeFile(t, "a.pub", keyA.PublicKeyPEM)
	keyFileB := writeFile(t, "b.pub", keyB.PublicKeyPEM)
	latest := func(name, key, extra string) string {
		return fmt.Sprintf("data \"registry_latest_tag\" %q {\n image = \"%s/team/app\"\n signature = { public_key = file(%q) }\n %s\n}\n", name, reg.Host, key, extra)
	}
	digestOf := func(tag, key string) string {
		return fmt.Sprintf("data \"registry_image_digest\" \"x\" {\n image = \"%s/team/app\"\n tag = %q\n signature = { public_key = file(%q) }\n}", reg.Host, tag, key)
	}
	unitTest(t,
		resource.TestStep{
			Config: latest("a", keyFileA, "") + latest("b", keyFileB, "") + latest("arm", keyFileA, `platform = "linux/arm64"`) +
				latest("none", keyFileA, `constraint = "2.2.0"`+"\n"+`exclude = ["2\\.0\\.0"]`),
			ExpectError: errorContaining("No Tag Matches", "signature 1", "the newest, 2.2.0, has no signature"),
			PlanOnly:    true,
		},
		resource.TestStep{
			Config: latest("a", keyFileA, "") + latest("b", keyFileB, "") + latest("arm", keyFileA, `platform = "linux/arm64"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect("data.registry_latest_tag.a", "tag", knownvalue.StringExact("2.0.0")),
				expect("data.registry_latest_tag.a", "signed_by", knownvalue.StringExact("key sha256:"+keyA.Fingerprint())),
				expect("data.registry_latest_tag.b", "tag", knownvalue.StringExact("2.1.0")),
				expect("data.registry_latest_tag.b", "signed_by", knownvalue.StringExact("key sha256:"+keyB.Fingerprint())),
				expect("data.registry_latest_tag.arm", "tag", knownvalue.StringExact("2.3.0")),
				expect("data.registry_latest_tag.arm", "digest", knownvalue.StringExact(arm.String())),
			},
		},
		resource.TestStep{
			Config:      digestOf("2.2.0", keyFileA),
			PlanOnly:    true,
			ExpectError: errorContaining("Image Not Signed", "2.2.0", "not signed by key sha256:"+keyA.Fingerprint(), "found no signature"),
		},
		resource.TestStep{
			Config:      digestOf("2.1.0", keyFileA),
			PlanOnly:    true,
			ExpectError: errorContaining("Image Not Signed", "found 1 signature(s), none valid", "not signed by the configured key"),
		},
		resource.TestStep{
			// Without platform, the index itself must be signed.
			Config:      digestOf("2.3.0", keyFileA),
			PlanOnly:    true,
			ExpectError: errorContaining("Image Not Signed", "2.3.0", "found no signature"),
		},
	)
}

// TestSignatureValidation refuses, at plan, a signature argument that
// cannot be used, naming what to set.
func TestSignatureValidation(t *testing.T) {
	t.Parallel()
	key, err := sigtest.GenerateKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	keyFile := writeFile(t, "cosign.pub", key.PublicKeyPEM)
	planRefuses(t, "registry_image_digest",
		refused{`image = "127.0.0.1:1/x"` + "\n signature = {}", []string{"Invalid Signature", "set public_key, or an identity"}},
		refused{`image = "127.0.0.1:1/x"` + fmt.Sprintf("\n signature = { public_key = file(%q)\n identity = \"a@b.c\" }", keyFile), []string{"not both"}},
		refused{`image = "127.0.0.1:1/x"` + "\n signature = { identity = \"a@b.c\" }", []string{"set issuer or issuer_regexp"}},
		refused{`image = "127.0.0.1:1/x"` + "\n signature = { issuer = \"https://x\" }", []string{"set identity or identity_regexp"}},
		refused{`image = "127.0.0.1:1/x"` + "\n signature = { identity = \"a\"\n identity_regexp = \"a\"\n issuer = \"https://x\" }", []string{"identity or identity_regexp, not both"}},
		refused{`image = "127.0.0.1:1/x"` + "\n signature = { identity_regexp = \"(\"\n issuer = \"https://x\" }", []string{`identity_regexp "("`, "not an RE2 pattern"}},
		refused{`image = "127.0.0.1:1/x"` + "\n signature = { public_key = \"not a key\" }", []string{"public_key is not PEM"}},
		refused{`image = "127.0.0.1:1/x"` + "\n signature = { identity = \"a\"\n issuer = \"b\"\n trusted_root = \"trusted_root.json\" }", []string{"trusted_root must be the JSON", "not a path"}},
		refused{`image = "127.0.0.1:1/x"` + "\n signature = { identity = \"a\"\n issuer = \"b\"\n trusted_root = \"{}\" }", []string{"trusted_root is not a Sigstore trusted root"}},
	)
}

// TestSignaturePublicGoodUnreachable reads a keyless signature without a
// trusted root while the internet is blocked: the Sigstore public-good
// trusted root cannot be fetched by TUF, and the read says so and what to
// set instead. It is not run in parallel: it points the user cache
// directory at a temporary one.
func TestSignaturePublicGoodUnreachable(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	reg := registrytest.NewInProcess(t)
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	tags := reg.PushTags(t, "team/app", "1.0.0")
	s := signer{t, reg}
	s.bundle(tags["1.0.0"], s.made(sigtest.KeylessBundle(vs, tags["1.0.0"].Hex)))
	unitTest(t, resource.TestStep{
		Config: fmt.Sprintf(`data "registry_image_digest" "x" {
  image = "%s/team/app"
  tag   = "1.0.0"
  signature = {
    identity = "signer@example.com"
    issuer   = "https://issuer.example.com"
  }
}`, reg.Host),
		PlanOnly:    true,
		ExpectError: errorContaining("Cannot Fetch Sigstore Trusted Root", "tuf-repo-cdn.sigstore.dev", "trusted_root"),
	})
}

// TestSignatureCosts counts what the signature rule costs the walk: per
// candidate, a manifest read and the search for signatures (the referrers
// API and cosign's signature tag, at most three requests), then a manifest
// and a blob for each signature read, at most five an image; a second walk
// in the same run reads nothing new; a walk without the rule searches for
// no signature at all.
func TestSignatureCosts(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	s := signer{t, reg}
	mine, err := sigtest.GenerateKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := sigtest.GenerateKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	tags := reg.PushTags(t, "team/app", "1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0")
	s.bundle(tags["1.1.0"], s.made(sigtest.KeyBundle(mine, tags["1.1.0"].Hex)))
	for range 7 { // more than are ever tried for one image
		s.bundle(tags["1.3.0"], s.made(sigtest.KeyBundle(theirs, tags["1.3.0"].Hex)))
	}
	// 1.4.0 and 1.2.0 are unsigned.

	proxy := faults.NewFaultProxy(t, reg)
	client, err := registry.New(t.Context(), registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := &providerData{client: client, timeout: time.Minute}
	img, err := names.Parse(proxy.Host+"/team/app", "")
	if err != nil {
		t.Fatal(err)
	}
	list, err := client.ListTags(t.Context(), img)
	if err != nil {
		t.Fatal(err)
	}
	policy, err := signature.Parse(signature.Spec{PublicKey: string(mine.PublicKeyPEM)})
	if err != nil {
		t.Fatal(err)
	}
	a := latestTagArgs{selection: selection{filter: tagfilter.Default()}, signature: policy}
	sel := a.filter.SelectWith(list.Tags, a.rules, maxWalked)
	proxy.Requests.Take()

	chosen, err := d.choose(t.Context(), img, list, sel, a)
	if err != nil {
		t.Fatal(err)
	}
	if chosen.tag != "1.1.0" || chosen.signedBy != "key sha256:"+mine.Fingerprint() || chosen.walked.signature != 3 {
		t.Fatalf("chosen = %s signed by %q after %d rejected, want 1.1.0 signed by mine after 3", chosen.tag, chosen.signedBy, chosen.walked.signature)
	}
	// Four candidates walked (1.4.0 to 1.1.0): each one's digest (a HEAD)
	// and the referrers API (in-process serves it); cosign's signature tag
	// (a GET answered 404) only for the two unsigned ones, since the search
	// ends at an accepted signature or at the five tried: at most three
	// requests a candidate. Then five of 1.3.0's seven signatures and
	// 1.1.0's one, a manifest and a blob each.
	const walked, unsigned, read = 4, 2, 5 + 1
	want := registrytest.Counts{ManifestHead: walked, Referrers: walked, ManifestGet: unsigned + read, Other: read}
	got := proxy.Requests.Take()
	got.Ping = 0 // once a run, not the point here
	if got != want {
		t.Errorf("requests = %+v, want %+v", got, want)
	}

	// The same walk again in the run: every verdict and manifest cached.
	if again, err := d.choose(t.Context(), img, list, sel, a); err != nil || again.tag != "1.1.0" {
		t.Fatalf("second walk = %s, %v", again.tag, err)
	}
	if got := proxy.Requests.Take(); got != (registrytest.Counts{}) {
		t.Errorf("second walk requests = %+v, want none", got)
	}

	// Without the rule no signature is searched for: a platform walk
	// reads manifests only.
	plain := latestTagArgs{selection: a.selection, platform: &names.Platform{OS: "linux", Architecture: "amd64"}}
	fresh, err := registry.New(t.Context(), registry.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&providerData{client: fresh, timeout: time.Minute}).choose(t.Context(), img, list, sel, plain); err != nil {
		t.Fatal(err)
	}
	if got := proxy.Requests.Take(); got.Referrers != 0 || got.ManifestGet+got.ManifestHead != 1 {
		t.Errorf("a walk without signature = %+v, want one manifest and no referrers", got)
	}
}
