package pushapi

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest/faults"
)

// GoogleTagList is a fault that makes a tag list answer as Google's
// registries do: with a "manifest" map from digest to the tags it holds
// and timeUploadedMs, a string of Unix milliseconds (go-containerregistry's
// pkg/v1/google, type ManifestInfo). pushed gives each tag's upload time;
// a listed tag not in it is in no digest's entry.
func GoogleTagList(pushed map[string]time.Time) faults.Fault {
	return faults.Fault{Path: "/tags/list", Rewrite: func(body []byte) []byte {
		var list map[string]any
		if err := json.Unmarshal(body, &list); err != nil {
			return body
		}
		manifest := map[string]any{}
		tags, _ := list["tags"].([]any)
		for i, t := range tags {
			tag, _ := t.(string)
			at, ok := pushed[tag]
			if !ok {
				continue
			}
			ms := strconv.FormatInt(at.UnixMilli(), 10)
			manifest[fmt.Sprintf("sha256:%064d", i+1)] = map[string]any{
				"imageSizeBytes": "1024", "layerId": "", "mediaType": "application/vnd.oci.image.manifest.v1+json",
				"tag": []string{tag}, "timeCreatedMs": "0", "timeUploadedMs": ms,
			}
		}
		list["manifest"] = manifest
		list["child"] = []string{}
		out, err := json.Marshal(list)
		if err != nil {
			return body
		}
		return out
	}}
}
