terraform {
  required_providers {
    registry = {
      source = "seed-a8ff584c/registry"
    }
  }
}

# With no arguments, public images are read anonymously and the credentials
# of `docker login` are used where they exist.
provider "registry" {
  # A registry of your own that serves plain HTTP or a self-signed certificate.
  insecure_registries = ["registry.home.arpa:5000"]

  # The most one data source's read may take, every page and retry included.
  timeout = "1m"

  # Where a self-hosted registry reports push times, for min_age.
  registry_api = {
    "harbor.example.com" = { type = "harbor" }
  }
}
