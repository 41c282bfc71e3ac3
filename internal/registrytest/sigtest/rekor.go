package sigtest

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	protorekor "github.com/sigstore/protobuf-specs/gen/pb-go/rekor/v1"
	"github.com/sigstore/rekor/pkg/pki"
	"github.com/sigstore/rekor/pkg/types"
	dsseentry "github.com/sigstore/rekor/pkg/types/dsse"
	dssev001 "github.com/sigstore/rekor/pkg/types/dsse/v0.0.1"
	"github.com/sigstore/rekor/pkg/types/hashedrekord"
	hashedrekordv001 "github.com/sigstore/rekor/pkg/types/hashedrekord/v0.0.1"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"
	"github.com/sigstore/sigstore-go/pkg/tlog"
)

// Rekor v1 entry kinds and versions produced by the fixtures.
const (
	hashedRekordKind    = hashedrekord.KIND
	hashedRekordVersion = hashedrekordv001.APIVERSION
	dsseKind            = dsseentry.KIND
	dsseVersion         = dssev001.APIVERSION
)

// hashedRekordBody returns the canonicalized hashedrekord v0.0.1 body Rekor
// would store for a signature over a SHA-256 digest. verifierPEM is the PEM
// certificate (keyless) or PEM public key (key-based). Rekor's canonicalizer
// verifies the signature, so the body can only be built for a valid signature.
func hashedRekordBody(digest, sig, verifierPEM []byte) ([]byte, error) {
	return canonicalBody(hashedRekordKind, hashedRekordVersion, types.ArtifactProperties{
		ArtifactHash:   "sha256:" + hex.EncodeToString(digest),
		SignatureBytes: sig,
		PublicKeyBytes: [][]byte{verifierPEM},
		PKIFormat:      string(pki.X509),
	})
}

// dsseBody returns the canonicalized dsse v0.0.1 body for a DSSE envelope
// (JSON) signed by the certificate in certPEM.
func dsseBody(envelopeJSON, certPEM []byte) ([]byte, error) {
	return canonicalBody(dsseKind, dsseVersion, types.ArtifactProperties{
		ArtifactBytes:  envelopeJSON,
		PublicKeyBytes: [][]byte{certPEM},
		PKIFormat:      string(pki.X509),
	})
}

func canonicalBody(kind, version string, props types.ArtifactProperties) ([]byte, error) {
	ctx := context.Background()
	proposed, err := types.NewProposedEntry(ctx, kind, version, props)
	if err != nil {
		return nil, fmt.Errorf("proposing %s entry: %w", kind, err)
	}
	impl, err := types.CreateVersionedEntry(proposed)
	if err != nil {
		return nil, fmt.Errorf("creating %s entry: %w", kind, err)
	}
	body, err := types.CanonicalizeEntry(ctx, impl)
	if err != nil {
		return nil, fmt.Errorf("canonicalizing %s entry: %w", kind, err)
	}
	return body, nil
}

// logEntry "integrates" body into vs's Rekor at integratedTime: it returns a
// Rekor v1 TransparencyLogEntry with an inclusion promise (SET signed by the
// Rekor key) and an inclusion proof (one-leaf tree, checkpoint signed by the
// Rekor key), valid for bundle v0.1 (promise) and v0.2+ (proof).
func logEntry(vs *ca.VirtualSigstore, kind, version string, body []byte, integratedTime time.Time) (*protorekor.TransparencyLogEntry, error) {
	logIDHex, err := vs.RekorLogID()
	if err != nil {
		return nil, err
	}
	logID, err := hex.DecodeString(logIDHex)
	if err != nil {
		return nil, err
	}
	// VirtualSigstore builds a one-leaf tree: the proof's index is 0, so the
	// entry uses log index 0 too (the SET commits to the entry's index).
	const logIndex = 0
	set, err := vs.RekorSignPayload(tlog.RekorPayload{
		Body:           base64.StdEncoding.EncodeToString(body),
		IntegratedTime: integratedTime.Unix(),
		LogIndex:       logIndex,
		LogID:          logIDHex,
	})
	if err != nil {
		return nil, fmt.Errorf("signing SET: %w", err)
	}
	proof, err := vs.GetInclusionProof(body)
	if err != nil {
		return nil, fmt.Errorf("inclusion proof: %w", err)
	}
	rootHash, err := hex.DecodeString(*proof.RootHash)
	if err != nil {
		return nil, err
	}
	hashes := make([][]byte, len(proof.Hashes))
	for i, h := range proof.Hashes {
		if hashes[i], err = hex.DecodeString(h); err != nil {
			return nil, err
		}
	}
	return &protorekor.TransparencyLogEntry{
		LogIndex:          logIndex,
		LogId:             &protocommon.LogId{KeyId: logID},
		KindVersion:       &protorekor.KindVersion{Kind: kind, Version: version},
		IntegratedTime:    integratedTime.Unix(),
		InclusionPromise:  &protorekor.InclusionPromise{SignedEntryTimestamp: set},
		CanonicalizedBody: body,
		InclusionProof: &protorekor.InclusionProof{
			LogIndex:   *proof.LogIndex,
			RootHash:   rootHash,
			TreeSize:   *proof.TreeSize,
			Hashes:     hashes,
			Checkpoint: &protorekor.Checkpoint{Envelope: *proof.Checkpoint},
		},
	}, nil
}
