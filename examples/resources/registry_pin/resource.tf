# Patch and minor updates are planned as in-place updates of the pin; a new
# major release is held, with a warning that names it.
resource "registry_pin" "nginx" {
  image   = "nginx"
  initial = "1.27.3"
  move    = "minor"
}

# Deploy the pin: the image changes only when an apply moves the pin.
output "nginx_image" {
  value = registry_pin.nginx.pinned_ref
}
