# "minor"
output "kind" {
  value = provider::registry::update_kind("1.27.3", "1.28.0", "semver()")
}
