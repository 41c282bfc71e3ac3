# The consumers of the lock files: a Kubernetes deployment, a Helm release
# and a Docker container, each pinned to the tag and digest of the lock. This
# configuration reads the lock files of ../lockfile and never the registry:
# a deploy does not depend on the registry being up, and only deploys what is
# committed.

terraform {
  required_providers {
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

locals {
  lock_dir = "${path.module}/../lockfile"

  # Every image of every <group>.lock.json, by name.
  images = merge([
    for f in fileset(local.lock_dir, "*.lock.json") : jsondecode(file("${local.lock_dir}/${f}"))
  ]...)

  # name:tag@digest: the runtime pulls by digest, the tag stays readable.
  pinned_refs = { for name, v in local.images : name => "${v.image}:${v.tag}@${v.digest}" }
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
      repository = local.images["postgresql"].image
      tag        = local.images["postgresql"].tag
      digest     = local.images["postgresql"].digest
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
