# The same configuration runs on OpenTofu and on Terraform: `tofu init`
# installs the provider from the OpenTofu registry, `terraform init` from
# the Terraform registry, both under the short source address below.
terraform {
  required_version = ">= 1.5" # Terraform 1.5 or OpenTofu 1.6 or later
  required_providers {
    registry = {
      source = "seed-a8ff584c/registry"
    }
  }
}

variable "nginx_version" {
  description = "The nginx release deployed now."
  type        = string
  default     = "1.27.3"
}

data "registry_latest_tag" "nginx" {
  image   = "nginx"
  current = var.nginx_version
}

check "nginx_is_current" {
  assert {
    condition     = !data.registry_latest_tag.nginx.update_available
    error_message = "nginx ${var.nginx_version} is behind: ${data.registry_latest_tag.nginx.tag} is out (${data.registry_latest_tag.nginx.update_kind} update)."
  }
}

output "nginx" {
  value = data.registry_latest_tag.nginx.pinned_ref
}
