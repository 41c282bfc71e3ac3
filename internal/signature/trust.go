package signature

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/tuf"
	"github.com/theupdateframework/go-tuf/v2/metadata/fetcher"
)

// PublicGoodOptions say where the Sigstore public-good trusted root comes
// from.
type PublicGoodOptions struct {
	// CacheDir holds the TUF metadata between runs; "" means
	// <user cache directory>/terraform-provider-registry/sigstore-tuf.
	CacheDir string
	// Timeout bounds each download.
	Timeout time.Duration
	// UserAgent is sent with each download.
	UserAgent string
}

// PublicGood fetches the Sigstore public-good instance's trusted root by
// TUF, from the root of trust that sigstore-go embeds, and caches the TUF
// metadata in the user's cache directory (a cached root younger than a day
// is used without a download). It gives up when ctx ends.
func PublicGood(ctx context.Context, o PublicGoodOptions) (TrustedMaterial, error) {
	opts := tuf.DefaultOptions()
	dir := o.CacheDir
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("no cache directory for the Sigstore trusted root (%w): set trusted_root", err)
		}
		dir = filepath.Join(base, "terraform-provider-registry", "sigstore-tuf")
	}
	opts.CachePath = dir
	opts.CacheValidity = 1
	f := fetcher.NewDefaultFetcher()
	f.SetHTTPClient(&http.Client{Timeout: o.Timeout, Transport: http.DefaultTransport})
	if o.UserAgent != "" {
		f.SetHTTPUserAgent(o.UserAgent)
	}
	opts.Fetcher = f

	type result struct {
		root *root.TrustedRoot
		err  error
	}
	done := make(chan result, 1)
	go func() {
		tr, err := root.FetchTrustedRootWithOptions(opts)
		done <- result{tr, err}
	}()
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("fetching the Sigstore public-good trusted root from %s: %w", opts.RepositoryBaseURL, ctx.Err())
	case r := <-done:
		if r.err != nil {
			return nil, fmt.Errorf("cannot fetch the Sigstore public-good trusted root from %s: %w", opts.RepositoryBaseURL, r.err)
		}
		return r.root, nil
	}
}
