# From kreuzwerker/docker's docker_registry_image data source and
# pull_triggers to this provider. Step 1 keeps the docker_image resource as
# it is and swaps the data source; step 2 follows the newest release, which
# docker_registry_image cannot do.

terraform {
  required_providers {
    registry = {
      source = "seed-a8ff584c/registry"
    }
    docker = {
      source = "kreuzwerker/docker"
    }
  }
}

# Before:
#
#   data "docker_registry_image" "nginx" {
#     name = "nginx:1.27"
#   }
#
#   resource "docker_image" "nginx" {
#     name          = data.docker_registry_image.nginx.name
#     pull_triggers = [data.docker_registry_image.nginx.sha256_digest]
#   }

# Step 1: the same moving tag, its digest read by this provider.
data "registry_image_digest" "nginx" {
  image = "nginx"
  tag   = "1.27"
}

resource "docker_image" "nginx" {
  name          = "nginx:1.27"
  pull_triggers = [data.registry_image_digest.nginx.digest]
}

# Step 2: the newest 1.x release, pulled by digest. A new release changes
# name, which replaces the image and the containers that use it; the plan
# says which version it moves to.
variable "app_version" {
  description = "The app release deployed now."
  type        = string
  default     = "1.4.2"
}

data "registry_latest_tag" "app" {
  image      = "ghcr.io/acme/app"
  constraint = "^1"
  current    = var.app_version
}

resource "docker_image" "app" {
  name = data.registry_latest_tag.app.pinned_ref
}

resource "docker_container" "app" {
  name  = "app"
  image = docker_image.app.image_id
}

output "app_update" {
  value = data.registry_latest_tag.app.update_available ? "${var.app_version} -> ${data.registry_latest_tag.app.tag} (${data.registry_latest_tag.app.update_kind})" : "up to date"
}
