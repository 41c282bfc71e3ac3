# Shell functions the scripts of tools/ share; source it, don't run it.

# PROVIDER_SOURCE is the provider's address in configurations, and the key of
# its dev_overrides entry.
PROVIDER_SOURCE=seed-a8ff584c/registry

# terraform_binary prints the Terraform or OpenTofu to run: $TERRAFORM, else
# terraform, else tofu on PATH; nothing when there is none.
terraform_binary() {
	printf '%s' "${TERRAFORM:-$(command -v terraform || command -v tofu || true)}"
}

# need_terraform WHO sets TF to terraform_binary, or stops the script with an
# error that names WHO when there is none.
need_terraform() {
	TF=$(terraform_binary)
	[[ -n $TF ]] || {
		echo "$1: neither terraform nor tofu is on PATH; install one (see README)" >&2
		exit 1
	}
}

# make_work_dir WHO sets WORK to a new temporary directory, removed when the
# script exits.
make_work_dir() {
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/registry-$1.XXXXXX")
	trap 'rm -rf "$WORK"' EXIT
}

# build_provider DIR builds the provider of the repository at $REPO into
# DIR, the directory that a dev_overrides entry names.
build_provider() {
	go -C "$REPO" build -o "$1/terraform-provider-registry" .
}

# required_providers prints a terraform block that requires this provider.
required_providers() {
	cat <<EOF
terraform {
  required_providers {
    registry = { source = "$PROVIDER_SOURCE" }
  }
}
EOF
}

# dev_overrides_config DIR prints a CLI configuration under which Terraform
# and OpenTofu run the provider binary in DIR in place of a download, with no
# `init` and no checkpoint calls.
dev_overrides_config() {
	cat <<EOF
provider_installation {
  dev_overrides {
    "$PROVIDER_SOURCE" = "$1"
  }
  direct {}
}
disable_checkpoint = true
EOF
}
