package registry

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/transport"
)

// The artifact and media types of signatures.
const (
	// BundleType is a Sigstore bundle's artifact type and the media type
	// of the layer that holds it (cosign v3).
	BundleType = "application/vnd.dev.sigstore.bundle.v0.3+json"
	// cosignSigType is the artifact type of cosign's signatures attached
	// as referrers in its older OCI 1.1 mode.
	cosignSigType = "application/vnd.dev.cosign.artifact.sig.v1+json"
	// SimpleSigningType is the media type of a layer of cosign's
	// signature tag (`sha256-<hex>.sig`): a simple-signing payload, with
	// the signature in the layer's annotations.
	SimpleSigningType = "application/vnd.dev.cosign.simplesigning.v1+json"
	// predicateTypeAnnotation is the annotation in which cosign names a
	// bundle's predicate type on its manifest, so that attestations can be
	// told from signatures without reading them.
	predicateTypeAnnotation = "dev.sigstore.bundle.predicateType"
	// SignPredicateType is the predicate type of cosign's signatures made
	// as DSSE envelopes; every other one is an attestation.
	SignPredicateType = "https://sigstore.dev/cosign/sign/v1"
	// emptyType is the media type of the OCI empty config, which
	// artifacts without a config of their own name.
	emptyType = "application/vnd.oci.empty.v1+json"
)

// maxSkipped is the most artifacts a search for signatures reads and then
// skips as attestations, beyond the signatures it verifies.
const maxSkipped = 10

// Signature is one signature found for a manifest: a Sigstore bundle, or
// a cosign simple-signing payload with the annotations that hold its
// signature, certificate and transparency-log entry.
type Signature struct {
	// Subject is the manifest digest the signature was found for.
	Subject string
	// Where says where it was found: "the referrers API", "the referrers
	// tag sha256-<hex>", "the cosign tag sha256-<hex>.sig".
	Where string
	// Bundle is a Sigstore bundle's JSON; nil for a simple-signing payload.
	Bundle []byte
	// Payload is cosign's simple-signing payload; Annotations are its
	// layer's.
	Payload     []byte
	Annotations map[string]string
}

// Outcome is what a check made of one signature.
type Outcome int

// The outcomes of a check.
const (
	// Rejected counts the signature against the cap, and the search goes
	// on.
	Rejected Outcome = iota
	// Accepted ends the search.
	Accepted
	// Skipped is an attestation: it does not count against the cap.
	Skipped
)

// Signatures hands the signatures found for the manifest digest of repo to
// check, one by one, until check accepts one or max have been rejected:
// those of the OCI referrers API (or, when a registry answers it with 404,
// 400 or 406, or with something other than an index, the referrers tag
// schema, `sha256-<hex>`, as go-containerregistry's remote.Referrers
// does), then those of cosign's signature tag, `sha256-<hex>.sig`. Each
// costs a GET of its manifest (a referrer) and of its blob; finding them
// costs at most three requests. A referrer whose manifest names another
// predicate type than cosign's signature is an attestation, skipped
// unread. Reads are on the host that listed list (the registry without a
// list).
func (c *Client) Signatures(ctx context.Context, repo names.Repository, list *TagList, digest string, max int, check func(Signature) Outcome) error {
	on := repo
	if list != nil {
		on = list.listedOn(repo)
	}
	if _, err := v1.NewHash(digest); err != nil || !strings.HasPrefix(digest, "sha256:") {
		return c.fail("look for the signatures of "+digest, repo, fmt.Errorf("%q is not a sha256 manifest digest", digest))
	}
	err := c.signatures(ctx, on, digest, max, check)
	return c.fail("look for the signatures of "+digest, repo, err)
}

func (c *Client) signatures(ctx context.Context, repo names.Repository, digest string, max int, check func(Signature) Outcome) error {
	s, err := c.session(ctx, repo)
	if err != nil {
		return err
	}
	rejected, skipped := 0, 0
	// try hands one signature to check and reports whether the search is
	// over.
	try := func(sig Signature) bool {
		switch check(sig) {
		case Accepted:
			return true
		case Skipped:
			skipped++
			return skipped >= maxSkipped
		default:
			rejected++
			return rejected >= max
		}
	}
	refs, where, err := s.referrers(ctx, digest)
	if err != nil {
		return err
	}
	unnamed := 0
	for _, d := range refs {
		if p, ok := d.Annotations[predicateTypeAnnotation]; ok && p != SignPredicateType {
			continue // an attestation, named so by cosign
		}
		switch d.ArtifactType {
		case BundleType, cosignSigType:
		case "", emptyType:
			// go-containerregistry's registry lists an artifact under its
			// config's media type, not its artifactType
			// (google/go-containerregistry pkg/registry/manifest.go,
			// handleReferrers): its manifest says what it is.
			if unnamed++; unnamed > maxSkipped {
				continue
			}
		default:
			continue
		}
		raw, _, err := s.rawManifest(ctx, d.Digest.String(), string(types.OCIManifestSchema1))
		if notFound(err) {
			continue // deleted since it was listed
		}
		if err != nil {
			return err
		}
		if done, err := s.layers(ctx, raw, digest, where, try); done || err != nil {
			return err
		}
	}
	tag := strings.Replace(digest, ":", "-", 1) + ".sig"
	raw, _, err := s.rawManifest(ctx, tag, string(types.OCIManifestSchema1)+", "+string(types.DockerManifestSchema2))
	if notFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = s.layers(ctx, raw, digest, "the cosign tag "+tag, try)
	return err
}

// referrer is a descriptor of the referrers API's index.
type referrer struct {
	Digest       v1.Hash           `json:"digest"`
	ArtifactType string            `json:"artifactType"`
	Annotations  map[string]string `json:"annotations"`
}

// referrers lists the referrers of digest: from the referrers API, else
// from the referrers tag schema; none when neither has any.
func (s *session) referrers(ctx context.Context, digest string) ([]referrer, string, error) {
	fallback := strings.Replace(digest, ":", "-", 1)
	var index []referrer
	isIndex := false
	err := s.get(ctx, s.url("referrers/"+digest), string(types.OCIImageIndex), MaxManifestBytes, "the referrers of "+digest, func(resp *http.Response, body io.Reader) error {
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), string(types.OCIImageIndex)) {
			return nil
		}
		isIndex = true
		return decodeIndex(body, &index)
	})
	var se *transport.StatusError
	switch {
	case err == nil && isIndex:
		return index, "the referrers API", nil
	case err == nil, errors.As(err, &se) && (se.Status == http.StatusNotFound || se.Status == http.StatusBadRequest || se.Status == http.StatusNotAcceptable):
		// No referrers API: distribution v3 answers 404, and cosign v3
		// keeps bundles under the tag schema there.
	default:
		return nil, "", err
	}
	raw, _, err := s.rawManifest(ctx, fallback, string(types.OCIImageIndex))
	if notFound(err) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	if err := decodeIndex(strings.NewReader(string(raw)), &index); err != nil {
		return nil, "", err
	}
	return index, "the referrers tag " + fallback, nil
}

func decodeIndex(body io.Reader, into *[]referrer) error {
	var index struct {
		Manifests []referrer `json:"manifests"`
	}
	if err := json.NewDecoder(body).Decode(&index); err != nil {
		return fmt.Errorf("the referrers index is not valid JSON: %w", err)
	}
	*into = index.Manifests
	return nil
}

// notFound reports whether err is a registry's 404.
func notFound(err error) bool {
	var se *transport.StatusError
	return errors.As(err, &se) && se.Status == http.StatusNotFound
}

// signatureManifest is what a signature's manifest holds: its layers.
type signatureManifest struct {
	ArtifactType string `json:"artifactType"`
	Layers       []struct {
		MediaType   string            `json:"mediaType"`
		Digest      v1.Hash           `json:"digest"`
		Annotations map[string]string `json:"annotations"`
	} `json:"layers"`
}

// layers reads the blobs of a signature manifest's layers (a bundle, or a
// simple-signing payload) one by one, handing each to try until it reports
// that the search is over.
func (s *session) layers(ctx context.Context, raw []byte, subject, where string, try func(Signature) bool) (done bool, err error) {
	var m signatureManifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return false, fmt.Errorf("the signature manifest in %s is not valid JSON: %w", where, err)
	}
	if m.ArtifactType != "" && m.ArtifactType != BundleType && m.ArtifactType != cosignSigType {
		return false, nil // another kind of artifact
	}
	for _, l := range m.Layers {
		if l.MediaType != BundleType && l.MediaType != SimpleSigningType {
			continue
		}
		blob, err := s.blob(ctx, l.Digest, "the signature "+l.Digest.String())
		if err != nil {
			return false, err
		}
		sig := Signature{Subject: subject, Where: where}
		if l.MediaType == BundleType {
			sig.Bundle = blob
		} else {
			sig.Payload, sig.Annotations = blob, l.Annotations
		}
		if try(sig) {
			return true, nil
		}
	}
	return false, nil
}

// rawManifest GETs a manifest's bytes, accepting the media types given,
// and checks a manifest asked for by digest against it.
func (s *session) rawManifest(ctx context.Context, ref, accept string) (raw []byte, contentType string, err error) {
	err = s.get(ctx, s.url("manifests/"+ref), accept, MaxManifestBytes, "the manifest of "+ref, func(resp *http.Response, body io.Reader) error {
		if raw, err = io.ReadAll(body); err != nil {
			return err
		}
		contentType = resp.Header.Get("Content-Type")
		return nil
	})
	if err == nil && strings.HasPrefix(ref, "sha256:") {
		if got := sha256Digest(raw); got != ref {
			return nil, "", fmt.Errorf("manifest %s arrived with digest %s", ref, got)
		}
	}
	return raw, contentType, err
}

// blob GETs a blob of at most MaxManifestBytes and checks its digest.
func (s *session) blob(ctx context.Context, digest v1.Hash, what string) ([]byte, error) {
	var raw []byte
	err := s.get(ctx, s.url("blobs/"+digest.String()), "", MaxManifestBytes, what, func(_ *http.Response, body io.Reader) error {
		var err error
		raw, err = io.ReadAll(body)
		return err
	})
	if err != nil {
		return nil, err
	}
	if got := sha256Digest(raw); digest.Algorithm == "sha256" && got != digest.String() {
		return nil, fmt.Errorf("blob %s arrived with digest %s", digest, got)
	}
	return raw, nil
}

func sha256Digest(raw []byte) string {
	sum := sha256.Sum256(raw)
	return "sha256:" + hex.EncodeToString(sum[:])
}
