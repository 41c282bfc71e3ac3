package signature

import (
	"fmt"
	"time"

	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/verify"
	"github.com/sigstore/sigstore/pkg/signature"
)

// Config says who must have signed. Exactly one of the two modes applies:
//
//   - Key-based: PublicKeyPEM is set (cosign.pub, PKIX "PUBLIC KEY"). No
//     transparency log entry or timestamp is required. If TrustedMaterial is
//     also set, the bundle's tlog entries, when present, must verify against
//     it (and one is required with RequireTlog).
//   - Keyless: Identity or IdentityRegexp, and Issuer or IssuerRegexp, plus
//     TrustedMaterial (Fulcio, Rekor, TSA, CT). At least one verified observer
//     timestamp (Rekor integrated time or RFC 3161 timestamp) is required and
//     the certificate must be valid at every observed time, as `cosign verify`.
type Config struct {
	PublicKeyPEM []byte

	Identity       string
	IdentityRegexp string
	Issuer         string
	IssuerRegexp   string

	TrustedMaterial root.TrustedMaterial

	// RequireTlog requires at least one transparency log entry verified
	// against TrustedMaterial (cosign's default unless --insecure-ignore-tlog).
	// Without it, a keyless signature may rely on an RFC 3161 timestamp alone.
	RequireTlog bool
	// RequireSCT requires the Fulcio certificate to embed an SCT verified
	// against TrustedMaterial's CT logs (cosign's default unless
	// --insecure-ignore-sct; public-good Fulcio always embeds one).
	RequireSCT bool
}

// Verifier verifies image signatures against one Policy. Build it once with
// New and reuse it; it is safe for concurrent use.
type Verifier struct {
	policy   Config
	keyless  bool
	trusted  root.TrustedMaterial
	policyOp verify.PolicyOption

	// key-based only
	keyDER         []byte
	keyHint        string
	keyFingerprint string
}

// New validates p and returns a Verifier for it.
func New(p Config) (*Verifier, error) {
	keyless := p.Identity != "" || p.IdentityRegexp != "" || p.Issuer != "" || p.IssuerRegexp != ""
	switch {
	case len(p.PublicKeyPEM) > 0 && keyless:
		return nil, newError(ErrInvalidPolicy, "set either a public key or a keyless identity, not both", nil)
	case len(p.PublicKeyPEM) == 0 && !keyless:
		return nil, newError(ErrInvalidPolicy, "set a public key or a keyless identity and issuer", nil)
	case keyless && p.TrustedMaterial == nil:
		return nil, newError(ErrInvalidPolicy, "keyless verification needs a trusted root", nil)
	case !keyless && p.RequireTlog && p.TrustedMaterial == nil:
		return nil, newError(ErrInvalidPolicy, "requiring a transparency log entry needs a trusted root", nil)
	}

	v := &Verifier{policy: p, keyless: keyless}
	if keyless {
		id, err := verify.NewShortCertificateIdentity(p.Issuer, p.IssuerRegexp, p.Identity, p.IdentityRegexp)
		if err != nil {
			return nil, newError(ErrInvalidPolicy, "identity", err)
		}
		v.trusted = p.TrustedMaterial
		v.policyOp = verify.WithCertificateIdentity(id)
		return v, nil
	}

	pub, der, err := ParsePublicKeyPEM(p.PublicKeyPEM)
	if err != nil {
		return nil, newError(ErrInvalidPolicy, "public key", err)
	}
	sv, err := signature.LoadDefaultVerifier(pub)
	if err != nil {
		return nil, newError(ErrInvalidPolicy, "public key", err)
	}
	// Like cosign: the configured key answers for any hint; a wrong hint is
	// diagnosed after a failed verification.
	key := root.NewExpiringKey(sv, time.Time{}, time.Time{})
	keys := root.NewTrustedPublicKeyMaterial(func(string) (root.TimeConstrainedVerifier, error) { return key, nil })
	v.trusted = keys
	if p.TrustedMaterial != nil {
		v.trusted = root.TrustedMaterialCollection{p.TrustedMaterial, keys}
	}
	v.policyOp = verify.WithKey()
	v.keyDER = der
	v.keyHint = keyHint(der)
	v.keyFingerprint = fingerprintDER(der)
	return v, nil
}

// KeyFingerprint returns the configured key's fingerprint ("" if keyless).
func (v *Verifier) KeyFingerprint() string { return v.keyFingerprint }

// verifierOptions maps the policy to sigstore-go verifier options for b.
func (v *Verifier) verifierOptions(b *bundle.Bundle) []verify.VerifierOption {
	hasTlog := len(b.GetVerificationMaterial().GetTlogEntries()) > 0
	if !v.keyless {
		opts := []verify.VerifierOption{verify.WithNoObserverTimestamps()}
		if v.policy.TrustedMaterial != nil && (hasTlog || v.policy.RequireTlog) {
			opts = append(opts, verify.WithTransparencyLog(1))
		}
		return opts
	}
	// Observer timestamps: Rekor integrated times (from inclusion promises)
	// and RFC 3161 timestamps both count. Tlog entries are only verified
	// (and their times only counted) with WithTransparencyLog.
	opts := []verify.VerifierOption{verify.WithObserverTimestamps(1)}
	if hasTlog || v.policy.RequireTlog {
		opts = append(opts, verify.WithTransparencyLog(1))
	}
	if v.policy.RequireSCT {
		opts = append(opts, verify.WithSignedCertificateTimestamps(1))
	}
	return opts
}

func (v *Verifier) describePolicy() string {
	if !v.keyless {
		return fmt.Sprintf("key sha256:%s", v.keyFingerprint)
	}
	return fmt.Sprintf("identity %s, issuer %s",
		describeMatch(v.policy.Identity, v.policy.IdentityRegexp),
		describeMatch(v.policy.Issuer, v.policy.IssuerRegexp))
}

func describeMatch(exact, re string) string {
	switch {
	case exact != "" && re != "":
		return fmt.Sprintf("%q (and matching /%s/)", exact, re)
	case exact != "":
		return fmt.Sprintf("%q", exact)
	default:
		return fmt.Sprintf("matching /%s/", re)
	}
}
