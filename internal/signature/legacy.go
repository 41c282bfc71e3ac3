package signature

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"

	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	protorekor "github.com/sigstore/protobuf-specs/gen/pb-go/rekor/v1"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
)

// Annotations cosign writes on the layers of a legacy ".sig" image.
const (
	AnnotationSignature        = "dev.cosignproject.cosign/signature"
	AnnotationCertificate      = "dev.sigstore.cosign/certificate"
	AnnotationChain            = "dev.sigstore.cosign/chain"
	AnnotationBundle           = "dev.sigstore.cosign/bundle"
	AnnotationRFC3161Timestamp = "dev.sigstore.cosign/rfc3161timestamp"

	// LegacyBundleMediaType is the bundle version FromLegacy produces: v0.1
	// is the only one sigstore-go accepts with an inclusion promise (SET) and
	// no inclusion proof, which is all a legacy Rekor bundle annotation has.
	LegacyBundleMediaType = "application/vnd.dev.sigstore.bundle+json;version=0.1"

	simpleSigningType = "cosign container image signature"
)

// VerifyLegacy verifies a cosign legacy signature layer (its payload blob and
// annotations) for the image digest: the signature is verified over the
// payload bytes (verify.WithArtifact), and the payload's
// critical.image.docker-manifest-digest must be the image digest.
func (v *Verifier) VerifyLegacy(payload []byte, annotations map[string]string, imageDigest string) (*Verified, error) {
	digest, err := parseImageDigest(imageDigest)
	if err != nil {
		return nil, err
	}
	ref, err := checkSimpleSigning(payload, digest)
	if err != nil {
		return nil, err
	}
	b, err := FromLegacy(payload, annotations)
	if err != nil {
		return nil, newError(ErrMalformed, "legacy signature", err)
	}
	res, err := v.verify(b, target{digest: digest, payload: payload})
	if err != nil {
		return nil, err
	}
	res.Kind = KindLegacy
	res.DockerReference = ref
	return res, nil
}

// checkSimpleSigning checks the (unverified) simple-signing payload is a
// cosign image signature for digest and returns its docker-reference.
func checkSimpleSigning(payload, digest []byte) (string, error) {
	var p struct {
		Critical struct {
			Identity struct {
				DockerReference string `json:"docker-reference"`
			} `json:"identity"`
			Image struct {
				DockerManifestDigest string `json:"docker-manifest-digest"`
			} `json:"image"`
			Type string `json:"type"`
		} `json:"critical"`
	}
	if err := json.Unmarshal(payload, &p); err != nil {
		return "", newError(ErrMalformed, "simple signing payload", err)
	}
	if p.Critical.Type != simpleSigningType {
		return "", newError(ErrMalformed, fmt.Sprintf("payload type %q, want %q", p.Critical.Type, simpleSigningType), nil)
	}
	want := "sha256:" + hex.EncodeToString(digest)
	if got := p.Critical.Image.DockerManifestDigest; got != want {
		return "", newError(ErrDigestMismatch, fmt.Sprintf("payload is for %s, image is %s", got, want), nil)
	}
	return p.Critical.Identity.DockerReference, nil
}

// FromLegacy converts a cosign legacy signature layer into a v0.1 bundle:
// a message signature whose digest is sha256(payload), the certificate (and
// chain) for keyless signatures or an empty public-key identifier for key
// signatures, the Rekor entry of the bundle annotation (canonicalized body,
// integrated time, log index, log ID, inclusion promise = SET; kind and
// version read from the body) and the RFC 3161 timestamp annotation.
// Verify it with verify.WithArtifact(bytes.NewReader(payload)).
func FromLegacy(payload []byte, annotations map[string]string) (*bundle.Bundle, error) {
	sigB64, ok := annotations[AnnotationSignature]
	if !ok || sigB64 == "" {
		return nil, fmt.Errorf("missing %s annotation", AnnotationSignature)
	}
	sig, err := base64.StdEncoding.DecodeString(sigB64)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", AnnotationSignature, err)
	}
	digest := sha256.Sum256(payload)

	vm := &protobundle.VerificationMaterial{}
	if certPEM := annotations[AnnotationCertificate]; certPEM != "" {
		chain, err := legacyCertificates(certPEM, annotations[AnnotationChain])
		if err != nil {
			return nil, err
		}
		vm.Content = &protobundle.VerificationMaterial_X509CertificateChain{
			X509CertificateChain: &protocommon.X509CertificateChain{Certificates: chain},
		}
	} else {
		vm.Content = &protobundle.VerificationMaterial_PublicKey{PublicKey: &protocommon.PublicKeyIdentifier{}}
	}
	if rb := annotations[AnnotationBundle]; rb != "" {
		tle, err := legacyTlogEntry(rb)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", AnnotationBundle, err)
		}
		vm.TlogEntries = []*protorekor.TransparencyLogEntry{tle}
	}
	if ts := annotations[AnnotationRFC3161Timestamp]; ts != "" {
		var t struct{ SignedRFC3161Timestamp []byte }
		if err := json.Unmarshal([]byte(ts), &t); err != nil {
			return nil, fmt.Errorf("%s: %w", AnnotationRFC3161Timestamp, err)
		}
		vm.TimestampVerificationData = &protobundle.TimestampVerificationData{
			Rfc3161Timestamps: []*protocommon.RFC3161SignedTimestamp{{SignedTimestamp: t.SignedRFC3161Timestamp}},
		}
	}

	return bundle.NewBundle(&protobundle.Bundle{
		MediaType:            LegacyBundleMediaType,
		VerificationMaterial: vm,
		Content: &protobundle.Bundle_MessageSignature{MessageSignature: &protocommon.MessageSignature{
			MessageDigest: &protocommon.HashOutput{Algorithm: protocommon.HashAlgorithm_SHA2_256, Digest: digest[:]},
			Signature:     sig,
		}},
	})
}

// legacyCertificates returns the leaf followed by the chain annotation's
// certificates. (sigstore-go only uses the leaf of a v0.1 chain; the trusted
// root supplies intermediates.)
func legacyCertificates(leafPEM, chainPEM string) ([]*protocommon.X509Certificate, error) {
	leaf, err := cryptoutils.UnmarshalCertificatesFromPEM([]byte(leafPEM))
	if err != nil || len(leaf) != 1 {
		return nil, fmt.Errorf("%s: expected one PEM certificate", AnnotationCertificate)
	}
	out := []*protocommon.X509Certificate{{RawBytes: leaf[0].Raw}}
	if chainPEM != "" {
		chain, err := cryptoutils.UnmarshalCertificatesFromPEM([]byte(chainPEM))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", AnnotationChain, err)
		}
		for _, c := range chain {
			out = append(out, &protocommon.X509Certificate{RawBytes: c.Raw})
		}
	}
	return out, nil
}

// legacyTlogEntry converts cosign's Rekor bundle annotation
// ({"SignedEntryTimestamp": b64, "Payload": {"body": b64, "integratedTime",
// "logIndex", "logID": hex}}) into a TransparencyLogEntry with an inclusion
// promise.
func legacyTlogEntry(annotation string) (*protorekor.TransparencyLogEntry, error) {
	var rb struct {
		SignedEntryTimestamp []byte
		Payload              struct {
			Body           string `json:"body"`
			IntegratedTime int64  `json:"integratedTime"`
			LogIndex       int64  `json:"logIndex"`
			LogID          string `json:"logID"`
		}
	}
	if err := json.Unmarshal([]byte(annotation), &rb); err != nil {
		return nil, err
	}
	body, err := base64.StdEncoding.DecodeString(rb.Payload.Body)
	if err != nil {
		return nil, fmt.Errorf("body: %w", err)
	}
	logID, err := hex.DecodeString(rb.Payload.LogID)
	if err != nil {
		return nil, fmt.Errorf("logID: %w", err)
	}
	var kv struct {
		Kind       string `json:"kind"`
		APIVersion string `json:"apiVersion"`
	}
	if err := json.Unmarshal(body, &kv); err != nil {
		return nil, fmt.Errorf("body: %w", err)
	}
	return &protorekor.TransparencyLogEntry{
		LogIndex:          rb.Payload.LogIndex,
		LogId:             &protocommon.LogId{KeyId: logID},
		KindVersion:       &protorekor.KindVersion{Kind: kv.Kind, Version: kv.APIVersion},
		IntegratedTime:    rb.Payload.IntegratedTime,
		InclusionPromise:  &protorekor.InclusionPromise{SignedEntryTimestamp: rb.SignedEntryTimestamp},
		CanonicalizedBody: body,
	}, nil
}
