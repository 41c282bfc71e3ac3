package pushtime

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
)

// quay reads Quay's tag API, one tag a request:
// GET /api/v1/repository/{namespace}/{repository}/tag/?specificTag={tag}&onlyActiveTags=true,
// field start_ts, Unix seconds (listRepoTags in quay/quay's
// endpoints/api/tag.py; https://docs.quay.io/api/swagger/#!/tag/listRepoTags).
// A tag it does not have is an empty list, not a 404.
// A private repository needs an OAuth token of the organization's
// application (registry_api's token), sent to the Quay API only.
type quay struct {
	*client
	token string
}

func (q *quay) Batch() int { return 1 }

func (q *quay) Read(ctx context.Context, repo names.Repository, tags []string) (Times, error) {
	var header http.Header
	if q.token != "" {
		header = http.Header{"Authorization": {"Bearer " + q.token}}
	}
	return q.oneByOne(tags, func(tag string) (time.Time, bool, error) {
		var answer struct {
			Tags []struct {
				Name    string `json:"name"`
				StartTS int64  `json:"start_ts"`
			} `json:"tags"`
		}
		query := url.Values{"specificTag": {tag}, "onlyActiveTags": {"true"}}
		u := q.base + "/api/v1/repository/" + escapePath(repo.Path) + "/tag/?" + query.Encode()
		if err := q.get(ctx, u, header, &answer); err != nil {
			return time.Time{}, false, err
		}
		for _, t := range answer.Tags {
			if t.Name == tag {
				return since2000(time.Unix(t.StartTS, 0)), true, nil
			}
		}
		return time.Time{}, false, nil
	})
}

// escapePath escapes each part of a repository path, keeping its slashes.
func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, part := range parts {
		parts[i] = url.PathEscape(part)
	}
	return strings.Join(parts, "/")
}
