terraform {
  required_providers {
    registry = {
      source = "seed-a8ff584c/registry"
    }
  }
}

# The lock: one file per group of images, <group>.lock.json, each
# { "<name>": { "image", "tag", "digest" } }. These files are data, and
# change with every refresh; this configuration is policy, and changes
# rarely. It uses no provider but this one and no resource, so a refresh
# (refresh.sh: terraform plan -out, then terraform show -json) writes no
# state and touches nothing else. Image names are unique across groups.
locals {
  groups = {
    for f in fileset(path.module, "*.lock.json") :
    trimsuffix(f, ".lock.json") => jsondecode(file("${path.module}/${f}"))
  }

  # Which updates a refresh takes, per group:
  #   "latest": every newer tag;
  #   "minor":  patch and minor updates; a new major waits for a person;
  #   "patch":  patch updates only;
  #   "digest": the pinned tag stays, its digest follows it (a tag that is
  #             rebuilt in place, such as a base image's 7.4-alpine).
  # A group without an entry is "minor".
  policies = {
    base  = "minor"
    apps  = "latest"
    tools = "patch"
  }

  # How single images are followed: a filter, exclusions, a constraint of
  # their own, or a policy other than their group's.
  follow = {
    nginx = {
      exclude = ["1\\.27\\.1"] # a release we skip
    }
    postgresql = {
      filter = "regex('(?P<version>\\d+\\.\\d+\\.\\d+-debian-12-r\\d+)')"
    }
    redis = {
      policy = "digest"
    }
    app = {
      filter = "prefix('master-', suffix=number())"
    }
  }

  images = merge([
    for group, images in local.groups : {
      for name, v in images : name => merge(v, {
        group  = group
        policy = try(local.follow[name].policy, lookup(local.policies, group, "minor"))
      })
    }
  ]...)

  # The policy as a constraint on the pinned tag's first numbers: "minor" on
  # 1.27.3 is ^1 (>= 1.0.0, < 2.0.0), "patch" is ~1.27 (on a one-number pin
  # such as 16-alpine, ~16.0: it stays). With current set, the constraint
  # sees the numeric part of each tag of current's shape (its first three
  # numbers), so this holds for 16.1.0-debian-12-r10, 7.4-alpine and
  # v2.0.7.1-ls171 too. Build numbers (master-41) are one number, and every
  # newer build is a major update: give them "latest".
  constraints = {
    for name, v in local.images : name => join(", ", compact([
      v.policy == "minor" ? "^${regexall("[0-9]+", v.tag)[0]}" : "",
      v.policy == "patch" ? "~${regexall("[0-9]+", v.tag)[0]}.${try(regexall("[0-9]+", v.tag)[1], "0")}" : "",
      try(local.follow[name].constraint, ""),
    ]))
  }
}

data "registry_latest_tag" "image" {
  for_each = { for name, v in local.images : name => v if v.policy != "digest" }

  image      = each.value.image
  current    = each.value.tag
  filter     = try(local.follow[each.key].filter, null)
  exclude    = try(local.follow[each.key].exclude, null)
  constraint = local.constraints[each.key] != "" ? local.constraints[each.key] : null
}

data "registry_image_digest" "pinned" {
  for_each = { for name, v in local.images : name => v if v.policy == "digest" }

  image = each.value.image
  tag   = each.value.tag
}

locals {
  refreshed = merge(
    { for name, d in data.registry_latest_tag.image : name => { tag = d.tag, digest = d.digest } },
    { for name, d in data.registry_image_digest.pinned : name => { tag = local.images[name].tag, digest = d.digest } },
  )
}

# Every group's lock file as a refresh would write it: refresh.sh reads this
# from the saved plan.
output "locks" {
  description = "The contents of each <group>.lock.json after a refresh, by group."
  value = {
    for group, images in local.groups : group => {
      for name, v in images : name => {
        image  = v.image
        tag    = local.refreshed[name].tag
        digest = local.refreshed[name].digest
      }
    }
  }
}

locals {
  # The pins a refresh would change, and how.
  upgrades = {
    for name, v in local.images : name => (
      v.tag != local.refreshed[name].tag
      ? "${v.tag} -> ${local.refreshed[name].tag} (${try(data.registry_latest_tag.image[name].update_kind, "")})"
      : "${v.tag}: new digest ${local.refreshed[name].digest}"
    ) if v.tag != local.refreshed[name].tag || v.digest != local.refreshed[name].digest
  }
}

output "upgrades" {
  description = "The pins a refresh would change, and how."
  value       = local.upgrades
}

# A warning in every plan while a pin is behind; a scheduled CI job fails on
# it, reading the check's status from `terraform show -json`.
check "pins_current" {
  assert {
    condition     = length(local.upgrades) == 0
    error_message = "Pins are behind what the policies take: ${join(", ", [for name, u in local.upgrades : "${name} ${u}"])}. Run ./refresh.sh."
  }
}

# Newer tags that the policy holds back: a new major under "minor", a new
# minor under "patch". A person decides, and moves the pin by hand.
data "registry_latest_tag" "unrestricted" {
  for_each = { for name, v in local.images : name => v if contains(["minor", "patch"], v.policy) }

  image   = each.value.image
  current = each.value.tag
  filter  = try(local.follow[each.key].filter, null)
  exclude = try(local.follow[each.key].exclude, null)
}

output "held_back" {
  description = "Newer tags the policy does not take: a person decides."
  value = {
    for name, d in data.registry_latest_tag.unrestricted :
    name => "${d.current} -> ${d.tag} (${d.update_kind}, held by policy \"${local.images[name].policy}\")"
    if d.tag != local.refreshed[name].tag
  }
}
