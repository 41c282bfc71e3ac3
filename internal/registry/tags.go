package registry

import (
	"context"
	"fmt"
)

// MaxPages is the most tag-list pages followed for one repository; a
// registry that sends more is treated as broken, never silently truncated.
const MaxPages = 10000

// ListTags returns every tag of the image's repository, following the
// registry's Link headers across every page. The list is read once per
// Client; later calls (and concurrent ones) share that read.
func (c *Client) ListTags(ctx context.Context, img Image) ([]string, error) {
	key := img.Registry + "/" + img.Repository
	tags, cached, err := c.tags.get(ctx, key, func(ctx context.Context) ([]string, error) {
		return fromMirrors(ctx, c, img, c.listTags)
	})
	if err != nil {
		return nil, wrapError("list the tags", img, err)
	}
	if cached {
		c.log(ctx, "tag list shared with an earlier read", map[string]any{"image": img.Name, "tags": len(tags)})
	}
	return tags, nil
}

func (c *Client) listTags(ctx context.Context, img Image) ([]string, error) {
	const op = "list the tags"
	repo, err := c.repository(img)
	if err != nil {
		return nil, err
	}
	lister, err := c.puller.Lister(ctx, repo)
	if err != nil {
		return nil, wrapError(op, img, err)
	}
	var tags []string
	seen := map[string]bool{}
	pages := 0
	for lister.HasNext() {
		page, err := lister.Next(ctx)
		if err != nil {
			return nil, wrapError(op, img, err)
		}
		pages++
		tags = append(tags, page.Tags...)
		if page.Next == "" {
			break
		}
		if seen[page.Next] {
			return nil, wrapError(op, img, fmt.Errorf("the registry's Link header points back to a page already read (%s): its pagination loops", page.Next))
		}
		seen[page.Next] = true
		if pages >= MaxPages {
			return nil, wrapError(op, img, fmt.Errorf("the tag list goes on past the safety cap of %d pages", MaxPages))
		}
	}
	c.log(ctx, "listed tags", map[string]any{"image": img.Name, "registry": img.Registry, "tags": len(tags), "pages": pages})
	return tags, nil
}
