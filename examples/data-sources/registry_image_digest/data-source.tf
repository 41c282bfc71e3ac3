# Follow a moving tag: the plan shows a diff when `v3.2` (which traefik moves
# to every 3.2.x release) points to a new image.
data "registry_image_digest" "traefik" {
  image = "traefik"
  tag   = "v3.2"
}

# The digest of one platform's image inside a multi-platform index.
data "registry_image_digest" "pihole_arm64" {
  image    = "pihole/pihole"
  tag      = "2024.07.0"
  platform = "linux/arm64"
}

output "traefik_ref" {
  # traefik:v3.2@sha256:…, which changes exactly when the image does.
  value = data.registry_image_digest.traefik.pinned_ref
}
