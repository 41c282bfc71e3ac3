# The newest stable nginx release, and whether the pinned one is behind.
variable "nginx_version" {
  type    = string
  default = "1.27.3"
}

# With current set, only tags of its shape (#.#.#) are candidates: no -alpine,
# no -rc, no floating 1.27.
data "registry_latest_tag" "nginx" {
  image   = "nginx"
  current = var.nginx_version
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

# The alpine3.x variant follows its own line, Alpine releases included
# (1.27.3-alpine3.21 -> 1.28.0-alpine3.22), for arm64, pushed to Docker Hub a
# week ago at least (a backdated creation time does not count), skipping one
# broken release.
data "registry_latest_tag" "nginx_alpine_arm64" {
  image    = "nginx"
  current  = "1.27.3-alpine3.21"
  platform = "linux/arm64"
  min_age  = "7d"
  age_from = "push"
  exclude  = ["1\\.27\\.4-alpine.*"]
}

# CI builds tagged master-<build number>, on a registry kept apart from the image.
data "registry_latest_tag" "app" {
  registry = "ghcr.io"
  image    = "acme/app"
  filter   = "prefix('master-', suffix=number())"
}
