package registry

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

const (
	// MaxPages is the most tag-list pages followed for one repository; a
	// registry that sends more is treated as broken, never silently
	// truncated.
	MaxPages = 10000
	// MaxResponseBytes is the most one response body may hold.
	MaxResponseBytes = 64 << 20
	// pageSize is the page size asked for: the largest that registries
	// accept (ECR refuses more than 1000).
	pageSize = 1000
)

// ListTags returns every tag of the image's repository, following the
// registry's Link headers across every page. The list is read once per
// Client; later calls (and concurrent ones) share that read.
func (c *Client) ListTags(ctx context.Context, img Image) ([]string, error) {
	key := img.key()
	tags, cached, err := c.tags.get(ctx, key, func(ctx context.Context) ([]string, error) {
		return fromMirrors(ctx, c, img, c.listTags)
	})
	if err != nil {
		return nil, c.explain(wrapError("list the tags", img, err))
	}
	if cached {
		c.log(ctx, "tag list shared with an earlier read", map[string]any{"image": img.Name, "tags": len(tags)})
	}
	return tags, nil
}

func (c *Client) listTags(ctx context.Context, img Image) ([]string, error) {
	const op = "list the tags"
	s, err := c.session(ctx, img)
	if err != nil {
		return nil, wrapError(op, img, err)
	}
	next := s.url(fmt.Sprintf("tags/list?n=%d", pageSize))
	var tags []string
	seen := map[string]bool{}
	pages := 0
	for next != "" {
		if pages >= MaxPages {
			return nil, wrapError(op, img, fmt.Errorf("the tag list goes on past the safety cap of %d pages; the registry's pagination looks broken", MaxPages))
		}
		seen[next] = true
		page, link, err := s.tagPage(ctx, next)
		if err != nil {
			return nil, wrapError(op, img, err)
		}
		pages++
		tags = append(tags, page...)
		next = link
		if seen[next] {
			return nil, wrapError(op, img, fmt.Errorf("the registry's Link header points back to a page already read (%s): its pagination loops", next))
		}
	}
	c.log(ctx, "listed tags", map[string]any{"image": img.Name, "registry": img.Registry, "tags": len(tags), "pages": pages})
	return tags, nil
}

// tagPage reads one page of a tag list and returns its tags and the URL of
// the next page ("" at the end).
func (s *session) tagPage(ctx context.Context, u string) ([]string, string, error) {
	resp, body, err := s.get(ctx, u, "application/json")
	if err != nil {
		return nil, "", err
	}
	var page struct {
		Tags json.RawMessage `json:"tags"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, "", fmt.Errorf("the tag list is not valid JSON (content type %q): %w", resp.Header.Get("Content-Type"), err)
	}
	if len(page.Tags) == 0 {
		return nil, "", fmt.Errorf("the tag list has no \"tags\" field (content type %q): the registry did not answer with a tag list", resp.Header.Get("Content-Type"))
	}
	var tags []string
	if err := json.Unmarshal(page.Tags, &tags); err != nil {
		return nil, "", fmt.Errorf("the tag list's \"tags\" field is not a list of strings: %w", err)
	}
	next, err := nextPage(resp)
	if err != nil {
		return nil, "", err
	}
	return tags, next, nil
}

// nextPage returns the URL in a response's Link header with rel="next",
// resolved against the request; "" when there is none. A link to another
// host, or from HTTPS down to plain HTTP, is refused.
func nextPage(resp *http.Response) (string, error) {
	for _, header := range resp.Header.Values("Link") {
		for _, link := range strings.Split(header, ",") {
			target, params, ok := strings.Cut(strings.TrimSpace(link), ";")
			target = strings.TrimSpace(target)
			if !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
				return "", fmt.Errorf("the registry sent a malformed Link header %q", header)
			}
			if ok && !isNextRel(params) {
				continue
			}
			ref, err := url.Parse(target[1 : len(target)-1])
			if err != nil {
				return "", fmt.Errorf("the registry sent a malformed Link header %q: %w", header, err)
			}
			u := resp.Request.URL.ResolveReference(ref)
			if u.Host != resp.Request.URL.Host {
				return "", fmt.Errorf("the registry's Link header points to another host (%s); refusing to follow it", u.Host)
			}
			if u.Scheme != resp.Request.URL.Scheme {
				return "", fmt.Errorf("the registry's Link header changes the scheme to %s; refusing to follow it", u.Scheme)
			}
			return u.String(), nil
		}
	}
	return "", nil
}

func isNextRel(params string) bool {
	for _, p := range strings.Split(params, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(strings.TrimSpace(k), "rel") {
			for _, r := range strings.Fields(strings.Trim(strings.TrimSpace(v), `"`)) {
				if strings.EqualFold(r, "next") {
					return true
				}
			}
		}
	}
	// A link without rel is taken as the next page, as registries that
	// predate the rel parameter send it.
	return !strings.Contains(strings.ToLower(params), "rel")
}

// errTooLarge is returned when a response body passes MaxResponseBytes.
var errTooLarge = fmt.Errorf("the response is larger than the safety cap of %d MiB", MaxResponseBytes>>20)

// limitedReader reads at most n bytes and fails with errTooLarge past them,
// so that an oversized answer is an error, never a silent truncation.
type limitedReader struct {
	r io.Reader
	n int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			return 0, errTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}
