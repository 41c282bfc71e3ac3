package transport

import (
	"testing"
)

func TestDescribeLimit(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"100;w=21600": "100 pulls per 6h0m0s", "200": "200 pulls", "": ""} {
		if got := describeLimit(in); got != want {
			t.Errorf("describeLimit(%q) = %q, want %q", in, got, want)
		}
	}
}
