package signature

import (
	"errors"
	"strings"
)

// Failure reasons. Every error returned by Verify, VerifyJSON and
// VerifyLegacy is an *Error whose Reason is one of these, so callers can
// branch with errors.Is(err, sigverify.ErrIdentityMismatch) etc.
var (
	// ErrIdentityMismatch: the certificate's SAN/issuer does not satisfy the
	// keyless policy (or the signature is key-based under a keyless policy).
	ErrIdentityMismatch = errors.New("no matching signer identity")
	// ErrWrongKey: the signature was not made by the configured public key
	// (or it is keyless under a key policy).
	ErrWrongKey = errors.New("not signed by the configured key")
	// ErrInvalidSignature: the signature does not verify over the content it
	// claims to sign: the payload or signature was tampered with.
	ErrInvalidSignature = errors.New("invalid signature")
	// ErrDigestMismatch: the signature is about another image digest.
	ErrDigestMismatch = errors.New("signed digest does not match the image digest")
	// ErrNoObserverTimestamp: a keyless signature has no verifiable
	// transparency log entry or RFC 3161 timestamp proving when it was made.
	ErrNoObserverTimestamp = errors.New("no verified observer timestamp")
	// ErrCertificateExpired: the signing time (log integrated time or RFC 3161
	// time) is outside the certificate's validity period.
	ErrCertificateExpired = errors.New("certificate not valid at signing time")
	// ErrAttestation: the DSSE envelope is an in-toto attestation with a
	// predicate other than cosign's signature predicate; it is skipped, not
	// verified.
	ErrAttestation = errors.New("attestation, skipped")
	// ErrUntrusted: material does not chain to the trusted root (certificate
	// chain, transparency log entry, timestamp authority, SCT).
	ErrUntrusted = errors.New("not trusted by the trusted root")
	// ErrMalformed: the bundle, payload or annotations cannot be parsed.
	ErrMalformed = errors.New("malformed signature")
	// ErrInvalidPolicy: the Policy itself is unusable.
	ErrInvalidPolicy = errors.New("invalid verification policy")
)

// Error is a verification failure: a Reason (one of the Err* values), a
// human-readable Detail and the underlying sigstore-go error, if any.
type Error struct {
	Reason error
	Detail string
	// CertIdentity and CertIssuer are the signing certificate's SAN and OIDC
	// issuer when the signature is keyless (empty otherwise).
	CertIdentity string
	CertIssuer   string
	Cause        error
}

func (e *Error) Error() string {
	parts := []string{e.Reason.Error()}
	if e.Detail != "" {
		parts = append(parts, e.Detail)
	}
	if e.Cause != nil {
		parts = append(parts, e.Cause.Error())
	}
	return strings.Join(parts, ": ")
}

// Unwrap makes errors.Is/As see both the Reason and the Cause.
func (e *Error) Unwrap() []error {
	if e.Cause == nil {
		return []error{e.Reason}
	}
	return []error{e.Reason, e.Cause}
}

func newError(reason error, detail string, cause error) *Error {
	return &Error{Reason: reason, Detail: detail, Cause: cause}
}
