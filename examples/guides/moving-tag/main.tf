terraform {
  required_providers {
    registry = {
      source = "seed-a8ff584c/registry"
    }
    kubernetes = {
      source = "hashicorp/kubernetes"
    }
    docker = {
      source = "kreuzwerker/docker"
    }
  }
}

# What the floating v3.2 tag (every 3.2.x release in turn) points to now.
# When the publisher moves the tag to a new image, the digest changes, and so
# does pinned_ref:
# traefik:v3.2@sha256:… (the tag stays readable, the runtime pulls by digest).
data "registry_image_digest" "traefik" {
  image = "traefik"
  tag   = "v3.2"
}

# A development image that CI rebuilds under the same tag.
data "registry_image_digest" "app" {
  image = "registry.gitlab.com/acme/app"
  tag   = "latest"
}

# Kubernetes: the digest is part of the pod template, so a moved tag is an
# in-place update of the deployment in the plan, and Kubernetes rolls it
# out. An unchanged tag changes nothing, so nothing restarts. No
# imagePullPolicy: Always, no in-cluster updater.
resource "kubernetes_deployment_v1" "app" {
  metadata {
    name = "app"
  }
  spec {
    selector {
      match_labels = { app = "app" }
    }
    template {
      metadata {
        labels = { app = "app" }
      }
      spec {
        container {
          name              = "app"
          image             = data.registry_image_digest.app.pinned_ref
          image_pull_policy = "IfNotPresent"
        }
      }
    }
  }
}

# Docker: a new pinned_ref replaces docker_image, and the container that
# runs it.
resource "docker_image" "traefik" {
  name = data.registry_image_digest.traefik.pinned_ref
}

resource "docker_container" "traefik" {
  name    = "traefik"
  image   = docker_image.traefik.image_id
  restart = "unless-stopped"
}

# Anything else (a script, a VM that runs docker compose): replace it when
# the digest changes, and only then. deploy.sh stands for your own script.
resource "terraform_data" "redeploy" {
  triggers_replace = [data.registry_image_digest.app.digest]

  provisioner "local-exec" {
    command = "./deploy.sh ${data.registry_image_digest.app.pinned_ref}"
  }
}
