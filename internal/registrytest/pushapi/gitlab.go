package pushapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// GitLab is GitLab's GraphQL API, emulated
// (https://docs.gitlab.com/api/graphql/reference/): POST /api/graphql with
// the queries project(fullPath:) { containerRepositories(name:) { nodes
// { id path } } } and containerRepository(id:) { tags(name:) { nodes {
// name publishedAt } } }. name filters by substring, as GitLab's search
// does. A project that does not exist is null, not an error.
type GitLab struct {
	*Server
	// NoMetadataDatabase makes publishedAt null, as on an instance
	// without the registry's metadata database.
	NoMetadataDatabase bool
	projects           []string
}

// NewGitLab emulates GitLab with the given projects; a pushed repository
// belongs to the longest project that is a prefix of its path.
func NewGitLab(t testing.TB, projects ...string) *GitLab {
	g := &GitLab{projects: projects}
	g.Server = newServer(t, func(s *Server) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			if req.Method != http.MethodPost || req.URL.Path != "/api/graphql" {
				writeJSON(w, http.StatusNotFound, map[string]string{"message": "404 Not Found"})
				return
			}
			if !s.admit(w, req) {
				return
			}
			var in struct {
				Query     string            `json:"query"`
				Variables map[string]string `json:"variables"`
			}
			// GitLab pages connections with first and after, and says
			// pageInfo { hasNextPage endCursor }.
			if err := json.NewDecoder(req.Body).Decode(&in); err != nil {
				writeJSON(w, http.StatusBadRequest, map[string]any{"errors": []map[string]string{{"message": err.Error()}}})
				return
			}
			switch {
			case strings.Contains(in.Query, "project(fullPath"):
				writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"project": g.project(in.Variables["path"], in.Variables["name"])}})
			case strings.Contains(in.Query, "containerRepository(id"):
				writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"containerRepository": g.repository(in.Variables["id"], in.Variables["name"], in.Variables["after"])}})
			default:
				writeJSON(w, http.StatusOK, map[string]any{"errors": []map[string]string{{"message": "unknown query"}}})
			}
		})
	})
	return g
}

// repositories returns the container repositories of the pushed tags.
func (g *GitLab) repositories() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []string
	for k := range g.pushed {
		repo, _, _ := strings.Cut(k, ":")
		if !slices.Contains(out, repo) {
			out = append(out, repo)
		}
	}
	slices.Sort(out)
	return out
}

func (g *GitLab) project(path, name string) any {
	if !slices.Contains(g.projects, path) {
		return nil
	}
	nodes := []map[string]string{}
	for i, repo := range g.repositories() {
		if g.owner(repo) == path && strings.Contains(strings.TrimPrefix(strings.TrimPrefix(repo, path), "/"), name) {
			nodes = append(nodes, map[string]string{"id": fmt.Sprintf("gid://gitlab/ContainerRepository/%d", i+1), "path": repo})
		}
	}
	return map[string]any{"containerRepositories": map[string]any{"nodes": nodes}}
}

// owner returns the project a repository belongs to.
func (g *GitLab) owner(repo string) string {
	best := ""
	for _, p := range g.projects {
		if (repo == p || strings.HasPrefix(repo, p+"/")) && len(p) > len(best) {
			best = p
		}
	}
	return best
}

// gitlabPage is how many tags a page of the emulated search holds.
const gitlabPage = 100

func (g *GitLab) repository(id, name, after string) any {
	repos := g.repositories()
	var n int
	if _, err := fmt.Sscanf(id, "gid://gitlab/ContainerRepository/%d", &n); err != nil || n < 1 || n > len(repos) {
		return nil
	}
	times := g.tagsOf(repos[n-1])
	var matched []string
	for tag := range times {
		if strings.Contains(tag, name) {
			matched = append(matched, tag)
		}
	}
	slices.Sort(matched)
	start, _ := strconv.Atoi(after)
	end := min(start+gitlabPage, len(matched))
	nodes := []map[string]any{}
	for _, tag := range matched[min(start, end):end] {
		var published any
		if !g.NoMetadataDatabase {
			published = times[tag].UTC().Format(time.RFC3339)
		}
		nodes = append(nodes, map[string]any{"name": tag, "publishedAt": published})
	}
	return map[string]any{"tags": map[string]any{"nodes": nodes,
		"pageInfo": map[string]any{"hasNextPage": end < len(matched), "endCursor": strconv.Itoa(end)}}}
}
