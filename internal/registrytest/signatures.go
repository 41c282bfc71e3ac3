package registrytest

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// ArtifactLayer is a layer of an artifact: its media type, bytes and
// annotations.
type ArtifactLayer struct {
	MediaType   string
	Data        []byte
	Annotations map[string]string
}

// Artifact is an OCI 1.1 artifact, such as a signature: an image manifest
// with an artifact type, the empty config, and its layers.
type Artifact struct {
	ArtifactType string
	Annotations  map[string]string
	Layers       []ArtifactLayer
}

// emptyConfig is the OCI empty descriptor's content.
var emptyConfig = []byte("{}")

// PushReferrer pushes a as a referrer of repo@subject (its manifest's
// subject) and returns its digest. go-containerregistry's writer keeps the
// referrers tag schema (sha256-<hex>) up to date on a registry without the
// referrers API, as cosign does.
func (r *Registry) PushReferrer(t testing.TB, repo string, subject v1.Hash, a Artifact) v1.Hash {
	t.Helper()
	repoRef := r.repository(t, repo)
	desc, err := remote.Head(repoRef.Digest(subject.String()), r.helperOptions(t)...)
	if err != nil {
		t.Fatalf("registrytest: reading the subject %s: %v", subject, err)
	}
	subjectDesc := v1.Descriptor{MediaType: desc.MediaType, Digest: desc.Digest, Size: desc.Size}
	m := r.artifactManifest(t, repoRef, a.Layers, a.Annotations, a.ArtifactType, &subjectDesc)
	return r.pushRaw(t, repoRef.Digest(m.digest().String()), m)
}

// PushCosignTag pushes cosign's signature tag of repo@subject
// (`sha256-<hex>.sig`), an image whose layers are the signatures given,
// and returns its digest.
func (r *Registry) PushCosignTag(t testing.TB, repo string, subject v1.Hash, layers ...ArtifactLayer) v1.Hash {
	t.Helper()
	repoRef := r.repository(t, repo)
	m := r.artifactManifest(t, repoRef, layers, nil, "", nil)
	return r.pushRaw(t, repoRef.Tag(subject.Algorithm+"-"+subject.Hex+".sig"), m)
}

func (r *Registry) repository(t testing.TB, repo string) name.Repository {
	t.Helper()
	ref, err := name.NewRepository(r.Host + "/" + repo)
	if err != nil {
		t.Fatalf("registrytest: %v", err)
	}
	return ref
}

// artifactManifest uploads the config and layers and returns the manifest.
func (r *Registry) artifactManifest(t testing.TB, repo name.Repository, layers []ArtifactLayer, annotations map[string]string, artifactType string, subject *v1.Descriptor) rawManifest {
	t.Helper()
	configType := types.MediaType("application/vnd.oci.empty.v1+json")
	if artifactType == "" {
		configType = "application/vnd.oci.image.config.v1+json" // cosign's signature tag
	}
	config := static.NewLayer(emptyConfig, configType)
	type descriptor struct {
		MediaType   types.MediaType   `json:"mediaType"`
		Digest      v1.Hash           `json:"digest"`
		Size        int64             `json:"size"`
		Annotations map[string]string `json:"annotations,omitempty"`
	}
	upload := func(l v1.Layer, annotations map[string]string) descriptor {
		if err := remote.WriteLayer(repo, l, r.helperOptions(t)...); err != nil {
			t.Fatalf("registrytest: uploading a blob: %v", err)
		}
		d, _ := l.Digest()
		size, _ := l.Size()
		mt, _ := l.MediaType()
		return descriptor{MediaType: mt, Digest: d, Size: size, Annotations: annotations}
	}
	manifest := struct {
		SchemaVersion int               `json:"schemaVersion"`
		MediaType     types.MediaType   `json:"mediaType"`
		ArtifactType  string            `json:"artifactType,omitempty"`
		Config        descriptor        `json:"config"`
		Layers        []descriptor      `json:"layers"`
		Subject       *v1.Descriptor    `json:"subject,omitempty"`
		Annotations   map[string]string `json:"annotations,omitempty"`
	}{SchemaVersion: 2, MediaType: types.OCIManifestSchema1, ArtifactType: artifactType, Config: upload(config, nil), Subject: subject, Annotations: annotations}
	for _, l := range layers {
		manifest.Layers = append(manifest.Layers, upload(static.NewLayer(l.Data, types.MediaType(l.MediaType)), l.Annotations))
	}
	raw, err := json.Marshal(manifest)
	if err != nil {
		t.Fatalf("registrytest: %v", err)
	}
	return rawManifest(raw)
}

// rawManifest is an OCI image manifest's bytes, pushed as they are.
type rawManifest []byte

func (m rawManifest) RawManifest() ([]byte, error)        { return m, nil }
func (m rawManifest) MediaType() (types.MediaType, error) { return types.OCIManifestSchema1, nil }
func (m rawManifest) digest() v1.Hash {
	h, _, _ := v1.SHA256(bytes.NewReader(m))
	return h
}

func (r *Registry) pushRaw(t testing.TB, ref name.Reference, m rawManifest) v1.Hash {
	t.Helper()
	if err := r.pusher(t).Push(t.Context(), ref, m); err != nil {
		t.Fatalf("registrytest: pushing %s: %v", ref, err)
	}
	return m.digest()
}
