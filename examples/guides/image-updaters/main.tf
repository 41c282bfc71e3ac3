terraform {
  required_providers {
    registry = {
      source = "seed-a8ff584c/registry"
    }
  }
}

# Renovate: a packageRule for nginx with the docker versioning (the suffix
# must stay the same), allowedVersions "<2.0.0", ignoreVersions and
# minimumReleaseAge "3 days".
data "registry_latest_tag" "renovate_nginx" {
  image      = "nginx"
  current    = "1.27.3-alpine"   # the shape rule: -alpine stays -alpine
  constraint = "< 2.0.0"         # allowedVersions
  exclude    = ["1\\.27\\.1-.*"] # ignoreVersions
  min_age    = "3d"              # minimumReleaseAge
}

# Flux: an ImagePolicy with filterTags.pattern '^main-[a-f0-9]+-(?P<ts>[0-9]+)',
# extract '$ts' and a numerical policy, order asc. The named group is
# called version here, and regex() is anchored at both ends.
data "registry_latest_tag" "flux_app" {
  image  = "ghcr.io/acme/app"
  filter = "regex('main-[a-f0-9]+-(?P<version>[0-9]+)')"
}

# Flux: an ImagePolicy with policy.semver.range '>=1.0.0 <2.0.0'. Flux and
# this provider read ranges with the same library (Masterminds/semver).
data "registry_latest_tag" "flux_podinfo" {
  image      = "ghcr.io/stefanprodan/podinfo"
  constraint = ">=1.0.0 <2.0.0"
}

# Argo CD Image Updater: an image "redis:~7.4" with the semver strategy,
# ignore-tags "*-rc*" (a glob; exclude takes regular expressions) and
# platforms linux/arm64.
data "registry_latest_tag" "argocd_redis" {
  image      = "redis"
  constraint = "~7.4"
  exclude    = [".*-rc.*"]
  platform   = "linux/arm64"
}

# Argo CD Image Updater: the digest strategy on a mutable tag.
data "registry_image_digest" "argocd_app_latest" {
  image = "ghcr.io/acme/app"
  tag   = "latest"
}

output "pinned_refs" {
  value = {
    renovate_nginx = data.registry_latest_tag.renovate_nginx.pinned_ref
    flux_app       = data.registry_latest_tag.flux_app.pinned_ref
    flux_podinfo   = data.registry_latest_tag.flux_podinfo.pinned_ref
    argocd_redis   = data.registry_latest_tag.argocd_redis.pinned_ref
    argocd_app     = data.registry_image_digest.argocd_app_latest.pinned_ref
  }
}
