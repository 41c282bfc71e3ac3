// Command registry is the demo's own container registry: an in-memory
// registry (go-containerregistry's pkg/registry) on loopback, seeded with
// small random images under realistic names and tags, so that `make demo`
// needs no network, no Docker and no account anywhere.
//
// Usage:
//
//	registry serve [-addr 127.0.0.1:0] [-addr-file FILE] [-lifetime 15m]
//	registry push -registry HOST:PORT
//
// serve listens, seeds the registry over HTTP, and only then writes the
// address it listens on (host:port) to -addr-file and to stdout, so that a
// script can wait for that file to know the registry is ready. It stops on
// SIGINT or SIGTERM, and by itself after -lifetime, so that a demo killed
// hard never leaves it running for long.
//
// push publishes the "next release" to a running registry: nginx 1.27.4
// (moving latest and mainline to it), its alpine variant, pihole 2024.08.0
// (moving latest) and acme/app master-42.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/registrytest"
)

// release is one image pushed under one or more tags of a repository.
type release struct {
	repo string
	// tags names the image; every tag after the first is an alias that
	// points to the same manifest, like latest or mainline.
	tags []string
	// platforms lists the image's platforms. One platform makes a
	// single-platform OCI image; more make an OCI index with one
	// image per platform.
	platforms []string
}

var (
	single = []string{"linux/amd64"}
	multi  = []string{"linux/amd64", "linux/arm64/v8", "linux/arm/v7"}
)

// seedReleases returns what the registry holds when it starts.
func seedReleases() []release {
	rs := []release{
		{"library/nginx", []string{"1.26.2"}, single},
		{"library/nginx", []string{"1.26.3", "stable"}, single},
		{"library/nginx", []string{"1.27.2"}, single},
		{"library/nginx", []string{"1.27.2-alpine"}, single},
		{"library/nginx", []string{"1.27.3", "mainline", "latest"}, single},
		{"library/nginx", []string{"1.27.3-alpine", "1.27.3-alpine3.21"}, single},
		{"library/nginx", []string{"1.27.3-perl"}, single},
		{"pihole/pihole", []string{"2024.05.0"}, multi},
		{"pihole/pihole", []string{"2024.06.0"}, multi},
		{"pihole/pihole", []string{"2024.07.0", "latest"}, multi},
	}
	for i := 1; i <= 41; i++ {
		rs = append(rs, release{"acme/app", []string{fmt.Sprintf("master-%d", i)}, single})
	}
	for i := 1; i <= 3; i++ {
		rs = append(rs, release{"acme/app", []string{fmt.Sprintf("feature-x-%d", i)}, single})
	}
	return rs
}

// nextReleases returns what push publishes.
func nextReleases() []release {
	return []release{
		{"library/nginx", []string{"1.27.4", "mainline", "latest"}, single},
		{"library/nginx", []string{"1.27.4-alpine", "1.27.4-alpine3.21"}, single},
		{"pihole/pihole", []string{"2024.08.0", "latest"}, multi},
		{"acme/app", []string{"master-42"}, single},
	}
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("registry: ")
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "serve":
		err = serveCmd(os.Args[2:])
	case "push":
		err = pushCmd(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		log.Fatal(err)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: registry serve [-addr 127.0.0.1:0] [-addr-file FILE] [-lifetime 15m]")
	fmt.Fprintln(os.Stderr, "       registry push -registry HOST:PORT")
	os.Exit(2)
}

func serveCmd(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on; port 0 picks a free port")
	addrFile := fs.String("addr-file", "", "file to write host:port to once the registry is seeded")
	lifetime := fs.Duration("lifetime", 15*time.Minute, "stop after this long, whatever happens")
	requestLog := fs.Bool("log-requests", false, "log every request to stderr")
	_ = fs.Parse(args)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *lifetime)
	defer cancel()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	host := ln.Addr().String()
	srv := newServer(*requestLog)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	if err := pushAll(ctx, host, seedReleases()); err != nil {
		_ = srv.Close()
		return fmt.Errorf("seeding: %w", err)
	}
	if *addrFile != "" {
		if err := writeFileAtomic(*addrFile, host+"\n"); err != nil {
			_ = srv.Close()
			return err
		}
	}
	fmt.Println(host)

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		log.Printf("stopping after -lifetime %s", *lifetime)
	}
	shutdown, cancelShutdown := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancelShutdown()
	if err := srv.Shutdown(shutdown); err != nil {
		_ = srv.Close()
	}
	return nil
}

// newServer returns an HTTP server for an empty in-memory registry.
func newServer(requestLog bool) *http.Server {
	logger := log.New(io.Discard, "", 0)
	if requestLog {
		logger = log.New(os.Stderr, "registry: ", log.LstdFlags)
	}
	return &http.Server{
		Handler:           registry.New(registry.Logger(logger)),
		ReadHeaderTimeout: 10 * time.Second,
	}
}

func pushCmd(args []string) error {
	fs := flag.NewFlagSet("push", flag.ExitOnError)
	host := fs.String("registry", "", "host:port of the running registry")
	timeout := fs.Duration("timeout", 30*time.Second, "give up after this long")
	_ = fs.Parse(args)
	if *host == "" {
		return errors.New("push: -registry is required")
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	rs := nextReleases()
	if err := pushAll(ctx, *host, rs); err != nil {
		return err
	}
	for _, r := range rs {
		fmt.Printf("  pushed %s/%s:%s", *host, r.repo, r.tags[0])
		if len(r.tags) > 1 {
			fmt.Printf(" (also as %s)", strings.Join(r.tags[1:], ", "))
		}
		fmt.Println()
	}
	return nil
}

// pushAll pushes every release to the registry at host, over plain HTTP,
// through one pusher (remote.Reuse), which sets up the transport once and
// skips redundant HEAD requests.
func pushAll(ctx context.Context, host string, rs []release) error {
	pusher, err := remote.NewPusher(remote.WithContext(ctx))
	if err != nil {
		return err
	}
	opts := []remote.Option{remote.WithContext(ctx), remote.Reuse(pusher)}
	for _, r := range rs {
		if err := push(host, r, opts); err != nil {
			return err
		}
	}
	return nil
}

// push writes one release: the image or index under its first tag, then
// each alias as a tag of the same manifest.
func push(host string, r release, opts []remote.Option) error {
	refs := make([]name.Tag, len(r.tags))
	for i, t := range r.tags {
		ref, err := name.NewTag(host+"/"+r.repo+":"+t, name.Insecure, name.StrictValidation)
		if err != nil {
			return err
		}
		refs[i] = ref
	}
	var tagged remote.Taggable
	if len(r.platforms) == 1 {
		img, err := registrytest.NewImage(r.platforms[0], versioned(r.tags[0]))
		if err != nil {
			return err
		}
		if err := remote.Write(refs[0], img, opts...); err != nil {
			return fmt.Errorf("pushing %s: %w", refs[0], err)
		}
		tagged = img
	} else {
		idx, _, err := registrytest.NewIndex(r.platforms, versioned(r.tags[0]))
		if err != nil {
			return err
		}
		if err := remote.WriteIndex(refs[0], idx, opts...); err != nil {
			return fmt.Errorf("pushing %s: %w", refs[0], err)
		}
		tagged = idx
	}
	for _, ref := range refs[1:] {
		if err := remote.Tag(ref, tagged, opts...); err != nil {
			return fmt.Errorf("tagging %s: %w", ref, err)
		}
	}
	return nil
}

// versioned sets an image's creation time and version label.
func versioned(version string) func(*v1.ConfigFile) {
	return func(cf *v1.ConfigFile) {
		cf.Created = v1.Time{Time: time.Now().UTC().Truncate(time.Second)}
		if cf.Config.Labels == nil {
			cf.Config.Labels = map[string]string{}
		}
		cf.Config.Labels["org.opencontainers.image.version"] = version
	}
}

// writeFileAtomic writes data to a temporary file next to path and renames
// it, so that a reader never sees a half-written file.
func writeFileAtomic(path, data string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".addr-*")
	if err != nil {
		return err
	}
	if _, err := tmp.WriteString(data); err != nil {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
