package pushtime

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
)

// ghcrMaxPages bounds the pages of package versions read for one
// repository: 100 versions each, so the newest 5,000 versions.
const ghcrMaxPages = 50

// ghcr reads GitHub's packages API: the package's versions, newest first,
// 100 a page (GET /orgs/{org}/packages/container/{package}/versions, or
// /users/{user}/... for a user's package), and for each tag the created_at
// of the version whose metadata.container.tags holds it
// (https://docs.github.com/en/rest/packages/packages#list-package-versions-for-a-package-owned-by-an-organization).
// A version is a digest, so a tag given to an older digest counts from
// that digest's first push. The token (a classic token with read:packages)
// goes to GitHub's API only.
type ghcr struct {
	*client
	token string
}

// Batch asks for every candidate at once: one page answers for up to 100
// versions, whatever tags they hold.
func (g *ghcr) Batch() int { return 100 }

func (g *ghcr) Read(ctx context.Context, repo names.Repository, tags []string) (Times, error) {
	owner, pkg, ok := strings.Cut(repo.Path, "/")
	if !ok {
		return nil, g.fail(fmt.Errorf("a GHCR repository is <owner>/<package>; %s has no package", repo.Path))
	}
	header := http.Header{"Authorization": {"Bearer " + g.token}, "X-Github-Api-Version": {"2022-11-28"}}
	want := make(map[string]bool, len(tags))
	for _, t := range tags {
		want[t] = true
	}
	out := Times{}
	for _, kind := range []string{"orgs", "users"} {
		found, err := g.pages(ctx, kind, owner, pkg, header, want, out)
		if err != nil {
			return nil, g.fail(err)
		}
		if found {
			return out, nil
		}
	}
	return nil, g.fail(fmt.Errorf("the API knows no package %s of an organization or user %s: check the image name, and that the token may read the package", pkg, owner))
}

// pages reads the owner's package versions until every wanted tag is
// found or the versions end; found is false when the API does not know
// the package under this kind of owner.
func (g *ghcr) pages(ctx context.Context, kind, owner, pkg string, header http.Header, want map[string]bool, out Times) (found bool, err error) {
	for page := 1; page <= ghcrMaxPages; page++ {
		var versions []struct {
			CreatedAt string `json:"created_at"`
			Metadata  struct {
				Container struct {
					Tags []string `json:"tags"`
				} `json:"container"`
			} `json:"metadata"`
		}
		u := fmt.Sprintf("%s/%s/%s/packages/container/%s/versions?per_page=100&page=%d", g.base, kind, url.PathEscape(owner), url.PathEscape(pkg), page)
		if err := g.get(ctx, u, header, &versions); err != nil {
			if errors.Is(err, errNotFound) && page == 1 {
				return false, nil
			}
			return true, err
		}
		for _, v := range versions {
			for _, t := range v.Metadata.Container.Tags {
				if want[t] {
					out[t] = parseTime(v.CreatedAt)
				}
			}
		}
		if len(out) == len(want) || len(versions) < 100 {
			return true, nil
		}
	}
	return true, nil
}
