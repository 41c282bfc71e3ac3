package registry

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/credentials"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/transport"
)

const (
	// MaxPages is the most tag-list pages followed for one repository; a
	// registry that sends more is treated as broken, never silently
	// truncated.
	MaxPages = 10000
	// MaxTags is the most tags one repository's list may hold.
	MaxTags = 1_000_000
	// MaxTagPageBytes is the most one tag-list page may hold.
	MaxTagPageBytes = 64 << 20
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
	// Invalid counts the distinct listed tags that are not valid tags
	// (names.ValidTag); they are dropped, and not kept.
	Invalid int
	// Mirror is the mirror that answered, "" when the registry itself did.
	Mirror string
	// MayBeCut is true when the registry ignored paging and its one answer
	// held exactly a page: the list may stop at the registry's page size.
	MayBeCut bool
	// Pushed holds push times by tag when the tag list reports them (a
	// Google registry's "manifest" map); nil otherwise. A time before 2000
	// is the zero time.
	Pushed map[string]time.Time
}

// Listed counts the distinct tags the registry listed, invalid ones
// included.
func (l *TagList) Listed() int { return len(l.Tags) + l.Invalid }

// listedOn returns repo on the host that listed the tags: the mirror that
// answered, or repo's own registry.
func (l *TagList) listedOn(repo names.Repository) names.Repository {
	if l.Mirror != "" {
		return repo.On(l.Mirror)
	}
	return repo
}

// ListTags returns every tag of the image's repository, following the
// registry's pages to the end. The list is read once per Client; later
// calls (and concurrent ones) share that read.
func (c *Client) ListTags(ctx context.Context, repo names.Repository) (*TagList, error) {
	list, cached, err := c.tags.Get(ctx, repo.Key(), func(ctx context.Context) (*TagList, error) {
		l, mirror, err := fromMirrors(ctx, c, repo, c.listTags)
		if err == nil {
			l.Mirror = mirror
		}
		return l, err
	})
	if err != nil {
		return nil, c.fail("list the tags", repo, err)
	}
	if cached {
		c.log(ctx, "tag list shared with an earlier read", map[string]any{"image": repo.Name, "tags": len(list.Tags)})
	}
	return list, nil
}

func (c *Client) listTags(ctx context.Context, repo names.Repository) (*TagList, error) {
	s, err := c.session(ctx, repo)
	if err != nil {
		return nil, err
	}
	l := &lister{s: s, log: c.log, list: &TagList{}, seen: map[string]struct{}{}, invalid: map[uint64]struct{}{}, seed: maphash.MakeSeed()}
	if err := l.run(ctx, s.pageURL(pageSizeFor(repo.Registry), "")); err != nil {
		return nil, err
	}
	c.log(ctx, "listed tags", map[string]any{"image": repo.Name, "registry": repo.Registry, "tags": len(l.list.Tags), "invalid": l.list.Invalid, "pages": l.pages})
	return l.list, nil
}

// pageSizeFor returns the page size to ask of a registry host.
func pageSizeFor(host string) int {
	if credentials.IsGoogle(host) {
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

// lister follows one repository's tag-list pages. It keeps the valid
// tags, a hash of each invalid one (to count it once) and of each page URL
// read (to find a loop): what a hostile registry sends in megabytes costs
// it eight bytes here.
type lister struct {
	s       *session
	log     LogFunc
	list    *TagList
	seen    map[string]struct{}
	invalid map[uint64]struct{}
	seed    maphash.Seed
	pages   int
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
	visited := map[[sha256.Size]byte]bool{}
	var prev tagPage
	for next != nil {
		if l.pages >= MaxPages {
			return fmt.Errorf("the tag list goes on past the safety cap of %d pages; the registry's pagination looks broken", MaxPages)
		}
		at := sha256.Sum256([]byte(next.String()))
		if visited[at] {
			return fmt.Errorf("the registry's Link header points back to a page already read (%s): its pagination loops", transport.Clean(transport.RedactURL(next)))
		}
		visited[at] = true
		page, link, err := l.s.tagPage(ctx, next, l.seed)
		n := pageSizeOf(next)
		var se *transport.StatusError
		if errors.As(err, &se) && n > 0 && refusesPageSize(se.Status) {
			smaller := smallerPageSize(se, n)
			if smaller == 0 {
				return fmt.Errorf("the registry refused a page of %d tags: %w", n, err)
			}
			l.log(ctx, "the registry refused the page size; asking for smaller pages", map[string]any{"image": l.s.repo.Name, "refused": n, "page_size": smaller})
			next = withPageSize(next, smaller)
			continue
		}
		if err != nil {
			return err
		}
		l.pages++
		if prev.len() > 0 && page.equal(prev) {
			return l.unpaged(ctx, page.len())
		}
		if err := l.add(page); err != nil {
			return err
		}
		switch {
		case link != nil:
			next = link
		case n > 0 && page.len() == n:
			last := page.lastValid()
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
	all, _, err := l.s.tagPage(ctx, l.s.pageURL(0, ""), l.seed)
	if err != nil {
		return err
	}
	l.pages++
	if all.len() < page {
		return fmt.Errorf("the registry ignores the last parameter of its tag list and, asked for the whole list, answered with %d tags, fewer than one page of %d: its pagination is broken, so the list cannot be read whole", all.len(), page)
	}
	l.list.Tags, l.list.Invalid, l.list.Pushed = nil, 0, nil
	clear(l.seen)
	clear(l.invalid)
	l.list.MayBeCut = all.len() == page
	return l.add(all)
}

// add adds a page's tags: each once, invalid ones counted and dropped.
func (l *lister) add(page tagPage) error {
	for _, tag := range page.tags {
		if _, dup := l.seen[tag]; dup {
			continue
		}
		if err := l.room(); err != nil {
			return err
		}
		l.seen[tag] = struct{}{}
		l.list.Tags = append(l.list.Tags, tag)
	}
	for _, h := range page.invalid {
		if _, dup := l.invalid[h]; dup {
			continue
		}
		if err := l.room(); err != nil {
			return err
		}
		l.invalid[h] = struct{}{}
		l.list.Invalid++
	}
	if page.pushed != nil && l.list.Pushed == nil {
		l.list.Pushed = make(map[string]time.Time, len(page.pushed))
	}
	for tag, at := range page.pushed {
		if _, listed := l.seen[tag]; listed {
			l.list.Pushed[tag] = at
		}
	}
	return nil
}

// room returns an error when the list already holds MaxTags tags.
func (l *lister) room() error {
	if l.list.Listed() >= MaxTags {
		return fmt.Errorf("the tag list holds more than the safety cap of %d tags", MaxTags)
	}
	return nil
}

func refusesPageSize(status int) bool {
	return status == http.StatusBadRequest || status == http.StatusMethodNotAllowed || status == http.StatusRequestEntityTooLarge
}

// smallerPageSize returns the page size to ask after n was refused: the
// largest number in the registry's answer below n, else 100, else 0.
func smallerPageSize(se *transport.StatusError, n int) int {
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
// genuinetools/reg#206), and decoded as it arrives (decodeTags).
func (s *session) tagPage(ctx context.Context, u *url.URL, seed maphash.Seed) (tagPage, *url.URL, error) {
	var (
		page tagPage
		next *url.URL
	)
	// Artifactory wants application/json for tag lists (renovatebot/renovate#3078).
	err := s.get(ctx, u.String(), "application/json", MaxTagPageBytes, "the tag-list page", func(resp *http.Response, body io.Reader) error {
		var err error
		if page, err = decodeTags(body, seed); err != nil {
			if transport.IsBodyError(err) {
				return err
			}
			return fmt.Errorf("%w (content type %q)", err, transport.Clean(resp.Header.Get("Content-Type")))
		}
		next, err = transport.NextLink(resp.Header.Values("Link"), resp.Request.URL)
		return err
	})
	return page, next, err
}
