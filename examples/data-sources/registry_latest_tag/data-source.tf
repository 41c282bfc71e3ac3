# The newest stable nginx release, and whether the pinned one is behind.
variable "nginx_version" {
  type    = string
  default = "1.27.3"
}

data "registry_latest_tag" "nginx" {
  image      = "nginx"
  constraint = ">= 0" # stable releases only: no -alpine, no -rc
  current    = var.nginx_version
}

output "nginx" {
  value = {
    newest           = data.registry_latest_tag.nginx.tag
    pinned_ref       = data.registry_latest_tag.nginx.pinned_ref
    update_available = data.registry_latest_tag.nginx.update_available
    update_kind      = data.registry_latest_tag.nginx.update_kind
  }
}

# The newest 1.27 patch release of the alpine variant.
data "registry_latest_tag" "nginx_alpine" {
  image      = "nginx"
  filter     = "regex('(?P<version>\\d+\\.\\d+\\.\\d+)-alpine')"
  constraint = "~1.27"
}

# CI builds tagged master-<build number>, on a registry kept apart from the image.
data "registry_latest_tag" "app" {
  registry = "ghcr.io"
  image    = "acme/app"
  filter   = "prefix('master-', suffix=number())"
}
