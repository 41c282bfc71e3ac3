package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

const (
	// MaxPages is the most tag-list pages followed for one repository; a
	// registry that sends more is treated as broken, never silently
	// truncated.
	MaxPages = 10000
	// MaxTags is the most tags one repository's list may hold.
	MaxTags = 1_000_000
	// MaxResponseBytes is the most one response body may hold.
	MaxResponseBytes = 64 << 20
	// pageSize is the page size asked for. ECR refuses more than 1,000
	// (google/go-containerregistry#681).
	pageSize = 1000
	// googlePageSize is asked of Google's registries, whose pages of 1,000
	// come without a Link to the rest (google/go-containerregistry#1643).
	googlePageSize = 10000
	// fallbackPageSize is asked when a registry refuses a page size without
	// saying which it takes: the least that the OCI distribution
	// specification asks registries to serve (opencontainers/distribution-spec#470).
	fallbackPageSize = 100
)

// TagList is a repository's tag list as a registry gave it.
type TagList struct {
	// Tags are the valid tags, each once, in the order listed.
	Tags []string
	// Invalid counts the listed tags that are not valid tags
	// ([ValidTag]); they are dropped.
	Invalid int
	// Mirror is the mirror that answered, "" when the registry itself did.
	Mirror string
	// MayBeCut is true when the registry ignored paging and its one answer
	// held exactly a page: the list may stop at the registry's page size.
	MayBeCut bool
}

// Listed counts the distinct tags the registry listed, invalid ones
// included.
func (l *TagList) Listed() int { return len(l.Tags) + l.Invalid }

// listedOn returns img on the host that listed the tags: the mirror that
// answered, or img's own registry.
func (l *TagList) listedOn(img Image) Image {
	if l.Mirror != "" {
		return img.On(l.Mirror)
	}
	return img
}

// ListTags returns every tag of the image's repository, following the
// registry's pages to the end. The list is read once per Client; later
// calls (and concurrent ones) share that read.
func (c *Client) ListTags(ctx context.Context, img Image) (*TagList, error) {
	list, cached, err := c.tags.get(ctx, img.key(), func(ctx context.Context) (*TagList, error) {
		l, mirror, err := fromMirrors(ctx, c, img, c.listTags)
		if err == nil {
			l.Mirror = mirror
		}
		return l, err
	})
	if err != nil {
		return nil, c.explain(img, wrapError("list the tags", img, err))
	}
	if cached {
		c.log(ctx, "tag list shared with an earlier read", map[string]any{"image": img.Name, "tags": len(list.Tags)})
	}
	return list, nil
}

func (c *Client) listTags(ctx context.Context, img Image) (*TagList, error) {
	s, err := c.session(ctx, img)
	if err != nil {
		return nil, err
	}
	l := &lister{s: s, log: c.log, list: &TagList{}, seen: map[string]struct{}{}}
	if err := l.run(ctx, s.pageURL(pageSizeFor(img.Registry), "")); err != nil {
		return nil, err
	}
	c.log(ctx, "listed tags", map[string]any{"image": img.Name, "registry": img.Registry, "tags": len(l.list.Tags), "invalid": l.list.Invalid, "pages": l.pages})
	return l.list, nil
}

// pageSizeFor returns the page size to ask of a registry host.
func pageSizeFor(host string) int {
	if isGoogle(host) {
		return googlePageSize
	}
	return pageSize
}

// pageURL returns the URL of a tag-list page of n tags after last.
func (s *session) pageURL(n int, last string) *url.URL {
	q := url.Values{}
	if n > 0 {
		q.Set("n", strconv.Itoa(n))
	}
	if last != "" {
		q.Set("last", last)
	}
	u, _ := url.Parse(s.url("tags/list")) // the session's own URL always parses
	u.RawQuery = q.Encode()
	return u
}

// lister follows one repository's tag-list pages.
type lister struct {
	s     *session
	log   LogFunc
	list  *TagList
	seen  map[string]struct{}
	pages int
}

// run reads pages from first on, the way each registry on record pages:
//   - a refused page size (distribution 3.1.0 past maxtags: 400
//     PAGINATION_NUMBER_INVALID, distribution/distribution#4844; ECR: 405
//     UNSUPPORTED, google/go-containerregistry#681; Quay: 413
//     TOO_MANY_TAGS_REQUESTED, quay/quay#2964) is asked again with the
//     largest number in the answer below the size refused, else 100;
//   - a Link, relative or absolute, is followed; one back to a page
//     already read is an error;
//   - a page that holds exactly the page size and no Link (GHCR in 2021,
//     werf/werf#3654; Artifact Registry, google/go-containerregistry#1643;
//     Nexus group repositories, sonatype/nexus-public#117) is followed with
//     last=<its last tag>, until a page comes back short or empty;
//   - a page that repeats the one before means the registry ignores last
//     (Quay before 2024, quay/quay#2884; zot, project-zot/zot#1771): the
//     list is asked once without n.
func (l *lister) run(ctx context.Context, next *url.URL) error {
	visited := map[string]bool{}
	var prev []string
	for next != nil {
		if l.pages >= MaxPages {
			return fmt.Errorf("the tag list goes on past the safety cap of %d pages; the registry's pagination looks broken", MaxPages)
		}
		if visited[next.String()] {
			return fmt.Errorf("the registry's Link header points back to a page already read (%s): its pagination loops", redactURL(next))
		}
		visited[next.String()] = true
		page, link, err := l.s.tagPage(ctx, next)
		n := pageSizeOf(next)
		var se *StatusError
		if errors.As(err, &se) && n > 0 && refusesPageSize(se.Status) {
			smaller := smallerPageSize(se, n)
			if smaller == 0 {
				return fmt.Errorf("the registry refused a page of %d tags: %w", n, err)
			}
			l.log(ctx, "the registry refused the page size; asking for smaller pages", map[string]any{"image": l.s.img.Name, "refused": n, "page_size": smaller})
			next = withPageSize(next, smaller)
			continue
		}
		if err != nil {
			return err
		}
		l.pages++
		if len(prev) > 0 && slices.Equal(page, prev) {
			return l.unpaged(ctx, len(page))
		}
		if err := l.add(page); err != nil {
			return err
		}
		switch {
		case link != nil:
			next = link
		case n > 0 && len(page) == n:
			last := lastValid(page)
			if last == "" {
				return fmt.Errorf("a full page of the tag list holds no valid tag to ask for the page after it, and the registry sent no Link")
			}
			next = l.s.pageURL(n, last)
		default:
			next = nil
		}
		prev = page
	}
	return nil
}

// unpaged reads the list once without n, for a registry that ignores
// last: more tags than a page is the whole list; exactly a page may be cut
// at the registry's page size; fewer is an error.
func (l *lister) unpaged(ctx context.Context, page int) error {
	all, _, err := l.s.tagPage(ctx, l.s.pageURL(0, ""))
	if err != nil {
		return err
	}
	l.pages++
	if len(all) < page {
		return fmt.Errorf("the registry ignores the last parameter of its tag list and, asked for the whole list, answered with %d tags, fewer than one page of %d: its pagination is broken, so the list cannot be read whole", len(all), page)
	}
	l.list.Tags, l.list.Invalid = nil, 0
	clear(l.seen)
	l.list.MayBeCut = len(all) == page
	return l.add(all)
}

// add adds a page's tags: each once, invalid ones counted and dropped.
func (l *lister) add(page []string) error {
	for _, tag := range page {
		if _, dup := l.seen[tag]; dup {
			continue
		}
		if len(l.seen) >= MaxTags {
			return fmt.Errorf("the tag list holds more than the safety cap of %d tags", MaxTags)
		}
		l.seen[tag] = struct{}{}
		if !ValidTag(tag) {
			l.list.Invalid++
			continue
		}
		l.list.Tags = append(l.list.Tags, tag)
	}
	return nil
}

// lastValid returns the page's last valid tag, "" when it has none: only a
// valid tag goes into a URL.
func lastValid(page []string) string {
	for i := len(page) - 1; i >= 0; i-- {
		if ValidTag(page[i]) {
			return page[i]
		}
	}
	return ""
}

func refusesPageSize(status int) bool {
	return status == http.StatusBadRequest || status == http.StatusMethodNotAllowed || status == http.StatusRequestEntityTooLarge
}

// smallerPageSize returns the page size to ask after n was refused: the
// largest number in the registry's answer below n, else 100, else 0.
func smallerPageSize(se *StatusError, n int) int {
	best := 0
	for _, v := range se.Numbers {
		if v > best && v < n {
			best = v
		}
	}
	if best == 0 && fallbackPageSize < n {
		best = fallbackPageSize
	}
	return best
}

func pageSizeOf(u *url.URL) int {
	n, err := strconv.Atoi(u.Query().Get("n"))
	if err != nil {
		return 0
	}
	return n
}

func withPageSize(u *url.URL, n int) *url.URL {
	out := *u
	q := out.Query()
	q.Set("n", strconv.Itoa(n))
	out.RawQuery = q.Encode()
	return &out
}

// tagPage reads one page of a tag list and returns its tags, in order, and
// the next page's URL from its Link header (nil when there is none). The
// answer is read as JSON whatever its content type (ECR sends text/plain,
// genuinetools/reg#206), and decoded tag by tag, so that a huge page stops
// at MaxTags rather than filling memory first.
func (s *session) tagPage(ctx context.Context, u *url.URL) ([]string, *url.URL, error) {
	// Artifactory wants application/json for tag lists (renovatebot/renovate#3078).
	resp, body, err := s.get(ctx, u.String(), "application/json")
	if err != nil {
		return nil, nil, err
	}
	tags, err := decodeTags(body)
	if err != nil {
		return nil, nil, fmt.Errorf("%w (content type %q)", err, resp.Header.Get("Content-Type"))
	}
	next, err := nextLink(resp.Header.Values("Link"), resp.Request.URL)
	if err != nil {
		return nil, nil, err
	}
	return tags, next, nil
}

// decodeTags decodes the "tags" field of a tag-list answer.
func decodeTags(body []byte) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, notJSON(err)
	}
	found := false
	var tags []string
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, notJSON(err)
		}
		if key != "tags" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, notJSON(err)
			}
			continue
		}
		found = true
		tok, err := dec.Token()
		if err != nil {
			return nil, notJSON(err)
		}
		if tok == nil {
			continue // "tags": null, a repository without tags
		}
		if tok != json.Delim('[') {
			return nil, errors.New(`the tag list's "tags" field is not a list of strings`)
		}
		for dec.More() {
			if len(tags) >= MaxTags {
				return nil, fmt.Errorf("one page of the tag list holds more than the safety cap of %d tags", MaxTags)
			}
			var tag string
			if err := dec.Decode(&tag); err != nil {
				return nil, fmt.Errorf(`the tag list's "tags" field is not a list of strings: %w`, err)
			}
			tags = append(tags, tag)
		}
		if _, err := dec.Token(); err != nil {
			return nil, notJSON(err)
		}
	}
	if !found {
		return nil, errors.New(`the tag list has no "tags" field: the registry did not answer with a tag list`)
	}
	return tags, nil
}

func notJSON(err error) error {
	if err == nil || errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("the tag list is not valid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}
