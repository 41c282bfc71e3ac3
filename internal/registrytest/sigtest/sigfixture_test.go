package sigtest_test

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"
	"github.com/sigstore/sigstore-go/pkg/verify"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
	"github.com/sigstore/sigstore/pkg/signature"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/require"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/sigtest"
)

// These tests check the fixtures against sigstore-go directly (no sigverify).

func setup(t *testing.T) (*ca.VirtualSigstore, *root.TrustedRoot, []byte) {
	t.Helper()
	vs, err := ca.NewVirtualSigstore()
	require.NoError(t, err)
	trJSON, err := sigtest.TrustedRootJSON(vs)
	require.NoError(t, err)
	tr, err := root.NewTrustedRootFromJSON(trJSON)
	require.NoError(t, err)
	d := sha256.Sum256([]byte(`{"schemaVersion":2}`))
	return vs, tr, d[:]
}

func load(t *testing.T, data []byte) *bundle.Bundle {
	t.Helper()
	var b bundle.Bundle
	require.NoError(t, b.UnmarshalJSON(data))
	return &b
}

func keylessPolicy(t *testing.T, art verify.ArtifactPolicyOption) verify.PolicyBuilder {
	t.Helper()
	id, err := verify.NewShortCertificateIdentity(sigtest.DefaultIssuer, "", sigtest.DefaultIdentity, "")
	require.NoError(t, err)
	return verify.NewPolicy(art, verify.WithCertificateIdentity(id))
}

func TestTrustedRootContents(t *testing.T) {
	vs, tr, _ := setup(t)
	require.Len(t, tr.FulcioCertificateAuthorities(), 1)
	require.Len(t, tr.TimestampingAuthorities(), 1)
	require.Len(t, tr.CTLogs(), 1)
	id, err := vs.RekorLogID()
	require.NoError(t, err)
	require.Contains(t, tr.RekorLogs(), id)
	require.False(t, tr.RekorLogs()[id].ValidityPeriodStart.IsZero())
}

func TestKeylessBundlesVerify(t *testing.T) {
	vs, tr, digest := setup(t)
	digestHex := hex.EncodeToString(digest)

	// Both observers: tlog (integrated time via SET, inclusion proof) and TSA.
	v, err := verify.NewVerifier(tr, verify.WithTransparencyLog(1), verify.WithObserverTimestamps(2))
	require.NoError(t, err)

	msg, err := sigtest.KeylessBundle(vs, digestHex)
	require.NoError(t, err)
	b := load(t, msg)
	require.True(t, b.HasInclusionProof())
	require.True(t, b.HasInclusionPromise())
	res, err := v.Verify(b, keylessPolicy(t, verify.WithArtifactDigest("sha256", digest)))
	require.NoError(t, err)
	require.Len(t, res.VerifiedTimestamps, 2)

	for _, pt := range []string{sigtest.CosignSignPredicateType, sigtest.SLSAProvenancePredicateType} {
		env, err := sigtest.KeylessDSSEBundle(vs, digestHex, pt)
		require.NoError(t, err)
		res, err := v.Verify(load(t, env), keylessPolicy(t, verify.WithArtifactDigest("sha256", digest)))
		require.NoError(t, err)
		require.Equal(t, pt, res.Statement.GetPredicateType())
	}
}

func TestKeylessBadFixturesFail(t *testing.T) {
	vs, tr, digest := setup(t)
	digestHex := hex.EncodeToString(digest)
	v, err := verify.NewVerifier(tr, verify.WithObserverTimestamps(1))
	require.NoError(t, err)
	vTlog, err := verify.NewVerifier(tr, verify.WithTransparencyLog(1), verify.WithObserverTimestamps(1))
	require.NoError(t, err)

	for name, tc := range map[string]struct {
		v    *verify.Verifier
		opts []sigtest.Option
	}{
		"identity":  {v, []sigtest.Option{sigtest.WithIdentity("other@example.com")}},
		"issuer":    {v, []sigtest.Option{sigtest.WithIssuer("https://other.example.com")}},
		"expired":   {vTlog, []sigtest.Option{sigtest.WithExpiredCertificate()}},
		"observers": {v, []sigtest.Option{sigtest.WithoutTlogEntry(), sigtest.WithoutTimestamp()}},
		"tampered":  {v, []sigtest.Option{sigtest.WithTamperedPayload()}},
	} {
		t.Run(name, func(t *testing.T) {
			msg, err := sigtest.KeylessBundle(vs, digestHex, tc.opts...)
			require.NoError(t, err)
			_, err = tc.v.Verify(load(t, msg), keylessPolicy(t, verify.WithArtifactDigest("sha256", digest)))
			require.Error(t, err)
			env, err := sigtest.KeylessDSSEBundle(vs, digestHex, sigtest.CosignSignPredicateType, tc.opts...)
			require.NoError(t, err)
			_, err = tc.v.Verify(load(t, env), keylessPolicy(t, verify.WithArtifactDigest("sha256", digest)))
			require.Error(t, err)
		})
	}
}

func TestKeyBundleVerifies(t *testing.T) {
	vs, tr, digest := setup(t)
	kp, err := sigtest.GenerateKeyPair()
	require.NoError(t, err)
	pub, err := cryptoutils.UnmarshalPEMToPublicKey(kp.PublicKeyPEM)
	require.NoError(t, err)
	sv, err := signature.LoadVerifier(pub, crypto.SHA256)
	require.NoError(t, err)
	keys := root.NewTrustedPublicKeyMaterialFromMapping(map[string]*root.ExpiringKey{
		kp.Hint(): root.NewExpiringKey(sv, time.Time{}, time.Time{}),
	})
	policy := verify.NewPolicy(verify.WithArtifactDigest("sha256", digest), verify.WithKey())

	data, err := sigtest.KeyBundle(kp, hex.EncodeToString(digest))
	require.NoError(t, err)
	v, err := verify.NewVerifier(keys, verify.WithNoObserverTimestamps())
	require.NoError(t, err)
	_, err = v.Verify(load(t, data), policy)
	require.NoError(t, err)

	data, err = sigtest.KeyBundle(kp, hex.EncodeToString(digest), sigtest.WithTransparencyLog(vs))
	require.NoError(t, err)
	v, err = verify.NewVerifier(root.TrustedMaterialCollection{tr, keys},
		verify.WithTransparencyLog(1), verify.WithNoObserverTimestamps())
	require.NoError(t, err)
	_, err = v.Verify(load(t, data), policy)
	require.NoError(t, err)
}

func TestLegacyShapes(t *testing.T) {
	vs, _, digest := setup(t)
	payload, err := sigtest.SimpleSigningPayload("registry.example/app", hex.EncodeToString(digest))
	require.NoError(t, err)
	require.Equal(t, `{"critical":{"identity":{"docker-reference":"registry.example/app"},"image":{"docker-manifest-digest":"sha256:`+
		hex.EncodeToString(digest)+`"},"type":"cosign container image signature"},"optional":null}`, string(payload))

	ann, err := sigtest.LegacyKeylessSignature(vs, payload)
	require.NoError(t, err)
	for _, k := range []string{sigtest.AnnotationSignature, sigtest.AnnotationCertificate,
		sigtest.AnnotationChain, sigtest.AnnotationBundle, sigtest.AnnotationRFC3161Timestamp} {
		require.NotEmpty(t, ann[k], k)
	}
	require.True(t, bytes.HasPrefix([]byte(ann[sigtest.AnnotationCertificate]), []byte("-----BEGIN CERTIFICATE-----")))
	require.Contains(t, ann[sigtest.AnnotationBundle], `"SignedEntryTimestamp":`)
	require.Contains(t, ann[sigtest.AnnotationBundle], `"Payload":{"body":`)
}
