package registry

import (
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/faults"
)

// TestSignatures finds the signatures of an image where cosign puts them:
// the referrers API (the in-process registry serves it), the referrers tag
// schema (distribution answers the API with 404), and cosign's signature
// tag; it skips attestations that cosign names as such unread, and counts
// the requests: at most three to find them, and a manifest and a blob for
// each signature read.
func TestSignatures(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		reg  func(t *testing.T) *registrytest.Registry
		// find is what finding costs: the referrers API, the tag schema's
		// index when the API answered 404, and cosign's tag.
		find registrytest.Counts
	}{
		{"referrers API", func(t *testing.T) *registrytest.Registry { return registrytest.NewInProcess(t) }, registrytest.Counts{Referrers: 1, ManifestGet: 1}},
		{"referrers tag schema", func(t *testing.T) *registrytest.Registry { return registrytest.NewDistribution(t) }, registrytest.Counts{Referrers: 1, ManifestGet: 2}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			reg := tt.reg(t)
			image := reg.PushImage(t, "team/app", "1.0.0")
			bare := reg.PushImage(t, "team/app", "1.0.1")
			reg.PushReferrer(t, "team/app", image, registrytest.Artifact{
				ArtifactType: BundleType,
				Annotations:  map[string]string{predicateTypeAnnotation: "https://slsa.dev/provenance/v1"},
				Layers:       []registrytest.ArtifactLayer{{MediaType: BundleType, Data: []byte(`{"attestation":true}`)}},
			})
			reg.PushReferrer(t, "team/app", image, registrytest.Artifact{
				ArtifactType: BundleType,
				Annotations:  map[string]string{predicateTypeAnnotation: SignPredicateType},
				Layers:       []registrytest.ArtifactLayer{{MediaType: BundleType, Data: []byte(`{"bundle":1}`)}},
			})
			reg.PushCosignTag(t, "team/app", image, registrytest.ArtifactLayer{
				MediaType: SimpleSigningType, Data: []byte(`{"payload":1}`),
				Annotations: map[string]string{"dev.cosignproject.cosign/signature": "c2ln"},
			})
			proxy := faults.NewFaultProxy(t, reg)
			c := newClient(t)
			img := mustImage(t, proxy.Host+"/team/app")

			var got []Signature
			collect := func(s Signature) Outcome { got = append(got, s); return Rejected }
			if err := c.Signatures(t.Context(), img, nil, image.String(), 5, collect); err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || string(got[0].Bundle) != `{"bundle":1}` || string(got[1].Payload) != `{"payload":1}` ||
				got[1].Annotations["dev.cosignproject.cosign/signature"] != "c2ln" {
				t.Fatalf("signatures = %+v, want the bundle, then the cosign tag's payload", got)
			}
			for _, s := range got {
				if s.Subject != image.String() {
					t.Errorf("subject = %s, want %s", s.Subject, image)
				}
			}
			want := tt.find
			want.Ping = 1
			want.ManifestGet++ // the bundle's manifest
			want.Other = 2     // the two blobs
			if c := proxy.Requests.Take(); c != want {
				t.Errorf("requests = %+v, want %+v", c, want)
			}

			// Accepting the first ends the search.
			got = nil
			accept := func(s Signature) Outcome { got = append(got, s); return Accepted }
			if err := c.Signatures(t.Context(), img, nil, image.String(), 5, accept); err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].Bundle == nil {
				t.Fatalf("signatures = %+v, want the bundle alone", got)
			}

			// An image without signatures costs only the search.
			got = nil
			proxy.Requests.Take()
			if err := c.Signatures(t.Context(), img, nil, bare.String(), 5, collect); err != nil {
				t.Fatal(err)
			}
			if len(got) != 0 {
				t.Fatalf("signatures of an unsigned image = %+v", got)
			}
			want = tt.find
			if c := proxy.Requests.Take(); c != want {
				t.Errorf("requests for an unsigned image = %+v, want %+v", c, want)
			}
		})
	}
}

// TestSignaturesCap stops after max rejected signatures.
func TestSignaturesCap(t *testing.T) {
	t.Parallel()
	reg := registrytest.NewInProcess(t)
	image := reg.PushImage(t, "team/app", "1.0.0")
	var layers []registrytest.ArtifactLayer
	for i := range 8 {
		layers = append(layers, registrytest.ArtifactLayer{MediaType: SimpleSigningType, Data: []byte{'{', '0' + byte(i), '}'}})
	}
	reg.PushCosignTag(t, "team/app", image, layers...)
	c := newClient(t)
	n := 0
	if err := c.Signatures(t.Context(), mustImage(t, reg.Host+"/team/app"), nil, image.String(), 5, func(Signature) Outcome { n++; return Rejected }); err != nil {
		t.Fatal(err)
	}
	if n != 5 {
		t.Errorf("signatures tried = %d, want 5", n)
	}
	if err := c.Signatures(t.Context(), mustImage(t, reg.Host+"/team/app"), nil, "sha256:nothex", 5, nil); err == nil {
		t.Error("a malformed digest was looked for")
	}
}
