# Tags as `crane ls nginx` prints them, pasted into a list. Try filters on
# them in `terraform console` (Terraform >= 1.8, OpenTofu >= 1.7), with no
# registry and no plan:
#
#   > provider::registry::sort_tags(local.tags, "semver()")
#   > provider::registry::newest_tag(local.tags, "regex('(?P<version>\\d+\\.\\d+\\.\\d+)-alpine')", "~1.27")
#   > provider::registry::tag_shape("1.27.3-alpine3.21")
terraform {
  required_providers {
    registry = {
      source = "seed-a8ff584c/registry"
    }
  }
}

locals {
  tags = [
    "1.26.3", "1.27.2", "1.27.3", "1.27.4", "1.27", "1", "1.28.0-rc.1",
    "1.27.3-alpine", "1.27.4-alpine", "1.27.3-alpine3.21", "1.27.4-alpine3.21",
    "1.27.3-perl", "1.27.4-perl", "mainline", "stable", "latest",
  ]
}

# The same answers in outputs, so that terraform plan shows them too.
output "stable" {
  value = provider::registry::newest_tag(local.tags, "semver()", ">= 0") # "1.27.4"
}

output "alpine_line" {
  value = provider::registry::sort_tags(local.tags, "regex('(?P<version>\\d+\\.\\d+\\.\\d+)-alpine')") # ["1.27.4-alpine", "1.27.3-alpine"]
}

output "behind" {
  value = provider::registry::update_kind("1.27.3", provider::registry::newest_tag(local.tags, "semver()", ">= 0"), "semver()") # "patch"
}
