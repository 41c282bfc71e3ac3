# The configuration `make demo` runs against its own registry on loopback
# (demo/registry), which stands in for Docker Hub: the images are named and
# tagged as there. demo/run.sh sets var.registry to that registry's address.
#
# terraform_data.deployment stands in for what would deploy the images (a
# Kubernetes deployment, a Docker container, an ECS task): it takes pinned
# references, so a new tag or a moved tag shows up in the plan as an
# ordinary in-place change.

terraform {
  required_version = ">= 1.5"
  required_providers {
    registry = {
      source = "seed-a8ff584c/registry"
    }
  }
}

# Nothing to configure: loopback registries may be reached over plain HTTP.
# A registry elsewhere on the network without TLS would be listed in
# insecure_registries.
provider "registry" {}

variable "registry" {
  description = "Registry host (host:port) to read the images from."
  type        = string
}

variable "nginx_version" {
  description = "The nginx release deployed now."
  type        = string
  default     = "1.27.3"
}

variable "app_version" {
  description = "The acme/app CI build deployed now."
  type        = string
  default     = "master-41"
}

# The newest stable nginx release: semver() (the default filter) keeps the
# version tags, and with current set only tags of its shape (#.#.#) are
# candidates, so pre-releases and variants such as 1.27.3-alpine or
# 1.27.3-perl are left out.
data "registry_latest_tag" "nginx" {
  registry = var.registry
  image    = "library/nginx"
  current  = var.nginx_version
}

# The newest release of the alpine line only: 1.27.3-alpine but not
# 1.27.3-alpine3.21, ordered by the version in the tag.
data "registry_latest_tag" "nginx_alpine" {
  registry = var.registry
  image    = "library/nginx"
  filter   = "regex('(?P<version>\\d+\\.\\d+\\.\\d+)-alpine')"
  current  = "${var.nginx_version}-alpine"
}

# The newest CI build of the master branch, by build number: master-10 is
# newer than master-9, and feature branch builds are left out. A build number
# is a version's only (first) component, so a newer build is a "major" update.
data "registry_latest_tag" "app" {
  registry = var.registry
  image    = "acme/app"
  filter   = "prefix('master-', suffix=number())"
  current  = var.app_version
}

# What latest points to now: the digest changes when the tag moves.
data "registry_image_digest" "nginx_latest" {
  registry = var.registry
  image    = "library/nginx"
}

# One platform's image inside a multi-platform index (arm64 means arm64/v8).
data "registry_image_digest" "pihole" {
  registry = var.registry
  image    = "pihole/pihole"
  platform = "linux/arm64"
}

resource "terraform_data" "deployment" {
  input = {
    web        = data.registry_latest_tag.nginx.pinned_ref
    web_alpine = data.registry_latest_tag.nginx_alpine.pinned_ref
    app        = data.registry_latest_tag.app.pinned_ref
    dns        = data.registry_image_digest.pihole.pinned_ref
  }
}

locals {
  # The lines the demo follows, by name.
  followed = {
    nginx        = data.registry_latest_tag.nginx
    nginx_alpine = data.registry_latest_tag.nginx_alpine
    app          = data.registry_latest_tag.app
  }
}

output "tags" {
  description = "The newest tag of each followed line."
  value       = { for name, line in local.followed : name => line.tag }
}

output "update_available" {
  description = "Whether each line has a release newer than the one deployed."
  value       = { for name, line in local.followed : name => line.update_available }
}

output "update_kind" {
  description = "How much newer: major, minor, patch, other or none."
  value       = { for name, line in local.followed : name => line.update_kind }
}

output "pinned_refs" {
  description = "References that pull exactly the images read: tag and digest."
  value = merge({ for name, line in local.followed : name => line.pinned_ref }, {
    nginx_latest = data.registry_image_digest.nginx_latest.pinned_ref
    pihole_arm64 = data.registry_image_digest.pihole.pinned_ref
  })
}
