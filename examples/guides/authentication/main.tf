terraform {
  required_providers {
    registry = {
      source = "seed-a8ff584c/registry"
    }
  }
}

variable "gitlab_token" {
  type      = string
  sensitive = true
}

variable "harbor_robot_secret" {
  type      = string
  sensitive = true
}

variable "quay_robot_token" {
  type      = string
  sensitive = true
}

variable "acr_client_secret" {
  type      = string
  sensitive = true
}

provider "registry" {
  # GitLab: a personal, project or group access token with read_registry, used as a password.
  auth {
    registry = "registry.gitlab.com"
    username = "gitlab-ci-token"
    password = var.gitlab_token
  }

  # Harbor: a robot account.
  auth {
    registry = "harbor.example.com"
    username = "robot$ci"
    password = var.harbor_robot_secret
  }

  # Quay: a robot account token.
  auth {
    registry = "quay.io"
    username = "acme+ci"
    password = var.quay_robot_token
  }

  # Azure Container Registry: a service principal (or `az acr login`, which writes Docker's config).
  auth {
    registry = "acme.azurecr.io"
    username = "00000000-0000-0000-0000-000000000000"
    password = var.acr_client_secret
  }

  # A registry at home with a certificate from a private CA.
  ca_file = "${path.module}/home-ca.pem"

  # Ask a mirror when Docker Hub cannot answer (down, or the pull limit reached).
  mirrors = {
    "docker.io" = ["mirror.gcr.io"]
  }
}

# Docker Hub: `docker login` credentials are used as they are (or REGISTRY_AUTH_* in CI).
data "registry_latest_tag" "nginx" {
  image      = "nginx"
  constraint = ">= 0"
}

# GHCR: GITHUB_TOKEN in the environment (GitHub Actions sets it), or `docker login ghcr.io`.
data "registry_latest_tag" "ghcr" {
  image = "ghcr.io/acme/app"
}

# ECR: the AWS default credential chain (environment, profile, SSO, instance or task role).
data "registry_latest_tag" "ecr" {
  image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app"
}

# Artifact Registry and GCR: application default credentials (or gcloud).
data "registry_latest_tag" "gar" {
  image = "europe-docker.pkg.dev/acme/containers/app"
}

data "registry_latest_tag" "gitlab" {
  image = "registry.gitlab.com/acme/app"
}

data "registry_latest_tag" "harbor" {
  image = "harbor.example.com/library/app"
}
