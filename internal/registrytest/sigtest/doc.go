// Package sigtest builds Sigstore/cosign test material on top of
// sigstore-go's in-memory VirtualSigstore (pkg/testing/ca): a trusted_root.json,
// keyless and key-based protobuf bundles (message signatures and DSSE), and
// cosign's legacy ".sig" layer annotations.
//
// It is test infrastructure only. Everything is produced in memory; no
// network access is needed.
//
// Time model (inherited from VirtualSigstore):
//   - VirtualSigstore issues leaf certificates valid for 10 minutes starting
//     at the moment they are generated (NotBefore = time.Now()).
//   - Its TSA leaf certificate is valid from 5 minutes before to 5 minutes
//     after NewVirtualSigstore was called, and RFC 3161 responses carry
//     time.Now(). Use a fresh VirtualSigstore per test (or per package run
//     that completes within 5 minutes).
//   - Rekor and CT log keys are valid from 1 hour before to 1 hour after the
//     moment RekorLogs()/CTLogs() (hence TrustedRootJSON) is called.
//   - Log entries produced here are integrated 1 minute after the leaf
//     certificate's NotBefore (or 5 minutes after its NotAfter with
//     WithExpiredCertificate).
package sigtest

// Media types and well-known strings.
const (
	BundleMediaType03 = "application/vnd.dev.sigstore.bundle.v0.3+json"

	InTotoPayloadType   = "application/vnd.in-toto+json"
	InTotoStatementType = "https://in-toto.io/Statement/v1"

	CosignSignPredicateType     = "https://sigstore.dev/cosign/sign/v1"
	SLSAProvenancePredicateType = "https://slsa.dev/provenance/v1"

	// Annotations cosign writes on the layers of a legacy ".sig" image.
	AnnotationSignature        = "dev.cosignproject.cosign/signature"
	AnnotationCertificate      = "dev.sigstore.cosign/certificate"
	AnnotationChain            = "dev.sigstore.cosign/chain"
	AnnotationBundle           = "dev.sigstore.cosign/bundle"
	AnnotationRFC3161Timestamp = "dev.sigstore.cosign/rfc3161timestamp"

	// Default keyless identity.
	DefaultIdentity = "signer@example.com"
	DefaultIssuer   = "https://issuer.example.com"
)
