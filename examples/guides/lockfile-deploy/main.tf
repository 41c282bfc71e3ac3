# The consumers of images.auto.tfvars.json: a Kubernetes deployment, a Helm
# release and a Docker container, each pinned to the tag and digest of the
# lockfile. They live in the same root module (the same directory) as the
# registry_latest_tag data sources, and declare the same `images` variable.

terraform {
  required_providers {
    registry = {
      source = "seed-a8ff584c/registry"
    }
    kubernetes = {
      source = "hashicorp/kubernetes"
    }
    helm = {
      source = "hashicorp/helm"
    }
    docker = {
      source = "kreuzwerker/docker"
    }
  }
}

variable "images" {
  description = "Pinned images: repository, tag and manifest digest, from images.auto.tfvars.json."
  type = map(object({
    image  = string
    tag    = string
    digest = string
  }))
}

locals {
  # name:tag@digest: the runtime pulls by digest, the tag stays readable.
  pinned_refs = { for name, v in var.images : name => "${v.image}:${v.tag}@${v.digest}" }
}

# Kubernetes: a new pin changes the pod template, which rolls the
# deployment out; nothing else does.
resource "kubernetes_deployment_v1" "web" {
  metadata {
    name = "web"
  }
  spec {
    replicas = 2
    selector {
      match_labels = { app = "web" }
    }
    template {
      metadata {
        labels = { app = "web" }
      }
      spec {
        container {
          name  = "nginx"
          image = local.pinned_refs["nginx"]
          # Pinned by digest, the image never changes under a tag: no need
          # to pull it again on every start.
          image_pull_policy = "IfNotPresent"
        }
      }
    }
  }
}

# Helm: charts take the image in their values. Bitnami charts read
# image.digest and prefer it to image.tag. (Pin the chart's own version with
# `version` too: the chart is not an image, and the lockfile does not cover
# it.)
resource "helm_release" "postgresql" {
  name       = "postgresql"
  repository = "oci://registry-1.docker.io/bitnamicharts"
  chart      = "postgresql"

  values = [yamlencode({
    image = {
      repository = var.images["postgresql"].image
      tag        = var.images["postgresql"].tag
      digest     = var.images["postgresql"].digest
    }
  })]
}

# Docker: docker_image pulls the pinned reference; a new pin replaces the
# image, and with it the container.
resource "docker_image" "app" {
  name = local.pinned_refs["app"]
}

resource "docker_container" "app" {
  name    = "app"
  image   = docker_image.app.image_id
  restart = "unless-stopped"
}
