package sigtest

import (
	"encoding/hex"
	"fmt"

	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"
)

// TrustedRootJSON renders vs's Fulcio CA chain, Rekor log key, CT log key and
// TSA chain (with their validity windows) as a trusted_root.json
// (application/vnd.dev.sigstore.trustedroot+json;version=0.1) that
// root.NewTrustedRootFromJSON parses.
func TrustedRootJSON(vs *ca.VirtualSigstore) ([]byte, error) {
	return trustedRootJSON(vs, true)
}

// TrustedRootJSONWithoutCTLogs is TrustedRootJSON without the CT log:
// VirtualSigstore's certificates carry no SCT, and a verifier that sees CT
// logs in the trusted root requires one, as cosign verify does.
func TrustedRootJSONWithoutCTLogs(vs *ca.VirtualSigstore) ([]byte, error) {
	return trustedRootJSON(vs, false)
}

func trustedRootJSON(vs *ca.VirtualSigstore, withCT bool) ([]byte, error) {
	rekorLogs, err := withRawLogIDs(vs.RekorLogs())
	if err != nil {
		return nil, err
	}
	ctLogs := map[string]*root.TransparencyLog{}
	if withCT {
		if ctLogs, err = withRawLogIDs(vs.CTLogs()); err != nil {
			return nil, err
		}
	}
	tr, err := root.NewTrustedRoot(root.TrustedRootMediaType01,
		vs.FulcioCertificateAuthorities(), ctLogs, vs.TimestampingAuthorities(), rekorLogs)
	if err != nil {
		return nil, err
	}
	return tr.MarshalJSON()
}

// withRawLogIDs fixes VirtualSigstore's log IDs: it stores the hex string of
// the key ID as the ID bytes, whereas the trusted root's logId.keyId must be
// the raw SHA-256 of the log's PKIX key (sigstore-go indexes logs by its hex).
func withRawLogIDs(logs map[string]*root.TransparencyLog) (map[string]*root.TransparencyLog, error) {
	out := make(map[string]*root.TransparencyLog, len(logs))
	for id, tl := range logs {
		raw, err := hex.DecodeString(id)
		if err != nil {
			return nil, fmt.Errorf("log ID %q: %w", id, err)
		}
		cp := *tl
		cp.ID = raw
		out[id] = &cp
	}
	return out, nil
}
