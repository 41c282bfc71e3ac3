package pushtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/runcache"
)

// gitlabTries is how many of an image path's prefixes are tried as its
// project, longest first.
const gitlabTries = 3

// gitlab reads GitLab's GraphQL API (POST /api/graphql,
// https://docs.gitlab.com/api/graphql/reference/#containerrepositorytag):
// the container repository of the image, found in its project, which is
// the longest prefix of the image path that is a project, then each tag's
// publishedAt. Only instances with the registry's metadata database fill
// publishedAt (GitLab.com does,
// https://docs.gitlab.com/administration/packages/container_registry_metadata_database/);
// elsewhere no tag has a push time (createdAt is then the image's build
// time, gitlab-org/gitlab#398155). The token (registry_api's, else the
// registry's password) goes to the GitLab API only. A CI job token is not
// used: GraphQL refuses job tokens since GitLab 17.0
// (gitlab-org/gitlab#442520), so the registry's password is skipped when
// its user is gitlab-ci-token.
type gitlab struct {
	*client
	token string
	repos runcache.Map[string] // image path → container repository ID, "" when none
}

func newGitLab(c *client, token string) *gitlab {
	return &gitlab{client: c, token: token}
}

func (g *gitlab) Batch() int { return 1 }

func (g *gitlab) Read(ctx context.Context, repo names.Repository, tags []string) (Times, error) {
	header, err := g.header(ctx, repo)
	if err != nil {
		return nil, g.fail(err)
	}
	id, _, err := g.repos.Get(ctx, repo.Path, func(ctx context.Context) (string, error) { return g.find(ctx, header, repo.Path) })
	if err != nil {
		return nil, g.fail(err)
	}
	if id == "" {
		return nil, g.fail(fmt.Errorf("the API knows no container repository %s in a project it lets the token read: check the image name and the token (read_api)", repo.Path))
	}
	return g.oneByOne(tags, func(tag string) (time.Time, bool, error) { return g.tag(ctx, header, id, tag) })
}

// gitlabTagPages bounds the pages of tags that one tag's search reads: its
// name filter matches substrings, so "1.2" also finds 11.2 and 0.1.2.
const gitlabTagPages = 20

// tag returns one tag's publishedAt: the search by name matches
// substrings, so its pages are read until the tag of that exact name.
func (g *gitlab) tag(ctx context.Context, header http.Header, id, tag string) (time.Time, bool, error) {
	after := ""
	for range gitlabTagPages {
		var answer struct {
			ContainerRepository *struct {
				Tags struct {
					Nodes []struct {
						Name        string `json:"name"`
						PublishedAt string `json:"publishedAt"`
					} `json:"nodes"`
					PageInfo struct {
						HasNextPage bool   `json:"hasNextPage"`
						EndCursor   string `json:"endCursor"`
					} `json:"pageInfo"`
				} `json:"tags"`
			} `json:"containerRepository"`
		}
		const query = `query($id: ContainerRepositoryID!, $name: String, $after: String) { containerRepository(id: $id) { tags(name: $name, first: 100, after: $after) { nodes { name publishedAt } pageInfo { hasNextPage endCursor } } } }`
		vars := map[string]any{"id": id, "name": tag}
		if after != "" {
			vars["after"] = after
		}
		if err := g.graphql(ctx, header, query, vars, &answer); err != nil || answer.ContainerRepository == nil {
			return time.Time{}, false, err
		}
		page := answer.ContainerRepository.Tags
		for _, n := range page.Nodes {
			if n.Name == tag {
				if n.PublishedAt == "" {
					return time.Time{}, false, nil // no metadata database: no push time
				}
				return parseTime(n.PublishedAt), true, nil
			}
		}
		if !page.PageInfo.HasNextPage || page.PageInfo.EndCursor == "" {
			return time.Time{}, false, nil
		}
		after = page.PageInfo.EndCursor
	}
	return time.Time{}, false, nil
}

// find returns the ID of the container repository at path, trying its
// prefixes as the project, longest first; "" when none has it.
func (g *gitlab) find(ctx context.Context, header http.Header, path string) (string, error) {
	parts := strings.Split(path, "/")
	for n := len(parts); n >= 1 && len(parts)-n < gitlabTries; n-- {
		project := strings.Join(parts[:n], "/")
		var answer struct {
			Project *struct {
				ContainerRepositories struct {
					Nodes []struct {
						ID   string `json:"id"`
						Path string `json:"path"`
					} `json:"nodes"`
				} `json:"containerRepositories"`
			} `json:"project"`
		}
		const query = `query($path: ID!, $name: String) { project(fullPath: $path) { containerRepositories(name: $name, first: 100) { nodes { id path } } } }`
		if err := g.graphql(ctx, header, query, map[string]any{"path": project, "name": strings.Join(parts[n:], "/")}, &answer); err != nil {
			return "", err
		}
		if answer.Project == nil {
			continue
		}
		for _, r := range answer.Project.ContainerRepositories.Nodes {
			if r.Path == path {
				return r.ID, nil
			}
		}
	}
	return "", nil
}

// graphql posts a query and decodes its data into v; GraphQL errors are
// errors.
func (g *gitlab) graphql(ctx context.Context, header http.Header, query string, vars map[string]any, v any) error {
	var answer struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	err := g.post(ctx, g.base+"/api/graphql", header, map[string]any{"query": query, "variables": vars}, &answer)
	if errors.Is(err, errNotFound) {
		return errors.New("no GraphQL API at /api/graphql: check registry_api's url")
	}
	if err != nil {
		return err
	}
	if len(answer.Errors) > 0 {
		return fmt.Errorf("GraphQL error: %s", answer.Errors[0].Message)
	}
	if len(answer.Data) == 0 || string(answer.Data) == "null" {
		return nil
	}
	return json.Unmarshal(answer.Data, v)
}

// header returns the credentials for GitLab's API: registry_api's token,
// else the registry's password unless it is a job token, as a bearer
// token.
func (g *gitlab) header(ctx context.Context, repo names.Repository) (http.Header, error) {
	token := g.token
	if token == "" {
		auth, _, err := g.env.Credentials(ctx, repo)
		if err != nil {
			return nil, err
		}
		if auth != nil && auth != authn.Anonymous {
			cfg, err := auth.Authorization()
			if err != nil {
				return nil, err
			}
			if cfg.Username != "gitlab-ci-token" {
				token = cfg.Password
			}
		}
	}
	if token == "" {
		return nil, nil
	}
	return http.Header{"Authorization": {"Bearer " + token}}, nil
}
