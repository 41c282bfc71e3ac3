package sigtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"time"

	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	protorekor "github.com/sigstore/protobuf-specs/gen/pb-go/rekor/v1"
)

// KeyPair is an ECDSA P-256 key pair as `cosign generate-key-pair` makes
// (the public half is written as a PKIX "PUBLIC KEY" PEM block).
type KeyPair struct {
	PrivateKey   *ecdsa.PrivateKey
	PublicKeyPEM []byte
	publicDER    []byte
}

// GenerateKeyPair returns a fresh ECDSA P-256 key pair.
func GenerateKeyPair() (*KeyPair, error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKIXPublicKey(priv.Public())
	if err != nil {
		return nil, err
	}
	return &KeyPair{
		PrivateKey:   priv,
		PublicKeyPEM: pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}),
		publicDER:    der,
	}, nil
}

// Fingerprint is the lowercase hex SHA-256 of the DER SubjectPublicKeyInfo.
func (kp *KeyPair) Fingerprint() string {
	sum := sha256.Sum256(kp.publicDER)
	return hex.EncodeToString(sum[:])
}

// Hint is the bundle public-key hint sigstore-go's signer writes:
// standard base64 of the SHA-256 of the DER SubjectPublicKeyInfo.
func (kp *KeyPair) Hint() string {
	sum := sha256.Sum256(kp.publicDER)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// KeyBundle returns a v0.3 bundle (JSON) with a message signature over
// digestHex made by kp, a public-key hint and, only with
// WithTransparencyLog(vs), a Rekor hashedrekord entry (logged now).
//
// Options: WithTamperedPayload, WithTransparencyLog.
func KeyBundle(kp *KeyPair, digestHex string, opts ...Option) ([]byte, error) {
	o := newOptions(opts)
	digest, err := decodeDigest(digestHex)
	if err != nil {
		return nil, err
	}
	signed := digest
	if o.tampered {
		signed = otherDigest(digest)
	}
	sig, err := signDigest(kp.PrivateKey, signed)
	if err != nil {
		return nil, err
	}
	vm := &protobundle.VerificationMaterial{
		Content: &protobundle.VerificationMaterial_PublicKey{
			PublicKey: &protocommon.PublicKeyIdentifier{Hint: kp.Hint()},
		},
	}
	if tle, err := kp.logEntry(o, signed, sig); err != nil {
		return nil, err
	} else if tle != nil {
		vm.TlogEntries = []*protorekor.TransparencyLogEntry{tle}
	}
	return marshalBundle(&protobundle.Bundle{
		MediaType:            BundleMediaType03,
		VerificationMaterial: vm,
		Content:              messageSignature(digest, sig),
	})
}

// logEntry logs a hashedrekord entry for sig over digest in o.rekor, if set.
func (kp *KeyPair) logEntry(o options, digest, sig []byte) (*protorekor.TransparencyLogEntry, error) {
	if o.rekor == nil || o.noTlog {
		return nil, nil
	}
	body, err := hashedRekordBody(digest, sig, kp.PublicKeyPEM)
	if err != nil {
		return nil, err
	}
	return logEntry(o.rekor, hashedRekordKind, hashedRekordVersion, body, time.Now())
}
