#!/usr/bin/env bash
# `make generate` (go generate): docs/ from the provider's schema, templates/
# and examples/, with tfplugindocs.
#
# tfplugindocs can get the schema itself, but only from a `terraform` on PATH,
# and it downloads one from the internet when there is none. So the schema is
# asked of the Terraform or OpenTofu this machine has ($TERRAFORM, else
# terraform, else tofu), from the provider just built (dev_overrides: no init,
# no download), and handed to tfplugindocs with --providers-schema. Terraform
# and OpenTofu print the same schema; only the provider's address differs, and
# tfplugindocs looks it up by the short name.
#
# Usage: bash tools/docs.sh   (from the repository root; `make generate`)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=tools/lib.sh
source "$REPO/tools/lib.sh"

need_terraform docs
make_work_dir docs

build_provider "$WORK/bin"
dev_overrides_config "$WORK/bin" >"$WORK/cli.tfrc"
required_providers >"$WORK/main.tf"

# The warning about dev_overrides goes to stderr; keep it out of the way
# unless the command fails.
if ! TF_CLI_CONFIG_FILE=$WORK/cli.tfrc TF_DATA_DIR=$WORK/.terraform CHECKPOINT_DISABLE=1 \
	"$TF" -chdir="$WORK" providers schema -json >"$WORK/schema.raw.json" 2>"$WORK/schema.log"; then
	cat "$WORK/schema.log" >&2
	echo "docs: $TF providers schema -json failed" >&2
	exit 1
fi

# The address is the only key of provider_schemas that names this provider:
# registry.terraform.io/… under Terraform, registry.opentofu.org/… under
# OpenTofu. tfplugindocs finds the schema under the short name.
sed -E "s#\"[a-z0-9.-]+/$PROVIDER_SOURCE\":#\"registry\":#" "$WORK/schema.raw.json" >"$WORK/schema.json"
grep -q '"provider_schemas":{"registry":' "$WORK/schema.json" || {
	echo "docs: $TF printed no schema for $PROVIDER_SOURCE" >&2
	exit 1
}

cd "$REPO"
go tool -modfile=tools/go.mod tfplugindocs generate --provider-name registry \
	--providers-schema "$WORK/schema.json"
