package pushapi

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// NewECR emulates ECR's DescribeImages
// (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImages.html),
// in the AWS JSON 1.1 protocol the SDK speaks: POST / with X-Amz-Target
// AmazonEC2ContainerRegistry_V20150921.DescribeImages and
// {"repositoryName","registryId","imageIds":[{"imageTag"}]}; the answer's
// imageDetails carry imagePushedAt in Unix seconds. One unknown tag fails
// the whole call with ImageNotFoundException. Requests must be signed
// (AWS4-HMAC-SHA256); the signature is not checked.
func NewECR(t testing.TB) *Server {
	return newServer(t, func(s *Server) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			if !s.admit(w, req) {
				return
			}
			fail := func(status int, kind, message string) {
				w.Header().Set("Content-Type", "application/x-amz-json-1.1")
				w.Header().Set("X-Amzn-Errortype", kind)
				w.WriteHeader(status)
				_ = json.NewEncoder(w).Encode(map[string]string{"__type": kind, "message": message})
			}
			if req.Header.Get("X-Amz-Target") != "AmazonEC2ContainerRegistry_V20150921.DescribeImages" ||
				!strings.HasPrefix(req.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ") {
				fail(http.StatusBadRequest, "InvalidParameterException", "not a signed DescribeImages request")
				return
			}
			var in struct {
				RepositoryName string `json:"repositoryName"`
				ImageIDs       []struct {
					ImageTag string `json:"imageTag"`
				} `json:"imageIds"`
			}
			if err := json.NewDecoder(req.Body).Decode(&in); err != nil || len(in.ImageIDs) > 100 {
				fail(http.StatusBadRequest, "InvalidParameterException", "bad request")
				return
			}
			details := []map[string]any{}
			for _, id := range in.ImageIDs {
				at, found := s.lookup(in.RepositoryName, id.ImageTag)
				if !found {
					fail(http.StatusBadRequest, "ImageNotFoundException", "The image with imageId {imageDigest:'null', imageTag:'"+id.ImageTag+"'} does not exist within the repository with name '"+in.RepositoryName+"' in the registry with id '123456789012'")
					return
				}
				details = append(details, map[string]any{"repositoryName": in.RepositoryName, "imageTags": []string{id.ImageTag},
					"imagePushedAt": float64(at.UnixMilli()) / 1000, "imageDigest": "sha256:0000000000000000000000000000000000000000000000000000000000000000"})
			}
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			_ = json.NewEncoder(w).Encode(map[string]any{"imageDetails": details})
		})
	})
}
