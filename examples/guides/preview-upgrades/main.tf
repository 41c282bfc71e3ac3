terraform {
  required_version = ">= 1.5" # check blocks
  required_providers {
    registry = {
      source = "seed-a8ff584c/registry"
    }
  }
}

# The tags deployed now: the one place each version is written. Whatever
# deploys the images reads these same variables.
variable "nginx_version" {
  description = "The nginx release deployed now."
  type        = string
  default     = "1.27.3"
}

variable "postgres_version" {
  description = "The PostgreSQL release deployed now."
  type        = string
  default     = "16.4"
}

variable "pihole_version" {
  description = "The Pi-hole release deployed now (calendar versions)."
  type        = string
  default     = "2024.07.0"
}

# How each image is followed: the filter says which tags are versions and
# how they are ordered, the constraint which of them are acceptable.
locals {
  images = {
    nginx = {
      image      = "nginx"
      current    = var.nginx_version
      filter     = null # semver(), the default
      constraint = null # current's shape (#.#.#) already leaves out -alpine, -rc, 1.27
    }
    postgres = {
      image      = "postgres"
      current    = var.postgres_version
      filter     = null
      constraint = "~16" # stay on PostgreSQL 16
    }
    pihole = {
      image      = "pihole/pihole"
      current    = var.pihole_version
      filter     = null # 2024.07.0 orders as a version; nightly, latest are left out
      constraint = null
    }
  }
}

data "registry_latest_tag" "image" {
  for_each = local.images

  image      = each.value.image
  filter     = each.value.filter
  constraint = each.value.constraint
  current    = each.value.current
}

# Output values are part of the plan: when an image has a newer tag, the
# plan shows this output change, with the tag in use and the newest side by
# side.
output "newest" {
  description = "The newest acceptable tag of each image."
  value       = { for name, d in data.registry_latest_tag.image : name => d.tag }
}

output "upgrades" {
  description = "Each image that is behind, and how: major, minor, patch or other."
  value = {
    for name, d in data.registry_latest_tag.image :
    name => "${d.current} -> ${d.tag} (${d.update_kind})" if d.update_available
  }
}

# A failed check is a warning: the plan still succeeds, and says what is
# behind.
check "images_are_current" {
  assert {
    condition = alltrue([for d in data.registry_latest_tag.image : !d.update_available])
    error_message = join("\n", concat(["Newer images are available:"], [
      for name, d in data.registry_latest_tag.image :
      "  ${name}: ${d.current} -> ${d.tag} (${d.update_kind} update)" if d.update_available
    ]))
  }
}

# Major upgrades usually need a person to read the release notes first: give
# them a check of their own.
check "no_major_upgrades_pending" {
  assert {
    condition = alltrue([for d in data.registry_latest_tag.image : d.update_kind != "major"])
    error_message = "A new major version is out for: ${join(", ", [
      for name, d in data.registry_latest_tag.image : "${name} (${d.tag})" if d.update_kind == "major"
    ])}. Read its release notes before you change the pin."
  }
}
