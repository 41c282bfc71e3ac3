# The five newest nginx releases (x.y.z, no suffix, no floating 1.27), and
# why the other tags were left out.
data "registry_tags" "nginx" {
  image  = "nginx"
  filter = "regex('(?P<version>\\d+\\.\\d+\\.\\d+)')"
  limit  = 5
}

output "nginx" {
  value = {
    newest   = data.registry_tags.nginx.tags
    listed   = data.registry_tags.nginx.tags_listed
    rejected = data.registry_tags.nginx.rejected # { invalid, cosign, filter, exclude, constraint }
  }
}

# Check a pin against what exists.
variable "app_version" {
  type    = string
  default = "master-123"
}

data "registry_tags" "app" {
  image  = "ghcr.io/acme/app"
  filter = "prefix('master-', suffix=number())"
}

check "app_tag_exists" {
  assert {
    condition     = contains(data.registry_tags.app.tags, var.app_version)
    error_message = "ghcr.io/acme/app has no tag ${var.app_version}."
  }
}
