terraform {
  required_providers {
    registry = {
      source = "seed-a8ff584c/registry"
    }
  }
}

# Keyless: the newest release that the release workflow of acme/app signed
# in GitHub Actions, from a tag ref.
data "registry_latest_tag" "app" {
  image      = "ghcr.io/acme/app"
  constraint = "^2"
  signature = {
    identity_regexp = "https://github\\.com/acme/app/\\.github/workflows/release\\.yml@refs/tags/v.*"
    issuer          = "https://token.actions.githubusercontent.com"
  }
}

# A key pair: signed with `cosign sign --key cosign.key`.
data "registry_latest_tag" "worker" {
  image = "registry.example.com/acme/worker"
  signature = {
    public_key = file("${path.module}/cosign.pub")
  }
}

# A pinned tag whose signature is checked on every plan.
data "registry_image_digest" "proxy" {
  image = "ghcr.io/acme/proxy"
  tag   = "1.4.2"
  signature = {
    identity = "https://github.com/acme/proxy/.github/workflows/release.yml@refs/tags/v1.4.2"
    issuer   = "https://token.actions.githubusercontent.com"
  }
}

output "images" {
  value = {
    app    = "ghcr.io/acme/app@${data.registry_latest_tag.app.digest}"
    worker = "registry.example.com/acme/worker@${data.registry_latest_tag.worker.digest}"
    proxy  = "ghcr.io/acme/proxy@${data.registry_image_digest.proxy.digest}"
  }
}

output "signed_by" {
  value = data.registry_latest_tag.app.signed_by
}
