package signature

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"

	"github.com/sigstore/sigstore-go/pkg/verify"
)

// ParsePublicKeyPEM parses a PKIX "PUBLIC KEY" PEM block (cosign.pub).
func ParsePublicKeyPEM(pemBytes []byte) (crypto.PublicKey, []byte, error) {
	block, _ := pem.Decode(pemBytes)
	if block == nil || block.Type != "PUBLIC KEY" {
		return nil, nil, fmt.Errorf("expected a PEM \"PUBLIC KEY\" block")
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, nil, fmt.Errorf("parsing public key: %w", err)
	}
	// Re-marshal so the DER (and thus the fingerprint) is canonical.
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, nil, err
	}
	return pub, der, nil
}

// KeyFingerprint returns the lowercase hex SHA-256 of the key's DER
// SubjectPublicKeyInfo.
func KeyFingerprint(publicKeyPEM []byte) (string, error) {
	_, der, err := ParsePublicKeyPEM(publicKeyPEM)
	if err != nil {
		return "", err
	}
	return fingerprintDER(der), nil
}

func fingerprintDER(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// keyHint is the bundle public-key hint sigstore-go/cosign write for a key:
// standard base64 of the SHA-256 of its DER SubjectPublicKeyInfo.
func keyHint(der []byte) string {
	sum := sha256.Sum256(der)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// SignedBy renders a verified keyless result as "<SAN> (<issuer>)"; it
// returns "" for key-based results.
func SignedBy(res *verify.VerificationResult) string {
	if res == nil || res.Signature == nil || res.Signature.Certificate == nil {
		return ""
	}
	c := res.Signature.Certificate
	return fmt.Sprintf("%s (%s)", c.SubjectAlternativeName, c.Issuer)
}
