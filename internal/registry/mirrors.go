package registry

import "context"

// candidates returns where img may be read: on each mirror of its registry,
// in order, then on the registry itself. Every candidate keeps the image's
// name as the user spelled it.
func (c *Client) candidates(img Image) []Image {
	mirrors := c.mirrors[CanonicalHost(img.Registry)]
	out := make([]Image, 0, len(mirrors)+1)
	for _, m := range mirrors {
		out = append(out, Image{Name: img.Name, Registry: m, Repository: img.Repository})
	}
	return append(out, img)
}

// fromMirrors runs read on each candidate of img until one answers. A mirror
// that fails (it is down, lacks the image, refuses the credentials) is logged
// and passed over; the registry's own error is the one returned.
func fromMirrors[T any](ctx context.Context, c *Client, img Image, read func(context.Context, Image) (T, error)) (T, error) {
	cands := c.candidates(img)
	var (
		v   T
		err error
	)
	for i, cand := range cands {
		v, err = read(ctx, cand)
		if err == nil {
			if i < len(cands)-1 {
				c.log(ctx, "answered by a mirror", map[string]any{"image": img.Name, "mirror": cand.Registry})
			}
			return v, nil
		}
		if ctx.Err() != nil {
			return v, err
		}
		if i < len(cands)-1 {
			c.log(ctx, "mirror failed; trying the next", map[string]any{"image": img.Name, "mirror": cand.Registry, "error": err.Error()})
		}
	}
	return v, err
}
