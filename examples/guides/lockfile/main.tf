terraform {
  required_providers {
    registry = {
      source = "seed-a8ff584c/registry"
    }
  }
}

# The lockfile, images.auto.tfvars.json, is the one place versions live:
# for each image, the tag deployed and the digest it had when it was
# pinned. Terraform loads it by itself, being a *.auto.tfvars.json file.
variable "images" {
  description = "Pinned images: repository, tag and manifest digest, from images.auto.tfvars.json."
  type = map(object({
    image  = string
    tag    = string
    digest = string
  }))
}

# How each image is followed. This is policy, and changes rarely; the
# lockfile is data, and changes with every upgrade. An image without an
# entry here is followed with semver() and no constraint.
locals {
  follow = {
    nginx = {
      exclude = ["1\\.27\\.1"] # a release we skip; the pin's shape keeps nginx on plain x.y.z
    }
    postgresql = {
      filter     = "regex('(?P<version>\\d+\\.\\d+\\.\\d+-debian-12-r\\d+)')"
      constraint = "^16.0.0-0"
    }
    app = {
      filter = "prefix('master-', suffix=number())"
    }
  }

  # What deploys the images uses these: name:tag@digest pulls exactly the
  # image that was pinned, even if the tag has since moved.
  pinned_refs = { for name, v in var.images : name => "${v.image}:${v.tag}@${v.digest}" }
}

data "registry_latest_tag" "image" {
  for_each = var.images

  image      = each.value.image
  filter     = try(local.follow[each.key].filter, null)
  constraint = try(local.follow[each.key].constraint, null)
  exclude    = try(local.follow[each.key].exclude, null)
  current    = each.value.tag
}

# The lockfile as it would be with every image at its newest tag and
# digest: refresh.sh writes it back to images.auto.tfvars.json.
output "images_lock" {
  description = "The contents of images.auto.tfvars.json with every image at its newest acceptable tag."
  value = {
    for name, v in var.images : name => {
      image  = v.image
      tag    = data.registry_latest_tag.image[name].tag
      digest = data.registry_latest_tag.image[name].digest
    }
  }
}

output "upgrades" {
  description = "The images whose pin is behind, and how far."
  value = {
    for name, d in data.registry_latest_tag.image :
    name => "${d.current} -> ${d.tag} (${d.update_kind})" if d.update_available
  }
}

# A tag that was moved to another image since it was pinned (a rebuilt
# image, a re-tagged release) shows here, though the tag is the same.
output "moved_tags" {
  description = "The images whose pinned tag now points to another digest."
  value = [
    for name, d in data.registry_latest_tag.image :
    name if d.tag == var.images[name].tag && d.digest != var.images[name].digest
  ]
}

output "pinned_refs" {
  description = "name:tag@digest of every pinned image, for whatever deploys them."
  value       = local.pinned_refs
}
