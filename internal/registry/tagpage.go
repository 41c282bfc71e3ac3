package registry

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/names"
	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registry/transport"
)

// tagPage is one page of a tag list, decoded as it arrived: its valid tags
// in order, and a hash of each invalid one (kept to count them once, never
// the tag itself, which may be megabytes long).
type tagPage struct {
	tags    []string
	invalid []uint64
	// pushed holds, for a Google registry, each valid tag's push time.
	pushed map[string]time.Time
}

// len is how many tags the page listed.
func (p tagPage) len() int { return len(p.tags) + len(p.invalid) }

// equal reports whether two pages listed the same tags.
func (p tagPage) equal(q tagPage) bool {
	return slices.Equal(p.tags, q.tags) && slices.Equal(p.invalid, q.invalid)
}

// lastValid returns the page's last valid tag, "" when it has none: only a
// valid tag goes into a URL.
func (p tagPage) lastValid() string {
	if len(p.tags) == 0 {
		return ""
	}
	return p.tags[len(p.tags)-1]
}

// decodeTags decodes the "tags" field of a tag-list answer as it arrives,
// tag by tag, so that a huge page stops at MaxTags rather than filling
// memory first, and an invalid tag is hashed with seed and dropped at once.
func decodeTags(r io.Reader, seed maphash.Seed) (tagPage, error) {
	dec := json.NewDecoder(r)
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return tagPage{}, notJSON(err)
	}
	found := false
	var page tagPage
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return tagPage{}, notJSON(err)
		}
		if key == "manifest" {
			if page.pushed, err = decodeUploads(dec); err != nil {
				return tagPage{}, notJSON(err)
			}
			continue
		}
		if key != "tags" {
			if err := skipValue(dec); err != nil {
				return tagPage{}, notJSON(err)
			}
			continue
		}
		found = true
		tok, err := dec.Token()
		if err != nil {
			return tagPage{}, notJSON(err)
		}
		if tok == nil {
			continue // "tags": null, a repository without tags
		}
		if tok != json.Delim('[') {
			return tagPage{}, errors.New(`the tag list's "tags" field is not a list of strings`)
		}
		for dec.More() {
			if page.len() >= MaxTags {
				return tagPage{}, fmt.Errorf("one page of the tag list holds more than the safety cap of %d tags", MaxTags)
			}
			var tag string
			if err := dec.Decode(&tag); err != nil {
				if transport.IsBodyError(err) {
					return tagPage{}, err
				}
				return tagPage{}, fmt.Errorf(`the tag list's "tags" field is not a list of strings: %s`, strings.TrimPrefix(err.Error(), "json: "))
			}
			if names.ValidTag(tag) {
				page.tags = append(page.tags, tag)
			} else {
				page.invalid = append(page.invalid, maphash.String(seed, tag))
			}
		}
		if _, err := dec.Token(); err != nil {
			return tagPage{}, notJSON(err)
		}
	}
	if !found {
		return tagPage{}, errors.New(`the tag list has no "tags" field: the registry did not answer with a tag list`)
	}
	return page, nil
}

// decodeUploads decodes the "manifest" map of a Google tag list, digest by
// digest, into each valid tag's push time: the timeUploadedMs of the digest
// that lists the tag (go-containerregistry's pkg/v1/google, type
// ManifestInfo). A value that is not such a map is skipped.
func decodeUploads(dec *json.Decoder) (map[string]time.Time, error) {
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		if err == nil && tok == json.Delim('[') {
			return nil, skipRest(dec, 1)
		}
		return nil, err
	}
	pushed := map[string]time.Time{}
	for dec.More() {
		if _, err := dec.Token(); err != nil { // the digest
			return nil, err
		}
		// Container Registry sends timeUploadedMs as a string, Artifact
		// Registry has sent a number (google/go-containerregistry#667).
		var info struct {
			Tags           []string    `json:"tag"`
			TimeUploadedMs json.Number `json:"timeUploadedMs"`
		}
		if err := dec.Decode(&info); err != nil {
			var syntax *json.SyntaxError
			if errors.As(err, &syntax) || transport.IsBodyError(err) {
				return nil, err
			}
			continue // a field of another type: no time from this digest
		}
		ms, err := info.TimeUploadedMs.Int64()
		if err != nil {
			continue
		}
		at := time.UnixMilli(ms).UTC()
		if at.Year() < 2000 {
			at = time.Time{}
		}
		for _, t := range info.Tags {
			if names.ValidTag(t) {
				pushed[t] = at
			}
		}
	}
	_, err = dec.Token() // }
	return pushed, err
}

// skipRest reads past the rest of a value whose first depth delimiters
// were read.
func skipRest(dec *json.Decoder, depth int) error {
	for depth > 0 {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}

// skipValue reads past one JSON value token by token, never holding it
// whole (a Google tag list's "manifest" map is as long as its tags).
func skipValue(dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == json.Delim('{') || tok == json.Delim('[') {
		return skipRest(dec, 1)
	}
	return nil
}

func notJSON(err error) error {
	if err != nil && transport.IsBodyError(err) {
		return err
	}
	if err == nil || errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("the tag list is not valid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}
