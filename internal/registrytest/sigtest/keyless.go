package sigtest

import (
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/secure-systems-lab/go-securesystemslib/dsse"
	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	protodsse "github.com/sigstore/protobuf-specs/gen/pb-go/dsse"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
)

// KeylessBundle returns a v0.3 bundle (JSON) holding a message signature
// over the image manifest digest digestHex (64 hex chars, "sha256:" prefix
// allowed), signed by a fresh Fulcio certificate of vs for the configured
// identity/issuer, with a Rekor hashedrekord entry (inclusion proof and
// promise) and an RFC 3161 timestamp unless disabled by options.
//
// Options: WithIdentity, WithIssuer, WithExpiredCertificate, WithoutTlogEntry,
// WithoutTimestamp, WithTamperedPayload.
func KeylessBundle(vs *ca.VirtualSigstore, digestHex string, opts ...Option) ([]byte, error) {
	o := newOptions(opts)
	digest, err := decodeDigest(digestHex)
	if err != nil {
		return nil, err
	}
	s, err := newKeylessSigner(vs, o)
	if err != nil {
		return nil, err
	}
	signed := digest
	if o.tampered {
		signed = otherDigest(digest)
	}
	sig, err := signDigest(s.key, signed)
	if err != nil {
		return nil, err
	}
	vm, err := s.verificationMaterial(vs, o, sig, func() ([]byte, error) {
		return hashedRekordBody(signed, sig, s.certPEM)
	}, hashedRekordKind, hashedRekordVersion)
	if err != nil {
		return nil, err
	}
	return marshalBundle(&protobundle.Bundle{
		MediaType:            BundleMediaType03,
		VerificationMaterial: vm,
		Content:              messageSignature(digest, sig),
	})
}

// KeylessDSSEBundle returns a v0.3 bundle (JSON) holding a DSSE envelope
// whose payload is an in-toto v1 statement with the given predicateType
// (CosignSignPredicateType for what `cosign sign` produces with the new
// bundle format, or e.g. SLSAProvenancePredicateType for an attestation) and
// one subject with the sha256 digest digestHex. Logged as a Rekor dsse v0.0.1
// entry. Options as for KeylessBundle.
func KeylessDSSEBundle(vs *ca.VirtualSigstore, digestHex, predicateType string, opts ...Option) ([]byte, error) {
	o := newOptions(opts)
	digest, err := decodeDigest(digestHex)
	if err != nil {
		return nil, err
	}
	payload, err := statement(digest, predicateType, false)
	if err != nil {
		return nil, err
	}
	s, err := newKeylessSigner(vs, o)
	if err != nil {
		return nil, err
	}
	pae := sha256.Sum256(dsse.PAE(InTotoPayloadType, payload))
	sig, err := signDigest(s.key, pae[:])
	if err != nil {
		return nil, err
	}
	vm, err := s.verificationMaterial(vs, o, sig, func() ([]byte, error) {
		envJSON, err := json.Marshal(dsse.Envelope{
			PayloadType: InTotoPayloadType,
			Payload:     base64.StdEncoding.EncodeToString(payload),
			Signatures:  []dsse.Signature{{Sig: base64.StdEncoding.EncodeToString(sig)}},
		})
		if err != nil {
			return nil, err
		}
		return dsseBody(envJSON, s.certPEM)
	}, dsseKind, dsseVersion)
	if err != nil {
		return nil, err
	}
	if o.tampered {
		if payload, err = statement(digest, predicateType, true); err != nil {
			return nil, err
		}
	}
	return marshalBundle(&protobundle.Bundle{
		MediaType:            BundleMediaType03,
		VerificationMaterial: vm,
		Content: &protobundle.Bundle_DsseEnvelope{DsseEnvelope: &protodsse.Envelope{
			Payload:     payload,
			PayloadType: InTotoPayloadType,
			Signatures:  []*protodsse.Signature{{Sig: sig}},
		}},
	})
}

// keylessSigner is a Fulcio leaf certificate with its private key and the
// time at which signatures are "observed" (logged).
type keylessSigner struct {
	cert       *x509.Certificate
	certPEM    []byte
	chain      []*x509.Certificate // intermediates then root
	key        crypto.Signer
	observedAt time.Time
}

func newKeylessSigner(vs *ca.VirtualSigstore, o options) (*keylessSigner, error) {
	cert, priv, err := vs.GenerateLeafCert(o.identity, o.issuer)
	if err != nil {
		return nil, err
	}
	key, ok := priv.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("leaf key %T is not a crypto.Signer", priv)
	}
	certPEM, err := cryptoutils.MarshalCertificateToPEM(cert)
	if err != nil {
		return nil, err
	}
	var chain []*x509.Certificate
	for _, a := range vs.FulcioCertificateAuthorities() {
		if fca, ok := a.(*root.FulcioCertificateAuthority); ok {
			chain = append(append(chain, fca.Intermediates...), fca.Root)
			break
		}
	}
	observedAt := cert.NotBefore.Add(time.Minute)
	if o.expired {
		observedAt = cert.NotAfter.Add(5 * time.Minute)
	}
	return &keylessSigner{cert: cert, certPEM: certPEM, chain: chain, key: key, observedAt: observedAt}, nil
}

// verificationMaterial returns the v0.3 verification material: the leaf
// certificate, a Rekor entry for the body built by mkBody (unless
// WithoutTlogEntry) and an RFC 3161 timestamp over sig (unless
// WithoutTimestamp).
func (s *keylessSigner) verificationMaterial(vs *ca.VirtualSigstore, o options, sig []byte,
	mkBody func() ([]byte, error), kind, version string) (*protobundle.VerificationMaterial, error) {
	vm := &protobundle.VerificationMaterial{
		Content: &protobundle.VerificationMaterial_Certificate{
			Certificate: &protocommon.X509Certificate{RawBytes: s.cert.Raw},
		},
	}
	if !o.noTlog {
		body, err := mkBody()
		if err != nil {
			return nil, err
		}
		tle, err := logEntry(vs, kind, version, body, s.observedAt)
		if err != nil {
			return nil, err
		}
		vm.TlogEntries = append(vm.TlogEntries, tle)
	}
	if !o.noTimestamp {
		tsr, err := vs.TimestampResponse(sig)
		if err != nil {
			return nil, err
		}
		vm.TimestampVerificationData = &protobundle.TimestampVerificationData{
			Rfc3161Timestamps: []*protocommon.RFC3161SignedTimestamp{{SignedTimestamp: tsr}},
		}
	}
	return vm, nil
}

func messageSignature(digest, sig []byte) *protobundle.Bundle_MessageSignature {
	return &protobundle.Bundle_MessageSignature{MessageSignature: &protocommon.MessageSignature{
		MessageDigest: &protocommon.HashOutput{Algorithm: protocommon.HashAlgorithm_SHA2_256, Digest: digest},
		Signature:     sig,
	}}
}

// marshalBundle validates pb the way sigstore-go loads bundles and renders
// it as protobuf JSON.
func marshalBundle(pb *protobundle.Bundle) ([]byte, error) {
	b, err := bundle.NewBundle(pb)
	if err != nil {
		return nil, fmt.Errorf("fixture bundle does not validate: %w", err)
	}
	return b.MarshalJSON()
}

// signDigest signs a SHA-256 digest (ECDSA: ASN.1 DER signature).
func signDigest(key crypto.Signer, digest []byte) ([]byte, error) {
	return key.Sign(rand.Reader, digest, crypto.SHA256)
}

func decodeDigest(digestHex string) ([]byte, error) {
	d, err := hex.DecodeString(strings.TrimPrefix(digestHex, "sha256:"))
	if err != nil || len(d) != sha256.Size {
		return nil, fmt.Errorf("digest %q is not a sha256 hex digest", digestHex)
	}
	return d, nil
}

// otherDigest derives a different digest from d (what a tampered bundle
// really signed).
func otherDigest(d []byte) []byte {
	h := sha256.Sum256(append([]byte("tampered:"), d...))
	return h[:]
}

type inTotoSubject struct {
	Name   string            `json:"name,omitempty"`
	Digest map[string]string `json:"digest"`
}

type inTotoStatement struct {
	Type          string          `json:"_type"`
	Subject       []inTotoSubject `json:"subject"`
	PredicateType string          `json:"predicateType"`
	Predicate     map[string]any  `json:"predicate"`
}

// statement renders an in-toto v1 statement about digest, shaped like the
// one `cosign sign --new-bundle-format` writes (subject has only a digest).
func statement(digest []byte, predicateType string, tampered bool) ([]byte, error) {
	predicate := map[string]any{}
	if predicateType == SLSAProvenancePredicateType {
		predicate = map[string]any{
			"buildDefinition": map[string]any{
				"buildType":          "https://example.com/build-type/v1",
				"externalParameters": map[string]any{"ref": "refs/heads/main"},
			},
			"runDetails": map[string]any{"builder": map[string]any{"id": "https://example.com/builder"}},
		}
	}
	if tampered {
		predicate["tampered"] = true
	}
	return json.Marshal(inTotoStatement{
		Type:          InTotoStatementType,
		Subject:       []inTotoSubject{{Digest: map[string]string{"sha256": hex.EncodeToString(digest)}}},
		PredicateType: predicateType,
		Predicate:     predicate,
	})
}
