terraform {
  required_providers {
    registry = {
      source = "seed-a8ff584c/registry"
    }
  }
}

# What the .env file held, one entry per image: IMAGE_PIHOLE_NAME,
# IMAGE_PIHOLE_REGISTRY and IMAGE_PIHOLE_VERSION become images["pihole"].
# The values are in images.auto.tfvars, which Terraform loads by itself.
variable "images" {
  description = "The images deployed: registry host, repository, version, and how to pick versions from its tags."
  type = map(object({
    registry = string
    name     = string
    version  = string
    # The script's grep: which tags count as versions (default semver()).
    filter = optional(string)
    # Which versions are acceptable (for example "~1.4" to stay on 1.4.x).
    constraint = optional(string)
    # "same" (the default) follows the shape of the version in use; "any"
    # takes the newest tag of any shape, for a project that changed its tags.
    variant = optional(string)
  }))
}

# The script's loop: list each image's tags, keep the versions, take the
# newest (`sort -Vr | head -n 1`), and compare it with the version in use.
data "registry_latest_tag" "image" {
  for_each = var.images

  registry   = each.value.registry
  image      = each.value.name
  filter     = each.value.filter
  constraint = each.value.constraint
  current    = each.value.version
  variant    = each.value.variant
}

# The references the rest of the configuration deploys: what the locals
# built from the .env file before.
locals {
  images = { for key, v in var.images : key => "${v.registry}/${v.name}:${v.version}" }
}

# The script's report, in the plan: [docker.io/pihole/pihole:2022.12] -> [2022.12.1]
output "image_updates" {
  description = "Each image, and its newest version or up-to-date."
  value = [
    for key, d in data.registry_latest_tag.image :
    "[${local.images[key]}] -> ${d.update_available ? "[${d.tag}] (${d.update_kind})" : "up-to-date"}"
  ]
}

# `tf-image-helper.sh update`, the part that rewrote the .env file: the
# versions to write back to images.auto.tfvars.
output "newest_versions" {
  description = "The newest version of each image, to copy into images.auto.tfvars."
  value       = { for key, d in data.registry_latest_tag.image : key => d.tag }
}
