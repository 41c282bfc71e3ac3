package sigtest

import "github.com/sigstore/sigstore-go/pkg/testing/ca"

// Option tunes a fixture. Not every option applies to every fixture; options
// that do not apply are ignored (documented per constructor).
type Option func(*options)

type options struct {
	identity    string
	issuer      string
	expired     bool
	noTlog      bool
	noTimestamp bool
	tampered    bool
	rekor       *ca.VirtualSigstore
}

func newOptions(opts []Option) options {
	o := options{identity: DefaultIdentity, issuer: DefaultIssuer}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// WithIdentity sets the certificate's e-mail SAN (keyless only).
func WithIdentity(email string) Option { return func(o *options) { o.identity = email } }

// WithIssuer sets the certificate's OIDC issuer extension (keyless only).
func WithIssuer(issuer string) Option { return func(o *options) { o.issuer = issuer } }

// WithExpiredCertificate logs the signature 5 minutes after the leaf
// certificate expired, so the signing time is outside the certificate's
// validity. VirtualSigstore's TSA always stamps time.Now() (inside the
// validity), so the RFC 3161 timestamp is omitted in this mode (keyless only).
func WithExpiredCertificate() Option {
	return func(o *options) { o.expired = true; o.noTimestamp = true }
}

// WithoutTlogEntry omits the Rekor entry (legacy: the bundle annotation).
func WithoutTlogEntry() Option { return func(o *options) { o.noTlog = true } }

// WithoutTimestamp omits the RFC 3161 timestamp (legacy: the
// rfc3161timestamp annotation).
func WithoutTimestamp() Option { return func(o *options) { o.noTimestamp = true } }

// WithTamperedPayload makes the bundle's signed content differ from what was
// actually signed (and logged): message signatures claim the requested digest
// but sign another one; DSSE envelopes get their payload modified after
// signing. Legacy fixtures ignore it: tamper with the payload bytes yourself.
func WithTamperedPayload() Option { return func(o *options) { o.tampered = true } }

// WithTransparencyLog logs key-based signatures in vs's Rekor (key fixtures
// only; keyless fixtures always use their own VirtualSigstore).
func WithTransparencyLog(vs *ca.VirtualSigstore) Option {
	return func(o *options) { o.rekor = vs }
}
