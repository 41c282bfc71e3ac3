package signature

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/fulcio/certificate"
	"github.com/sigstore/sigstore-go/pkg/verify"
)

// Well-known strings.
const (
	CosignSignPredicateType = "https://sigstore.dev/cosign/sign/v1"
	InTotoPayloadType       = "application/vnd.in-toto+json"
	InTotoStatementV1       = "https://in-toto.io/Statement/v1"
	InTotoStatementV01      = "https://in-toto.io/Statement/v0.1"
)

// Kind is the form of a verified signature.
type Kind string

const (
	KindMessageSignature Kind = "message_signature" // bundle, message signature over the manifest digest
	KindDSSE             Kind = "dsse"              // bundle, DSSE in-toto statement (cosign sign/v1 predicate)
	KindLegacy           Kind = "legacy"            // cosign legacy .sig layer (simple signing payload)
)

// Verified describes a successful verification.
type Verified struct {
	Kind Kind
	// Keyless: SignedBy is "<SAN> (<issuer>)".
	SignedBy     string
	CertIdentity string
	CertIssuer   string
	// Key-based: lowercase hex SHA-256 of the key's DER SubjectPublicKeyInfo.
	KeyFingerprint string
	// Legacy only: critical.identity.docker-reference of the payload.
	DockerReference string
	// Verified observer timestamps (Tlog / TimestampAuthority); empty for key
	// signatures without a verified log entry.
	Timestamps   []verify.TimestampVerificationResult
	Verification *verify.VerificationResult
}

// Verify verifies a parsed bundle for the image digest ("sha256:<hex>")
// under policy p. See Verifier.Verify.
func Verify(b *bundle.Bundle, imageDigest string, p Config) (*Verified, error) {
	v, err := New(p)
	if err != nil {
		return nil, err
	}
	return v.Verify(b, imageDigest)
}

// VerifyJSON parses a bundle and verifies it under policy p; see
// Verifier.VerifyJSON.
func VerifyJSON(bundleJSON []byte, imageDigest string, p Config) (*Verified, error) {
	v, err := New(p)
	if err != nil {
		return nil, err
	}
	return v.VerifyJSON(bundleJSON, imageDigest)
}

// VerifyJSON parses a bundle (any media type sigstore-go accepts: v0.1-v0.3)
// and verifies it; see Verifier.Verify.
func (v *Verifier) VerifyJSON(bundleJSON []byte, imageDigest string) (*Verified, error) {
	var b bundle.Bundle
	if err := b.UnmarshalJSON(bundleJSON); err != nil {
		return nil, newError(ErrMalformed, "parsing bundle", err)
	}
	return v.Verify(&b, imageDigest)
}

// Verify checks that b is a valid signature of the image manifest digest
// imageDigest ("sha256:<hex>") under the Verifier's policy:
//   - message signature: its digest must be the image digest, verified with
//     verify.WithArtifactDigest("sha256", digest);
//   - DSSE: the in-toto statement must have predicateType
//     https://sigstore.dev/cosign/sign/v1 and a sha256 subject equal to the
//     image digest (other predicate types return ErrAttestation, unverified).
//
// Errors are *Error values; see the Err* reasons.
func (v *Verifier) Verify(b *bundle.Bundle, imageDigest string) (*Verified, error) {
	digest, err := parseImageDigest(imageDigest)
	if err != nil {
		return nil, err
	}
	return v.verify(b, target{digest: digest})
}

// target is what the signature must be about.
type target struct {
	digest  []byte // image manifest sha256 digest
	payload []byte // legacy: the signed simple-signing payload; nil for bundles
}

func (t target) artifactPolicy() verify.ArtifactPolicyOption {
	if t.payload != nil {
		return verify.WithArtifact(bytes.NewReader(t.payload))
	}
	return verify.WithArtifactDigest("sha256", t.digest)
}

func (v *Verifier) verify(b *bundle.Bundle, t target) (*Verified, error) {
	if b == nil || b.Bundle == nil {
		return nil, newError(ErrMalformed, "nil bundle", nil)
	}
	sigContent, err := b.SignatureContent()
	if err != nil {
		return nil, newError(ErrMalformed, "signature content", err)
	}
	vc, err := b.VerificationContent()
	if err != nil {
		return nil, newError(ErrMalformed, "verification material", err)
	}
	kind, err := v.precheck(sigContent, vc, t)
	if err != nil {
		return nil, err
	}

	verifier, err := verify.NewVerifier(v.trusted, v.verifierOptions(b)...)
	if err != nil {
		return nil, newError(ErrInvalidPolicy, "verifier options", err)
	}
	res, err := verifier.Verify(b, verify.NewPolicy(t.artifactPolicy(), v.policyOp))
	if err != nil {
		return nil, v.diagnose(b, verifier, sigContent, vc, t, err)
	}

	out := &Verified{Kind: kind, Timestamps: res.VerifiedTimestamps, Verification: res}
	if c := res.Signature.Certificate; c != nil {
		out.CertIdentity, out.CertIssuer = c.SubjectAlternativeName, c.Issuer
		out.SignedBy = SignedBy(res)
	} else {
		out.KeyFingerprint = v.keyFingerprint
	}
	return out, nil
}

// precheck rejects, before any cryptography, signatures that are not about
// the target or not of the policy's kind. It only reads unverified content;
// success still requires the full sigstore-go verification.
func (v *Verifier) precheck(sig verify.SignatureContent, vc verify.VerificationContent, t target) (Kind, error) {
	kind := KindMessageSignature
	if env := sig.EnvelopeContent(); env != nil {
		kind = KindDSSE
		if err := checkStatement(env.RawEnvelope().PayloadType, env.RawEnvelope().Payload, t.digest); err != nil {
			return kind, err
		}
	} else if msg := sig.MessageSignatureContent(); msg != nil && t.payload == nil {
		if msg.DigestAlgorithm() != "SHA2_256" || !bytes.Equal(msg.Digest(), t.digest) {
			alg := strings.ToLower(msg.DigestAlgorithm())
			if alg == "sha2_256" {
				alg = "sha256"
			}
			return kind, newError(ErrDigestMismatch, fmt.Sprintf("signature is for %s:%x, image is sha256:%x",
				alg, msg.Digest(), t.digest), nil)
		}
	}

	cert := vc.Certificate()
	switch {
	case v.keyless && cert == nil:
		return kind, newError(ErrIdentityMismatch, "signed with a public key, policy requires a keyless "+v.describePolicy(), nil)
	case !v.keyless && cert != nil:
		e := newError(ErrWrongKey, "", nil)
		e.CertIdentity, e.CertIssuer = certIdentity(cert)
		e.Detail = fmt.Sprintf("keyless signature by %s (%s), policy requires %s", e.CertIdentity, e.CertIssuer, v.describePolicy())
		return kind, e
	}
	return kind, nil
}

// checkStatement checks an (unverified) DSSE payload is a cosign signature
// statement about digest.
func checkStatement(payloadType, payloadB64 string, digest []byte) error {
	if payloadType != InTotoPayloadType {
		return newError(ErrMalformed, fmt.Sprintf("unsupported DSSE payload type %q", payloadType), nil)
	}
	payload, err := base64.StdEncoding.DecodeString(payloadB64)
	if err != nil {
		return newError(ErrMalformed, "DSSE payload", err)
	}
	var st struct {
		Type          string `json:"_type"`
		PredicateType string `json:"predicateType"`
		Subject       []struct {
			Digest map[string]string `json:"digest"`
		} `json:"subject"`
	}
	if err := json.Unmarshal(payload, &st); err != nil {
		return newError(ErrMalformed, "in-toto statement", err)
	}
	if st.Type != InTotoStatementV1 && st.Type != InTotoStatementV01 {
		return newError(ErrMalformed, fmt.Sprintf("unsupported in-toto statement type %q", st.Type), nil)
	}
	if st.PredicateType != CosignSignPredicateType {
		return newError(ErrAttestation, fmt.Sprintf("predicate type %s", st.PredicateType), nil)
	}
	want := hex.EncodeToString(digest)
	var got []string
	for _, s := range st.Subject {
		d := strings.ToLower(s.Digest["sha256"])
		if d == want {
			return nil
		}
		if d != "" {
			got = append(got, "sha256:"+d)
		}
	}
	return newError(ErrDigestMismatch, fmt.Sprintf("statement subjects %v, image is sha256:%s", got, want), nil)
}

// diagnose turns a failed sigstore-go verification into an *Error with the
// most specific reason. It re-runs the individual sigstore-go checks in an
// order that isolates each cause; it never turns a failure into a success.
func (v *Verifier) diagnose(b *bundle.Bundle, verifier *verify.Verifier, sig verify.SignatureContent,
	vc verify.VerificationContent, t target, verr error) error {
	e := newError(ErrUntrusted, "", verr)
	cert := vc.Certificate()
	if cert != nil {
		e.CertIdentity, e.CertIssuer = certIdentity(cert)
	}

	// sigstore-go checks the identity last, so everything else verified.
	var idErr *verify.ErrNoMatchingCertificateIdentity
	if errors.As(verr, &idErr) {
		e.Reason = ErrIdentityMismatch
		e.Detail = fmt.Sprintf("certificate is for %q issued by %q, policy requires %s",
			e.CertIdentity, e.CertIssuer, v.describePolicy())
		return e
	}

	if err := v.checkSignature(sig, vc, t); err != nil {
		e.Cause = err
		if v.keyless {
			e.Reason, e.Detail = ErrInvalidSignature, "signature does not match the signed content (tampered payload or signature)"
		} else {
			v.diagnoseKey(b, vc, e)
		}
		return e
	}

	if cert != nil {
		if at, by, ok := v.observedOutsideValidity(b, cert); ok {
			e.Reason = ErrCertificateExpired
			e.Detail = fmt.Sprintf("certificate valid from %s to %s, signature observed at %s by %s",
				cert.NotBefore.UTC().Format(time.RFC3339), cert.NotAfter.UTC().Format(time.RFC3339),
				at.UTC().Format(time.RFC3339), by)
			return e
		}
	}

	nTlog := len(b.GetVerificationMaterial().GetTlogEntries())
	nTSA := len(b.GetVerificationMaterial().GetTimestampVerificationData().GetRfc3161Timestamps())
	tlogTimes, err := verifier.VerifyTransparencyLogInclusion(b)
	if err != nil {
		e.Cause = err
		if nTlog == 0 {
			e.Reason, e.Detail = ErrNoObserverTimestamp, "a transparency log entry is required, the signature has none"
		} else {
			e.Detail = "transparency log entry does not verify against the trusted root"
		}
		return e
	}
	if v.keyless {
		if _, err := verifier.VerifyObserverTimestamps(b, tlogTimes); err != nil {
			e.Reason = ErrNoObserverTimestamp
			if nTlog+nTSA == 0 {
				e.Cause, e.Detail = nil, "signature has no transparency log entry and no RFC 3161 timestamp"
			} else {
				e.Cause = err
				e.Detail = fmt.Sprintf("none of the signature's %d transparency log entries and %d RFC 3161 timestamps verified", nTlog, nTSA)
			}
			return e
		}
	}

	// Remaining causes: certificate chain, SCT, key validity window.
	e.Detail = "verification against the trusted root failed"
	return e
}

func (v *Verifier) checkSignature(sig verify.SignatureContent, vc verify.VerificationContent, t target) error {
	if t.payload != nil {
		return verify.VerifySignatureWithArtifacts(sig, vc, v.trusted, []io.Reader{bytes.NewReader(t.payload)})
	}
	return verify.VerifySignatureWithArtifactDigests(sig, vc, v.trusted,
		[]verify.ArtifactDigest{{Algorithm: "sha256", Digest: t.digest}})
}

// diagnoseKey tells "another key" from "tampered" for a key signature that
// failed to verify with the configured key, using the bundle's key hint or
// the signer key recorded in its (unverified) tlog entries, and sets e's
// Reason and Detail accordingly.
func (v *Verifier) diagnoseKey(b *bundle.Bundle, vc verify.VerificationContent, e *Error) {
	const tampered = "signature by the configured key does not match the signed content (tampered payload or signature)"
	if pk := vc.PublicKey(); pk != nil && pk.Hint() != "" {
		if pk.Hint() == v.keyHint {
			e.Reason, e.Detail = ErrInvalidSignature, tampered
			return
		}
		e.Reason = ErrWrongKey
		e.Detail = fmt.Sprintf("signed by key with hint %s, policy requires %s (hint %s)", pk.Hint(), v.describePolicy(), v.keyHint)
		return
	}
	entries, _ := b.TlogEntries()
	for _, entry := range entries {
		der, err := x509.MarshalPKIXPublicKey(entry.PublicKey())
		if err != nil {
			continue
		}
		if bytes.Equal(der, v.keyDER) {
			e.Reason, e.Detail = ErrInvalidSignature, tampered
			return
		}
		e.Reason = ErrWrongKey
		e.Detail = fmt.Sprintf("transparency log records signer key sha256:%s, policy requires %s", fingerprintDER(der), v.describePolicy())
		return
	}
	e.Reason = ErrWrongKey
	e.Detail = fmt.Sprintf("signature does not verify with %s (signed by another key, or tampered)", v.describePolicy())
}

// observedOutsideValidity reports an observer time (tlog integrated time or
// verified RFC 3161 time) outside the certificate's validity.
func (v *Verifier) observedOutsideValidity(b *bundle.Bundle, cert *x509.Certificate) (time.Time, string, bool) {
	outside := func(t time.Time) bool { return t.Before(cert.NotBefore) || t.After(cert.NotAfter) }
	entries, _ := b.TlogEntries()
	for _, entry := range entries {
		if t := entry.IntegratedTime(); !t.IsZero() && outside(t) {
			return t, "the transparency log", true
		}
	}
	stamps, _, _ := verify.VerifySignedTimestamp(b, v.trusted)
	for _, ts := range stamps {
		if outside(ts.Time) {
			return ts.Time, "timestamp authority " + ts.URI, true
		}
	}
	return time.Time{}, "", false
}

func certIdentity(cert *x509.Certificate) (string, string) {
	s, err := certificate.SummarizeCertificate(cert)
	if err != nil {
		return "", ""
	}
	return s.SubjectAlternativeName, s.Issuer
}

// parseImageDigest accepts "sha256:<64 hex>" (or bare hex).
func parseImageDigest(s string) ([]byte, error) {
	h := strings.TrimPrefix(s, "sha256:")
	d, err := hex.DecodeString(h)
	if err != nil || len(d) != 32 {
		return nil, newError(ErrMalformed, fmt.Sprintf("image digest %q is not sha256:<64 hex>", s), nil)
	}
	return d, nil
}
