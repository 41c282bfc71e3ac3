# ["1.10", "1.10-rc1", "1.9", "1.2"]: latest is no version, and 1.10 is newer than 1.9.
output "sorted" {
  value = provider::registry::sort_tags(["1.9", "1.10", "1.2", "latest", "1.10-rc1"], "semver()")
}
