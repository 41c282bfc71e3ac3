# { registry = "docker.io", repository = "library/nginx", tag = "1.27.3", digest = null }
output "ref" {
  value = provider::registry::parse_image_ref("nginx:1.27.3")
}
