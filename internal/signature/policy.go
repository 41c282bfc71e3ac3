// Package signature verifies the signatures that cosign and other Sigstore
// clients attach to container images: Sigstore bundles (message signatures
// and DSSE envelopes) and cosign's simple-signing payloads, signed with a
// key or keyless, against one signer, with sigstore-go.
//
// It knows nothing of registries: the registry package finds the
// signatures, this package says whether one is from the signer asked for.
package signature

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/verify"
)

// Spec is the signature argument as written.
type Spec struct {
	PublicKey                string
	Identity, IdentityRegexp string
	Issuer, IssuerRegexp     string
	// TrustedRoot is the JSON of a Sigstore trusted root.
	TrustedRoot string
}

// Policy is a parsed Spec: the one signer whose signatures are accepted.
// It is safe for concurrent use.
type Policy struct {
	spec        Spec
	key         crypto.PublicKey
	fingerprint string            // of key
	trusted     *root.TrustedRoot // nil: the public-good instance's, for keyless
	cacheKey    string
	// who names the keyless signer asked for.
	who string

	mu sync.Mutex
	// verifier verifies against the policy's own trusted material;
	// publicGood against the public-good root it was built for.
	verifier, publicGood *Verifier
	publicGoodRoot       TrustedMaterial
}

// Parse checks a Spec: either a public key, or an identity and an issuer
// (one of each pair); regular expressions are RE2, matched whole; a
// trusted root must parse. It reaches no network.
func Parse(s Spec) (*Policy, error) {
	keyless := s.Identity != "" || s.IdentityRegexp != "" || s.Issuer != "" || s.IssuerRegexp != ""
	p := &Policy{spec: s}
	switch {
	case s.PublicKey != "" && keyless:
		return nil, errors.New("set either public_key, or an identity and an issuer (keyless), not both")
	case s.PublicKey != "":
		key, err := ParsePublicKey(s.PublicKey)
		if err != nil {
			return nil, err
		}
		p.key, p.fingerprint = key, Fingerprint(key)
	case !keyless:
		return nil, errors.New("set public_key, or an identity (identity or identity_regexp) and an issuer (issuer or issuer_regexp)")
	default:
		if err := checkIdentity(s); err != nil {
			return nil, err
		}
		p.who = describeIdentity(s)
	}
	if s.TrustedRoot != "" {
		if !strings.HasPrefix(strings.TrimSpace(s.TrustedRoot), "{") {
			return nil, errors.New("trusted_root must be the JSON of a trusted root, such as file(\"trusted_root.json\"), not a path")
		}
		tr, err := root.NewTrustedRootFromJSON([]byte(s.TrustedRoot))
		if err != nil {
			return nil, fmt.Errorf("trusted_root is not a Sigstore trusted root: %w", err)
		}
		p.trusted = tr
	}
	if !p.NeedsPublicGood() {
		var trusted TrustedMaterial // a nil *root.TrustedRoot is no TrustedMaterial
		if p.trusted != nil {
			trusted = p.trusted
		}
		v, err := p.newVerifier(trusted)
		if err != nil {
			return nil, err
		}
		p.verifier = v
	}
	sum := sha256.Sum256([]byte(strings.Join([]string{s.PublicKey, s.Identity, s.IdentityRegexp, s.Issuer, s.IssuerRegexp, s.TrustedRoot}, "\x00")))
	p.cacheKey = hex.EncodeToString(sum[:])
	return p, nil
}

// checkIdentity checks the keyless identity: one of identity and
// identity_regexp, and one of issuer and issuer_regexp.
func checkIdentity(s Spec) error {
	switch {
	case s.Identity != "" && s.IdentityRegexp != "":
		return errors.New("set identity or identity_regexp, not both")
	case s.Issuer != "" && s.IssuerRegexp != "":
		return errors.New("set issuer or issuer_regexp, not both")
	case s.Identity == "" && s.IdentityRegexp == "":
		return errors.New("keyless verification needs the signer's identity: set identity or identity_regexp")
	case s.Issuer == "" && s.IssuerRegexp == "":
		return errors.New("keyless verification needs the identity's OIDC issuer: set issuer or issuer_regexp")
	}
	idRE, err := whole("identity_regexp", s.IdentityRegexp)
	if err != nil {
		return err
	}
	issuerRE, err := whole("issuer_regexp", s.IssuerRegexp)
	if err != nil {
		return err
	}
	if _, err := verify.NewShortCertificateIdentity(s.Issuer, issuerRE, s.Identity, idRE); err != nil {
		return fmt.Errorf("the identity cannot be used: %w", err)
	}
	return nil
}

// describeIdentity names a keyless signer as asked for.
func describeIdentity(s Spec) string {
	id, issuer := fmt.Sprintf("identity %q", s.Identity), fmt.Sprintf("issuer %q", s.Issuer)
	if s.IdentityRegexp != "" {
		id = fmt.Sprintf("an identity matching %q", s.IdentityRegexp)
	}
	if s.IssuerRegexp != "" {
		issuer = fmt.Sprintf("an issuer matching %q", s.IssuerRegexp)
	}
	return id + " with " + issuer
}

// whole checks an RE2 pattern and anchors it, so that it must match the
// whole value.
func whole(field, pattern string) (string, error) {
	if pattern == "" {
		return "", nil
	}
	if _, err := regexp.Compile(pattern); err != nil {
		return "", fmt.Errorf("%s %q is not an RE2 pattern: %w", field, pattern, err)
	}
	return "^(?:" + pattern + ")$", nil
}

// ParsePublicKey reads a PEM public key as cosign writes it (PKIX:
// "PUBLIC KEY"): ECDSA, Ed25519 or RSA.
func ParsePublicKey(text string) (crypto.PublicKey, error) {
	block, _ := pem.Decode([]byte(strings.TrimSpace(text)))
	if block == nil {
		return nil, errors.New("public_key is not PEM: give the text of cosign.pub (-----BEGIN PUBLIC KEY-----), such as file(\"cosign.pub\")")
	}
	if block.Type != "PUBLIC KEY" {
		return nil, fmt.Errorf("public_key is a PEM %q block, not a PUBLIC KEY: give the public half of the key pair (cosign.pub)", block.Type)
	}
	key, _, err := ParsePublicKeyPEM([]byte(strings.TrimSpace(text)))
	if err != nil {
		return nil, fmt.Errorf("public_key cannot be read: %w", err)
	}
	return key, nil
}

// Fingerprint is the lowercase hex SHA-256 of a key's DER
// SubjectPublicKeyInfo, as "sha256:<hex>".
func Fingerprint(key crypto.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(key)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(der)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// String names the signer: "key sha256:<hex>", or the identity and issuer.
func (p *Policy) String() string {
	if p.key != nil {
		return "key " + p.fingerprint
	}
	return p.who
}

// Key names the policy in caches: two policies with one key verify alike.
func (p *Policy) Key() string { return p.cacheKey }

// NeedsPublicGood reports whether the policy verifies against the Sigstore
// public-good instance's trusted root: keyless, without a trusted root of
// its own.
func (p *Policy) NeedsPublicGood() bool { return p.key == nil && p.trusted == nil }

// TrustedMaterial is what keyless signatures chain to.
type TrustedMaterial = root.TrustedMaterial

// newVerifier builds the verifier of the policy against trusted (nil for
// a key without a trusted root). As cosign verify does, a keyless
// certificate must carry an SCT when the trusted root lists CT logs; the
// signing time may be observed by a log entry or an RFC 3161 timestamp.
func (p *Policy) newVerifier(trusted TrustedMaterial) (*Verifier, error) {
	c := Config{
		Identity: p.spec.Identity, IdentityRegexp: anchored(p.spec.IdentityRegexp),
		Issuer: p.spec.Issuer, IssuerRegexp: anchored(p.spec.IssuerRegexp),
	}
	if p.key != nil {
		c = Config{PublicKeyPEM: []byte(strings.TrimSpace(p.spec.PublicKey))}
	}
	if trusted != nil {
		c.TrustedMaterial = trusted
		c.RequireSCT = p.key == nil && len(trusted.CTLogs()) > 0
	}
	v, err := New(c)
	if err != nil {
		return nil, fmt.Errorf("the signature rule cannot be used: %w", err)
	}
	return v, nil
}

// anchored is a pattern anchored to match a whole value ("" stays "").
func anchored(pattern string) string {
	if pattern == "" {
		return ""
	}
	return "^(?:" + pattern + ")$"
}

// Input is one signature as found: a Sigstore bundle's JSON, or cosign's
// simple-signing payload and its layer's annotations.
type Input struct {
	Bundle      []byte
	Payload     []byte
	Annotations map[string]string
}

// Finding is what the policy made of one signature: who signed it when it
// verifies, else whether it is an attestation (not a signature), else why
// it was rejected.
type Finding struct {
	SignedBy    string
	Attestation bool
	Err         error
}

// Verify checks in against the image's manifest digest ("sha256:<hex>").
// publicGood is the Sigstore public-good trusted root, used only when
// NeedsPublicGood.
func (p *Policy) Verify(in Input, digest string, publicGood TrustedMaterial) Finding {
	v, err := p.verifierFor(publicGood)
	if err != nil {
		return Finding{Err: err}
	}
	var res *Verified
	if in.Bundle != nil {
		res, err = v.VerifyJSON(in.Bundle, digest)
	} else {
		res, err = v.VerifyLegacy(in.Payload, in.Annotations, digest)
	}
	switch {
	case errors.Is(err, ErrAttestation):
		return Finding{Attestation: true}
	case err != nil:
		return Finding{Err: err}
	case res.KeyFingerprint != "":
		return Finding{SignedBy: "key sha256:" + res.KeyFingerprint}
	}
	return Finding{SignedBy: res.SignedBy}
}

// verifierFor returns the verifier: the policy's own, or the one for the
// public-good root, built once.
func (p *Policy) verifierFor(publicGood TrustedMaterial) (*Verifier, error) {
	if p.verifier != nil {
		return p.verifier, nil
	}
	if publicGood == nil {
		return nil, errors.New("no trusted root to verify keyless signatures against")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.publicGood == nil || p.publicGoodRoot != publicGood {
		v, err := p.newVerifier(publicGood)
		if err != nil {
			return nil, err
		}
		p.publicGood, p.publicGoodRoot = v, publicGood
	}
	return p.publicGood, nil
}
