terraform {
  required_providers {
    registry = {
      source = "seed-a8ff584c/registry"
    }
  }
}

# Each pin is a lockfile entry in the state. Patch updates of the API are
# planned on their own; the worker takes minor updates too; the database
# moves only when someone says so.
resource "registry_pin" "api" {
  image = "ghcr.io/acme/api"
}

resource "registry_pin" "worker" {
  image      = "ghcr.io/acme/worker"
  move       = "minor"
  constraint = "< 3"
}

resource "registry_pin" "postgres" {
  image   = "postgres"
  initial = "16.4-alpine"
  move    = "none"
}

# A held update fails no plan, but the check warns on every plan until the
# pin is moved: set move = "major" for one apply, or replace the pin with
# initial set to the new tag.
check "majors_waiting" {
  assert {
    condition = alltrue([
      for pin in [registry_pin.api, registry_pin.worker] : pin.update_kind != "major"
    ])
    error_message = "A major update is held: ${join(", ", [for pin in [registry_pin.api, registry_pin.worker] : "${pin.image_ref} -> ${pin.newest_tag}" if pin.update_kind == "major"])}."
  }
}

output "images" {
  value = {
    api      = registry_pin.api.pinned_ref
    worker   = registry_pin.worker.pinned_ref
    postgres = registry_pin.postgres.pinned_ref
  }
}
