package faults

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// The quirks below are Faults that make a [FaultProxy] answer the way a
// real registry does where it bends the distribution API. Each names the
// public report it is modelled on, so that the next engineer can check it.

// relay passes a tag-list request to the registry, after ask changes it (when not
// nil), and its answer back, after answer changes its headers and body
// (when not nil).
func relay(ask func(req *http.Request), answer func(resp *http.Response, body []byte) []byte) Fault {
	return Fault{Path: "/tags/list", Serve: func(w http.ResponseWriter, req *http.Request, upstream Upstream) {
		out := req.Clone(req.Context())
		if ask != nil {
			ask(out)
		}
		resp, body, err := upstream(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		if answer != nil {
			body = answer(resp, body)
		}
		write(w, req, resp, body)
	}}
}

// QuirkNoLink sends tag-list pages without their Link header, so that a
// client that waits for a Link takes the first page for the whole list:
// GHCR in 2021 (werf/werf#3654, fluxcd/image-reflector-controller#142),
// Artifact Registry with n=1000 (google/go-containerregistry#1643), Nexus
// group repositories (sonatype/nexus-public#117).
func QuirkNoLink() Fault {
	return Fault{Path: "/tags/list", DropHeader: []string{"Link"}}
}

func dropLink(resp *http.Response, body []byte) []byte {
	resp.Header.Del("Link")
	return body
}

// QuirkPageSizeLimit refuses a tag-list page of more than most tags with
// status and body, as each of these registries does past its own limit:
// distribution 3.1.0 past tags.maxtags, 400 PAGINATION_NUMBER_INVALID
// (distribution/distribution#4844); ECR past 1,000, 405 UNSUPPORTED
// (google/go-containerregistry#681); Quay on 21 June 2024 past 100, 413
// TOO_MANY_TAGS_REQUESTED (google/go-containerregistry#1963, quay/quay#2964).
// Use [DistributionPageLimit], [ECRPageLimit] and [QuayPageLimit].
func QuirkPageSizeLimit(most, status int, body func(n int) string) Fault {
	refuse := relay(nil, nil)
	pass := refuse.Serve
	refuse.Serve = func(w http.ResponseWriter, req *http.Request, upstream Upstream) {
		if n, err := strconv.Atoi(req.URL.Query().Get("n")); err == nil && n > most {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body(n)))
			return
		}
		pass(w, req, upstream)
	}
	return refuse
}

// DistributionPageLimit is distribution 3.1.0's answer to n above maxtags:
// its detail names only the n refused (distribution/distribution#4844).
func DistributionPageLimit(maxTags int) Fault {
	return QuirkPageSizeLimit(maxTags, http.StatusBadRequest, func(n int) string {
		return fmt.Sprintf(`{"errors":[{"code":"PAGINATION_NUMBER_INVALID","message":"invalid number of results requested","detail":{"n":%d}}]}`, n)
	})
}

// ECRPageLimit is ECR's answer to n above its limit (1,000 there:
// google/go-containerregistry#681; a test may set it lower to make a
// client meet it).
func ECRPageLimit(most int) Fault {
	return QuirkPageSizeLimit(most, http.StatusMethodNotAllowed, func(n int) string {
		return fmt.Sprintf(`{"errors":[{"code":"UNSUPPORTED","message":"Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value less than or equal to %d'"}]}`, most)
	})
}

// QuayPageLimit is Quay's answer of 21 June 2024 to n above 100
// (quay/quay#2964, fluxcd/image-reflector-controller#585).
func QuayPageLimit() Fault {
	return QuirkPageSizeLimit(100, http.StatusRequestEntityTooLarge, func(n int) string {
		return fmt.Sprintf(`{"errors":[{"code":"TOO_MANY_TAGS_REQUESTED","message":"requested limit %d is too high, max is 100"}]}`, n)
	})
}

// QuirkIgnoreLast answers every tag-list page from the start, ignoring
// last, with no Link: Quay before 2024 ignored last (quay/quay#2884,
// regclient/regclient#272), and so did zot without n (project-zot/zot#1771).
// Asked without n, it gives every tag, or at most unpagedMost when that is
// above 0 (a registry that cuts even its whole list at a page).
func QuirkIgnoreLast(unpagedMost int) Fault {
	return relay(func(req *http.Request) {
		q := req.URL.Query()
		q.Del("last")
		if q.Get("n") == "" && unpagedMost > 0 {
			q.Set("n", strconv.Itoa(unpagedMost))
		}
		req.URL.RawQuery = q.Encode()
	}, dropLink)
}

// QuirkIgnorePaging ignores n and last and sends every tag in one answer
// with no Link: distribution 2.8 (registry:2, its registry/handlers/tags.go
// at v2.8.3) and GitLab repositories not yet on its metadata database
// (gitlab-org/gitlab MR 98215).
func QuirkIgnorePaging() Fault {
	return relay(func(req *http.Request) { req.URL.RawQuery = "" }, dropLink)
}

// QuirkAbsoluteLink rewrites the Link header into an absolute URL on host,
// the registry's own host spelled another way (ECR and ACR send absolute
// links, google/go-containerregistry#681, Azure/acr#749; Nexus 3.22 changed
// how it spelled the port, fluxcd/image-reflector-controller#343).
func QuirkAbsoluteLink(scheme, host string) Fault {
	return relay(nil, func(resp *http.Response, body []byte) []byte {
		if link := resp.Header.Get("Link"); link != "" {
			resp.Header.Set("Link", strings.Replace(link, "</v2/", "<"+scheme+"://"+host+"/v2/", 1))
		}
		return body
	})
}

// QuirkTags rewrites each tag-list page with edit, which gets the page's
// tags and returns those to send: to add tags no client can pull, or to
// repeat tags across pages as Docker Hub's lists shift between reads
// (fluxcd/image-reflector-controller#817).
func QuirkTags(edit func(page []string) []string) Fault {
	return relay(nil, func(resp *http.Response, body []byte) []byte {
		var list struct {
			Name string   `json:"name"`
			Tags []string `json:"tags"`
		}
		if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &list) != nil {
			return body
		}
		list.Tags = edit(list.Tags)
		if edited, err := json.Marshal(list); err == nil {
			return edited
		}
		return body
	})
}

// QuirkPlainText sends tag lists as text/plain, as ECR does
// (genuinetools/reg#206).
func QuirkPlainText() Fault {
	return Fault{Path: "/tags/list", SetHeader: http.Header{"Content-Type": {"text/plain; charset=utf-8"}}}
}

// QuirkHeadRefused answers HEAD on manifests with 405, as Artifact
// Registry and GitHub Enterprise have (goharbor/harbor#22021,
// containerd/containerd#5860).
func QuirkHeadRefused() Fault {
	return Fault{Path: "/manifests/", Method: http.MethodHead, Status: http.StatusMethodNotAllowed,
		Header: http.Header{"Allow": {"GET"}}}
}

// QuirkHeadHTMLNotFound answers HEAD on manifests with an HTML 404 while
// GET works, as old Nexus does (andrey-pohilko/registry-cli#14).
func QuirkHeadHTMLNotFound() Fault {
	return Fault{Path: "/manifests/", Method: http.MethodHead, Status: http.StatusNotFound,
		Header: http.Header{"Content-Type": {"text/html"}}}
}

// QuirkNoDigestHeader drops Docker-Content-Digest from manifest answers,
// as Red Hat's registries, old ECR and Nexus on PostgreSQL do
// (containerd/containerd#3238, hashicorp/terraform-provider-docker#186).
func QuirkNoDigestHeader() Fault {
	return Fault{Path: "/manifests/", DropHeader: []string{"Docker-Content-Digest"}}
}

// QuirkThrottle answers times requests with the standard 429
// TOOMANYREQUESTS error and Retry-After: 1, a throttle that passes, as
// GHCR, Quay and Harbor send it (the error code of the OCI distribution
// specification, opencontainers/distribution-spec spec.md "Error Codes").
func QuirkThrottle(path string, times int) Fault {
	return Fault{Path: path, Times: times, Status: http.StatusTooManyRequests,
		Header: http.Header{"Retry-After": {"1"}, "Content-Type": {"application/json"}},
		Body:   `{"errors":[{"code":"TOOMANYREQUESTS","message":"rate limit exceeded, slow down"}]}`}
}

// QuirkPullLimit answers with Docker Hub's pull limit: 429
// TOOMANYREQUESTS "You have reached your pull rate limit" with
// ratelimit-remaining: 0 (docker/docs#11648,
// argoproj-labs/argocd-image-updater#695).
func QuirkPullLimit(path string) Fault {
	return Fault{Path: path, Status: http.StatusTooManyRequests,
		Header: http.Header{
			"Content-Type":            {"application/json"},
			"Ratelimit-Limit":         {"100;w=21600"},
			"Ratelimit-Remaining":     {"0;w=21600"},
			"Docker-Ratelimit-Source": {"192.0.2.7"},
		},
		Body: `{"errors":[{"code":"TOOMANYREQUESTS","message":"You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit"}]}`}
}

// QuirkInsufficientScope answers every request under path with 401
// insufficient_scope and a bearer challenge for realm, as Docker Hub does
// for a repository that does not exist, even to a valid token
// (distribution/distribution#2376, docker-library/meta-scripts#33).
func QuirkInsufficientScope(path, realm, service string) Fault {
	return Fault{Path: path, Status: http.StatusUnauthorized,
		Header: http.Header{
			"Content-Type": {"application/json"},
			"Www-Authenticate": {fmt.Sprintf(`Bearer realm=%q,service=%q,scope="repository:%s:pull",error="insufficient_scope"`,
				realm, service, strings.Trim(strings.TrimPrefix(path, "/v2/"), "/"))},
		},
		Body: `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":[{"Type":"repository","Class":"","Name":"` + url.PathEscape(path) + `","Action":"pull"}]}]}`}
}
