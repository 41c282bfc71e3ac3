package names

import (
	"errors"
	"fmt"
)

// TagInImageError is a repository name written with a tag: the caller says
// where the tag goes instead.
type TagInImageError struct {
	Image string
	// Tag is the tag part, with its colon (":1.27").
	Tag string
}

func (e *TagInImageError) Error() string {
	return fmt.Sprintf("image %q holds a tag (%s): remove it from image", e.Image, e.Tag)
}

// ErrInvalidTag is a tag that is not a valid tag ([ValidTag]): it is never
// sent to a registry.
var ErrInvalidTag = errors.New("the tag is not a valid tag: " + tagRule)
