package sigtest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"

	protorekor "github.com/sigstore/protobuf-specs/gen/pb-go/rekor/v1"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"
)

// SimpleSigningPayload returns cosign's legacy "simple signing" payload for
// an image: {"critical":{"identity":{"docker-reference":...},"image":
// {"docker-manifest-digest":"sha256:..."},"type":"cosign container image
// signature"},"optional":null}.
func SimpleSigningPayload(dockerReference, digestHex string) ([]byte, error) {
	digest, err := decodeDigest(digestHex)
	if err != nil {
		return nil, err
	}
	type identity struct {
		DockerReference string `json:"docker-reference"`
	}
	type image struct {
		DockerManifestDigest string `json:"docker-manifest-digest"`
	}
	type critical struct {
		Identity identity `json:"identity"`
		Image    image    `json:"image"`
		Type     string   `json:"type"`
	}
	return json.Marshal(struct {
		Critical critical       `json:"critical"`
		Optional map[string]any `json:"optional"`
	}{
		Critical: critical{
			Identity: identity{DockerReference: dockerReference},
			Image:    image{DockerManifestDigest: "sha256:" + hex.EncodeToString(digest)},
			Type:     "cosign container image signature",
		},
	})
}

// LegacyKeySignature returns the annotations of a legacy `cosign sign --key`
// signature layer for payload: the base64 ECDSA (ASN.1, SHA-256) signature
// and, only with WithTransparencyLog(vs), the Rekor bundle annotation.
//
// Options: WithTransparencyLog.
func LegacyKeySignature(kp *KeyPair, payload []byte, opts ...Option) (map[string]string, error) {
	o := newOptions(opts)
	digest := sha256.Sum256(payload)
	sig, err := signDigest(kp.PrivateKey, digest[:])
	if err != nil {
		return nil, err
	}
	ann := map[string]string{AnnotationSignature: base64.StdEncoding.EncodeToString(sig)}
	tle, err := kp.logEntry(o, digest[:], sig)
	if err != nil {
		return nil, err
	}
	if tle != nil {
		if ann[AnnotationBundle], err = rekorBundleAnnotation(tle); err != nil {
			return nil, err
		}
	}
	return ann, nil
}

// LegacyKeylessSignature returns the annotations of a legacy keyless cosign
// signature layer for payload: signature, certificate (PEM leaf), chain (PEM
// intermediate and root), bundle (Rekor SET bundle over a hashedrekord entry)
// and rfc3161timestamp.
//
// Options: WithIdentity, WithIssuer, WithExpiredCertificate,
// WithoutTlogEntry (no bundle annotation), WithoutTimestamp (no
// rfc3161timestamp annotation, as plain `cosign sign`).
func LegacyKeylessSignature(vs *ca.VirtualSigstore, payload []byte, opts ...Option) (map[string]string, error) {
	o := newOptions(opts)
	s, err := newKeylessSigner(vs, o)
	if err != nil {
		return nil, err
	}
	digest := sha256.Sum256(payload)
	sig, err := signDigest(s.key, digest[:])
	if err != nil {
		return nil, err
	}
	var chainPEM []byte
	for _, c := range s.chain {
		chainPEM = append(chainPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	ann := map[string]string{
		AnnotationSignature:   base64.StdEncoding.EncodeToString(sig),
		AnnotationCertificate: string(s.certPEM),
		AnnotationChain:       string(chainPEM),
	}
	vm, err := s.verificationMaterial(vs, o, sig, func() ([]byte, error) {
		return hashedRekordBody(digest[:], sig, s.certPEM)
	}, hashedRekordKind, hashedRekordVersion)
	if err != nil {
		return nil, err
	}
	for _, tle := range vm.TlogEntries {
		if ann[AnnotationBundle], err = rekorBundleAnnotation(tle); err != nil {
			return nil, err
		}
	}
	for _, ts := range vm.GetTimestampVerificationData().GetRfc3161Timestamps() {
		v, err := json.Marshal(struct{ SignedRFC3161Timestamp []byte }{ts.SignedTimestamp})
		if err != nil {
			return nil, err
		}
		ann[AnnotationRFC3161Timestamp] = string(v)
	}
	return ann, nil
}

// rekorBundleAnnotation renders a log entry the way cosign stores it in the
// dev.sigstore.cosign/bundle annotation (cosign's bundle.RekorBundle).
func rekorBundleAnnotation(tle *protorekor.TransparencyLogEntry) (string, error) {
	type payload struct {
		Body           string `json:"body"`
		IntegratedTime int64  `json:"integratedTime"`
		LogIndex       int64  `json:"logIndex"`
		LogID          string `json:"logID"`
	}
	v, err := json.Marshal(struct {
		SignedEntryTimestamp []byte
		Payload              payload
	}{
		SignedEntryTimestamp: tle.GetInclusionPromise().GetSignedEntryTimestamp(),
		Payload: payload{
			Body:           base64.StdEncoding.EncodeToString(tle.CanonicalizedBody),
			IntegratedTime: tle.IntegratedTime,
			LogIndex:       tle.LogIndex,
			LogID:          hex.EncodeToString(tle.GetLogId().GetKeyId()),
		},
	})
	return string(v), err
}
