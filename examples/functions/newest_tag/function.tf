# "1.27.4": the newest release, pre-releases and variants left out by the constraint.
output "newest" {
  value = provider::registry::newest_tag(["1.27.3", "1.27.4", "1.28.0-rc.1", "1.27.4-alpine"], "semver()", ">= 0")
}
