package benchmarks

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/tfrun"
)

// craneScript does lookups the way people script them today, one process at
// a time:
//
//	tag=$(crane ls "$image" | grep -E "$keep" | sort -V | tail -n 1)
//	crane digest "$image:$tag"
//
// with the grep and the sort done in Go (versionCompare). crane reaches the
// loopback registry over plain HTTP without --insecure (go-containerregistry
// takes any loopback host for one) and finds the credentials in the
// config.json of DOCKER_CONFIG, as after `docker login`.
type craneScript struct {
	bin string
	dir string
	env []string
}

func newCraneScript(b *testing.B, bin, host, username, password string) *craneScript {
	b.Helper()
	dir := b.TempDir()
	registrytest.DockerConfig{Auths: map[string]string{host: username + ":" + password}}.Write(b, dir)
	return &craneScript{bin: bin, dir: dir, env: append(tfrun.CleanEnv(), "DOCKER_CONFIG="+dir)}
}

func (c *craneScript) run(args ...string) (string, error) {
	out, _, err := tfrun.Run(c.dir, c.env, c.bin, args...)
	if err != nil {
		return "", err
	}
	return string(out), nil
}

// answer does the lookup l on the registry at host and returns what it
// found, tag@digest.
func (c *craneScript) answer(host string, l lookup) (string, error) {
	image := host + "/" + l.repo
	if l.typ == imageDigestType {
		d, err := c.digest(image + ":" + l.tag)
		return l.tag + "@" + d, err
	}
	tag, d, err := c.latest(image, l.keep)
	return tag + "@" + d, err
}

// latest returns the newest tag of image that keep matches, in `sort -V`
// order, and its digest.
func (c *craneScript) latest(image string, keep *regexp.Regexp) (tag, digest string, err error) {
	out, err := c.run("ls", image)
	if err != nil {
		return "", "", err
	}
	var kept []string
	for _, t := range strings.Fields(out) {
		if keep.MatchString(t) {
			kept = append(kept, t)
		}
	}
	if len(kept) == 0 {
		return "", "", fmt.Errorf("crane ls %s: no tag matches %s", image, keep)
	}
	slices.SortFunc(kept, versionCompare)
	tag = kept[len(kept)-1]
	digest, err = c.digest(image + ":" + tag)
	return tag, digest, err
}

// digest returns the digest of ref (image:tag).
func (c *craneScript) digest(ref string) (string, error) {
	out, err := c.run("digest", ref)
	return strings.TrimSpace(out), err
}
