// Command terraform-provider-registry serves the registry provider to
// Terraform and OpenTofu over plugin protocol 6.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/seed-a8ff584c/terraform-provider-registry/internal/provider"
)

//go:generate bash tools/docs.sh

// version is set by goreleaser with -X main.version.
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	// Under a debugger the log goes to the provider's own standard error,
	// which its developer reads whatever TF_LOG says.
	if !debug {
		if err := provider.QuietUnreadLogs(); err != nil {
			log.Fatal(err.Error())
		}
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/seed-a8ff584c/registry",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
