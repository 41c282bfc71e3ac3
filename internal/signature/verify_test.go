package signature_test

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/signature"

	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/require"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/sigtest"
)

const imageRef = "registry.example/team/app"

var reasons = []error{
	signature.ErrIdentityMismatch, signature.ErrWrongKey, signature.ErrInvalidSignature,
	signature.ErrDigestMismatch, signature.ErrNoObserverTimestamp, signature.ErrCertificateExpired,
	signature.ErrAttestation, signature.ErrUntrusted, signature.ErrMalformed, signature.ErrInvalidPolicy,
}

// requireReason asserts err carries exactly the reason want among all reasons.
func requireReason(t *testing.T, err error, want error) {
	t.Helper()
	require.Error(t, err)
	for _, r := range reasons {
		require.Equal(t, errors.Is(want, r), errors.Is(err, r), "reason %q for error: %v", r, err)
	}
}

// reasonError is requireReason that also returns the *signature.Error.
func reasonError(t *testing.T, err error, want error) *signature.Error {
	t.Helper()
	requireReason(t, err, want)
	var e *signature.Error
	require.ErrorAs(t, err, &e)
	return e
}

type env struct {
	vs        *ca.VirtualSigstore
	trust     *root.TrustedRoot
	digest    string // sha256:<hex>
	digestHex string
	other     string // another image digest, sha256:<hex>
}

// newEnv makes a fresh VirtualSigstore per test: its TSA certificate is only
// valid for 5 minutes around its creation.
func newEnv(t *testing.T) *env {
	t.Helper()
	vs, err := ca.NewVirtualSigstore()
	require.NoError(t, err)
	trJSON, err := sigtest.TrustedRootJSON(vs)
	require.NoError(t, err)
	tr, err := root.NewTrustedRootFromJSON(trJSON)
	require.NoError(t, err)
	d := sha256.Sum256([]byte(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}`))
	o := sha256.Sum256([]byte(`{"schemaVersion":2,"other":true}`))
	return &env{vs: vs, trust: tr, digest: "sha256:" + hex.EncodeToString(d[:]),
		digestHex: hex.EncodeToString(d[:]), other: "sha256:" + hex.EncodeToString(o[:])}
}

func (e *env) keyless(t *testing.T, mod ...func(*signature.Config)) *signature.Verifier {
	t.Helper()
	p := signature.Config{
		Identity:        sigtest.DefaultIdentity,
		Issuer:          sigtest.DefaultIssuer,
		TrustedMaterial: e.trust,
	}
	for _, m := range mod {
		m(&p)
	}
	v, err := signature.New(p)
	require.NoError(t, err)
	return v
}

func keyVerifier(t *testing.T, kp *sigtest.KeyPair, trust root.TrustedMaterial) *signature.Verifier {
	t.Helper()
	v, err := signature.New(signature.Config{PublicKeyPEM: kp.PublicKeyPEM, TrustedMaterial: trust})
	require.NoError(t, err)
	return v
}

func newKeyPair(t *testing.T) *sigtest.KeyPair {
	t.Helper()
	kp, err := sigtest.GenerateKeyPair()
	require.NoError(t, err)
	return kp
}

// keylessFixture builds one of the keyless fixtures for digestHex.
type keylessFixture func(e *env, digestHex string, opts ...sigtest.Option) ([]byte, error)

var keylessForms = map[string]keylessFixture{
	"message_signature": func(e *env, d string, opts ...sigtest.Option) ([]byte, error) {
		return sigtest.KeylessBundle(e.vs, d, opts...)
	},
	"dsse": func(e *env, d string, opts ...sigtest.Option) ([]byte, error) {
		return sigtest.KeylessDSSEBundle(e.vs, d, sigtest.CosignSignPredicateType, opts...)
	},
}

func TestKeylessBundle(t *testing.T) {
	for form, mk := range keylessForms {
		t.Run(form, func(t *testing.T) {
			t.Run("right identity passes", func(t *testing.T) {
				e := newEnv(t)
				data, err := mk(e, e.digestHex)
				require.NoError(t, err)
				res, err := e.keyless(t).VerifyJSON(data, e.digest)
				require.NoError(t, err)
				require.Equal(t, signature.Kind(form), res.Kind)
				require.Equal(t, sigtest.DefaultIdentity+" ("+sigtest.DefaultIssuer+")", res.SignedBy)
				require.Equal(t, res.SignedBy, signature.SignedBy(res.Verification))
				require.Len(t, res.Timestamps, 2) // Tlog + TimestampAuthority
				require.Empty(t, res.KeyFingerprint)
			})
			t.Run("regexp identity and issuer pass", func(t *testing.T) {
				e := newEnv(t)
				data, err := mk(e, e.digestHex)
				require.NoError(t, err)
				v := e.keyless(t, func(p *signature.Config) {
					p.Identity, p.IdentityRegexp = "", `^.*@example\.com$`
					p.Issuer, p.IssuerRegexp = "", `^https://issuer\.`
				})
				_, err = v.VerifyJSON(data, e.digest)
				require.NoError(t, err)
			})
			t.Run("timestamp only passes unless tlog required", func(t *testing.T) {
				e := newEnv(t)
				data, err := mk(e, e.digestHex, sigtest.WithoutTlogEntry())
				require.NoError(t, err)
				res, err := e.keyless(t).VerifyJSON(data, e.digest)
				require.NoError(t, err)
				require.Len(t, res.Timestamps, 1)
				require.Equal(t, "TimestampAuthority", res.Timestamps[0].Type)
				_, err = e.keyless(t, func(p *signature.Config) { p.RequireTlog = true }).VerifyJSON(data, e.digest)
				requireReason(t, err, signature.ErrNoObserverTimestamp)
			})
			t.Run("tlog only passes", func(t *testing.T) {
				e := newEnv(t)
				data, err := mk(e, e.digestHex, sigtest.WithoutTimestamp())
				require.NoError(t, err)
				res, err := e.keyless(t, func(p *signature.Config) { p.RequireTlog = true }).VerifyJSON(data, e.digest)
				require.NoError(t, err)
				require.Len(t, res.Timestamps, 1)
				require.Equal(t, "Tlog", res.Timestamps[0].Type)
			})
			t.Run("wrong identity", func(t *testing.T) {
				e := newEnv(t)
				data, err := mk(e, e.digestHex, sigtest.WithIdentity("mallory@example.org"))
				require.NoError(t, err)
				_, err = e.keyless(t).VerifyJSON(data, e.digest)
				ve := reasonError(t, err, signature.ErrIdentityMismatch)
				require.Equal(t, "mallory@example.org", ve.CertIdentity)
				require.Equal(t, sigtest.DefaultIssuer, ve.CertIssuer)
				require.Contains(t, err.Error(), `certificate is for "mallory@example.org"`)
			})
			t.Run("wrong issuer", func(t *testing.T) {
				e := newEnv(t)
				data, err := mk(e, e.digestHex, sigtest.WithIssuer("https://evil.example.org"))
				require.NoError(t, err)
				_, err = e.keyless(t).VerifyJSON(data, e.digest)
				ve := reasonError(t, err, signature.ErrIdentityMismatch)
				require.Equal(t, "https://evil.example.org", ve.CertIssuer)
			})
			t.Run("expired certificate", func(t *testing.T) {
				e := newEnv(t)
				data, err := mk(e, e.digestHex, sigtest.WithExpiredCertificate())
				require.NoError(t, err)
				_, err = e.keyless(t).VerifyJSON(data, e.digest)
				requireReason(t, err, signature.ErrCertificateExpired)
			})
			t.Run("no tlog entry and no timestamp", func(t *testing.T) {
				e := newEnv(t)
				data, err := mk(e, e.digestHex, sigtest.WithoutTlogEntry(), sigtest.WithoutTimestamp())
				require.NoError(t, err)
				_, err = e.keyless(t).VerifyJSON(data, e.digest)
				requireReason(t, err, signature.ErrNoObserverTimestamp)
			})
			t.Run("other digest", func(t *testing.T) {
				e := newEnv(t)
				data, err := mk(e, e.digestHex)
				require.NoError(t, err)
				_, err = e.keyless(t).VerifyJSON(data, e.other)
				requireReason(t, err, signature.ErrDigestMismatch)
			})
			t.Run("tampered payload", func(t *testing.T) {
				e := newEnv(t)
				data, err := mk(e, e.digestHex, sigtest.WithTamperedPayload())
				require.NoError(t, err)
				_, err = e.keyless(t).VerifyJSON(data, e.digest)
				requireReason(t, err, signature.ErrInvalidSignature)
			})
			t.Run("another trusted root", func(t *testing.T) {
				e, other := newEnv(t), newEnv(t)
				data, err := mk(e, e.digestHex)
				require.NoError(t, err)
				_, err = other.keyless(t).VerifyJSON(data, e.digest)
				requireReason(t, err, signature.ErrUntrusted)
			})
			t.Run("key policy rejects keyless", func(t *testing.T) {
				e := newEnv(t)
				data, err := mk(e, e.digestHex)
				require.NoError(t, err)
				_, err = keyVerifier(t, newKeyPair(t), e.trust).VerifyJSON(data, e.digest)
				requireReason(t, err, signature.ErrWrongKey)
			})
		})
	}
}

func TestDSSEAttestationIsSkipped(t *testing.T) {
	e := newEnv(t)
	data, err := sigtest.KeylessDSSEBundle(e.vs, e.digestHex, sigtest.SLSAProvenancePredicateType)
	require.NoError(t, err)
	_, err = e.keyless(t).VerifyJSON(data, e.digest)
	ve := reasonError(t, err, signature.ErrAttestation)
	require.Contains(t, ve.Error(), "attestation, skipped: predicate type https://slsa.dev/provenance/v1")
	// Skipped whoever the policy is.
	_, err = keyVerifier(t, newKeyPair(t), nil).VerifyJSON(data, e.digest)
	requireReason(t, err, signature.ErrAttestation)
}

func TestKeyBundle(t *testing.T) {
	e := newEnv(t)
	kp := newKeyPair(t)

	t.Run("right key passes without tlog", func(t *testing.T) {
		data, err := sigtest.KeyBundle(kp, e.digestHex)
		require.NoError(t, err)
		res, err := keyVerifier(t, kp, nil).VerifyJSON(data, e.digest)
		require.NoError(t, err)
		require.Equal(t, signature.KindMessageSignature, res.Kind)
		require.Equal(t, kp.Fingerprint(), res.KeyFingerprint)
		require.Empty(t, res.SignedBy)
		// A trusted root does not make a log entry mandatory.
		_, err = keyVerifier(t, kp, e.trust).VerifyJSON(data, e.digest)
		require.NoError(t, err)
	})
	t.Run("another key fails", func(t *testing.T) {
		data, err := sigtest.KeyBundle(kp, e.digestHex)
		require.NoError(t, err)
		_, err = keyVerifier(t, newKeyPair(t), nil).VerifyJSON(data, e.digest)
		requireReason(t, err, signature.ErrWrongKey)
	})
	t.Run("tampered fails", func(t *testing.T) {
		data, err := sigtest.KeyBundle(kp, e.digestHex, sigtest.WithTamperedPayload())
		require.NoError(t, err)
		_, err = keyVerifier(t, kp, nil).VerifyJSON(data, e.digest)
		requireReason(t, err, signature.ErrInvalidSignature)
	})
	t.Run("other digest fails", func(t *testing.T) {
		data, err := sigtest.KeyBundle(kp, e.digestHex)
		require.NoError(t, err)
		_, err = keyVerifier(t, kp, nil).VerifyJSON(data, e.other)
		requireReason(t, err, signature.ErrDigestMismatch)
	})
	t.Run("tlog entry checked when a trusted root is given", func(t *testing.T) {
		data, err := sigtest.KeyBundle(kp, e.digestHex, sigtest.WithTransparencyLog(e.vs))
		require.NoError(t, err)
		_, err = keyVerifier(t, kp, e.trust).VerifyJSON(data, e.digest)
		require.NoError(t, err)
		_, err = keyVerifier(t, kp, nil).VerifyJSON(data, e.digest) // not checked
		require.NoError(t, err)
		_, err = keyVerifier(t, kp, newEnv(t).trust).VerifyJSON(data, e.digest)
		requireReason(t, err, signature.ErrUntrusted)
	})
	t.Run("tlog required", func(t *testing.T) {
		data, err := sigtest.KeyBundle(kp, e.digestHex)
		require.NoError(t, err)
		v, err := signature.New(signature.Config{PublicKeyPEM: kp.PublicKeyPEM, TrustedMaterial: e.trust, RequireTlog: true})
		require.NoError(t, err)
		_, err = v.VerifyJSON(data, e.digest)
		requireReason(t, err, signature.ErrNoObserverTimestamp)
	})
	t.Run("keyless policy rejects key signature", func(t *testing.T) {
		data, err := sigtest.KeyBundle(kp, e.digestHex)
		require.NoError(t, err)
		_, err = e.keyless(t).VerifyJSON(data, e.digest)
		requireReason(t, err, signature.ErrIdentityMismatch)
	})
}

func TestLegacyKeyless(t *testing.T) {
	sign := func(t *testing.T, e *env, digestHex string, opts ...sigtest.Option) ([]byte, map[string]string) {
		t.Helper()
		payload, err := sigtest.SimpleSigningPayload(imageRef, digestHex)
		require.NoError(t, err)
		ann, err := sigtest.LegacyKeylessSignature(e.vs, payload, opts...)
		require.NoError(t, err)
		return payload, ann
	}

	t.Run("right identity passes", func(t *testing.T) {
		e := newEnv(t)
		payload, ann := sign(t, e, e.digestHex)
		res, err := e.keyless(t).VerifyLegacy(payload, ann, e.digest)
		require.NoError(t, err)
		require.Equal(t, signature.KindLegacy, res.Kind)
		require.Equal(t, imageRef, res.DockerReference)
		require.Equal(t, sigtest.DefaultIdentity+" ("+sigtest.DefaultIssuer+")", res.SignedBy)
		require.Len(t, res.Timestamps, 2)
	})
	t.Run("SET only (plain cosign sign) passes", func(t *testing.T) {
		e := newEnv(t)
		payload, ann := sign(t, e, e.digestHex, sigtest.WithoutTimestamp())
		res, err := e.keyless(t, func(p *signature.Config) { p.RequireTlog = true }).VerifyLegacy(payload, ann, e.digest)
		require.NoError(t, err)
		require.Len(t, res.Timestamps, 1)
	})
	for name, tc := range map[string]struct {
		opts []sigtest.Option
		want error
	}{
		"wrong identity": {[]sigtest.Option{sigtest.WithIdentity("mallory@example.org")}, signature.ErrIdentityMismatch},
		"wrong issuer":   {[]sigtest.Option{sigtest.WithIssuer("https://evil.example.org")}, signature.ErrIdentityMismatch},
		"expired":        {[]sigtest.Option{sigtest.WithExpiredCertificate()}, signature.ErrCertificateExpired},
		"no observers":   {[]sigtest.Option{sigtest.WithoutTlogEntry(), sigtest.WithoutTimestamp()}, signature.ErrNoObserverTimestamp},
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			payload, ann := sign(t, e, e.digestHex, tc.opts...)
			_, err := e.keyless(t).VerifyLegacy(payload, ann, e.digest)
			requireReason(t, err, tc.want)
		})
	}
	t.Run("other digest", func(t *testing.T) {
		e := newEnv(t)
		payload, ann := sign(t, e, e.digestHex)
		_, err := e.keyless(t).VerifyLegacy(payload, ann, e.other)
		requireReason(t, err, signature.ErrDigestMismatch)
	})
	t.Run("tampered payload", func(t *testing.T) {
		e := newEnv(t)
		payload, ann := sign(t, e, e.digestHex)
		tampered := bytes.Replace(payload, []byte(imageRef), []byte("registry.example/evil"), 1)
		_, err := e.keyless(t).VerifyLegacy(tampered, ann, e.digest)
		requireReason(t, err, signature.ErrInvalidSignature)
	})
}

func TestLegacyKey(t *testing.T) {
	e := newEnv(t)
	kp := newKeyPair(t)
	payload, err := sigtest.SimpleSigningPayload(imageRef, e.digestHex)
	require.NoError(t, err)
	tampered := bytes.Replace(payload, []byte(imageRef), []byte("registry.example/evil"), 1)

	ann, err := sigtest.LegacyKeySignature(kp, payload)
	require.NoError(t, err)
	require.Equal(t, []string{sigtest.AnnotationSignature}, keys(ann))

	res, err := keyVerifier(t, kp, nil).VerifyLegacy(payload, ann, e.digest)
	require.NoError(t, err)
	require.Equal(t, kp.Fingerprint(), res.KeyFingerprint)
	require.Equal(t, signature.KindLegacy, res.Kind)

	_, err = keyVerifier(t, newKeyPair(t), nil).VerifyLegacy(payload, ann, e.digest)
	requireReason(t, err, signature.ErrWrongKey)
	// Without a hint or a log entry, "another key" and "tampered" look alike.
	_, err = keyVerifier(t, kp, nil).VerifyLegacy(tampered, ann, e.digest)
	requireReason(t, err, signature.ErrWrongKey)
	_, err = keyVerifier(t, kp, nil).VerifyLegacy(payload, ann, e.other)
	requireReason(t, err, signature.ErrDigestMismatch)

	t.Run("with Rekor bundle", func(t *testing.T) {
		ann, err := sigtest.LegacyKeySignature(kp, payload, sigtest.WithTransparencyLog(e.vs))
		require.NoError(t, err)
		require.NotEmpty(t, ann[sigtest.AnnotationBundle])
		_, err = keyVerifier(t, kp, e.trust).VerifyLegacy(payload, ann, e.digest)
		require.NoError(t, err)
		// The logged signer key tells the two failures apart.
		_, err = keyVerifier(t, newKeyPair(t), e.trust).VerifyLegacy(payload, ann, e.digest)
		requireReason(t, err, signature.ErrWrongKey)
		_, err = keyVerifier(t, kp, e.trust).VerifyLegacy(tampered, ann, e.digest)
		requireReason(t, err, signature.ErrInvalidSignature)
	})
}

func TestFromLegacy(t *testing.T) {
	e := newEnv(t)
	payload, err := sigtest.SimpleSigningPayload(imageRef, e.digestHex)
	require.NoError(t, err)
	ann, err := sigtest.LegacyKeylessSignature(e.vs, payload)
	require.NoError(t, err)

	b, err := signature.FromLegacy(payload, ann)
	require.NoError(t, err)
	require.Equal(t, signature.LegacyBundleMediaType, b.MediaType)
	require.True(t, b.HasInclusionPromise())
	require.False(t, b.HasInclusionProof())
	entries, err := b.TlogEntries()
	require.NoError(t, err)
	require.Len(t, entries, 1)
	require.Equal(t, "hashedrekord", entries[0].TransparencyLogEntry().GetKindVersion().GetKind())
	require.Equal(t, "0.0.1", entries[0].TransparencyLogEntry().GetKindVersion().GetVersion())
	sum := sha256.Sum256(payload)
	require.Equal(t, sum[:], b.GetMessageSignature().GetMessageDigest().GetDigest())
	require.Len(t, b.GetVerificationMaterial().GetX509CertificateChain().GetCertificates(), 3)

	_, err = signature.FromLegacy(payload, map[string]string{})
	require.Error(t, err)
}

func TestKeyFingerprint(t *testing.T) {
	kp := newKeyPair(t)
	fp, err := signature.KeyFingerprint(kp.PublicKeyPEM)
	require.NoError(t, err)
	block, _ := pem.Decode(kp.PublicKeyPEM)
	require.Equal(t, "PUBLIC KEY", block.Type)
	_, err = x509.ParsePKIXPublicKey(block.Bytes)
	require.NoError(t, err)
	sum := sha256.Sum256(block.Bytes)
	require.Equal(t, hex.EncodeToString(sum[:]), fp)
	require.Equal(t, kp.Fingerprint(), fp)

	_, err = signature.KeyFingerprint([]byte("not a key"))
	require.Error(t, err)
}

func TestPolicyValidation(t *testing.T) {
	e := newEnv(t)
	kp := newKeyPair(t)
	for name, p := range map[string]signature.Config{
		"empty":                {},
		"key and identity":     {PublicKeyPEM: kp.PublicKeyPEM, Identity: "a@example.com", Issuer: "x", TrustedMaterial: e.trust},
		"keyless without root": {Identity: "a@example.com", Issuer: "x"},
		"identity only":        {Identity: "a@example.com", TrustedMaterial: e.trust},
		"bad regexp":           {IdentityRegexp: "(", Issuer: "x", TrustedMaterial: e.trust},
		"bad key":              {PublicKeyPEM: []byte("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")},
		"tlog without root":    {PublicKeyPEM: kp.PublicKeyPEM, RequireTlog: true},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := signature.New(p)
			requireReason(t, err, signature.ErrInvalidPolicy)
		})
	}
	_, err := e.keyless(t).VerifyJSON([]byte(`{}`), e.digest)
	requireReason(t, err, signature.ErrMalformed)
	_, err = e.keyless(t).VerifyJSON([]byte(`{}`), "sha256:xyz")
	requireReason(t, err, signature.ErrMalformed)
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
