#!/usr/bin/env bash
# `make install-local-check`: `make install` into a fresh HOME, then `init`
# and `validate` of a configuration that asks for `version = "~> 0.1"`, with
# no CLI configuration and no network, under Terraform (or OpenTofu) and
# under the OpenTofu pinned in tools/separate: both find the provider.
#
# Usage: bash tools/install-local-check.sh
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=tools/lib.sh
source "$REPO/tools/lib.sh"
need_terraform install-local-check
make_work_dir install-local

# Go keeps its caches under HOME by default: keep them where they are.
GOPATH=$(go env GOPATH) GOMODCACHE=$(go env GOMODCACHE) GOCACHE=$(go env GOCACHE)
export GOPATH GOMODCACHE GOCACHE
TOFU=$(go -C "$REPO" tool -modfile=tools/separate/go.mod -n tofu)
export HOME="$WORK/home"
mkdir -p "$HOME" "$WORK/config"
VERSION=0.1.0 bash "$REPO/tools/install.sh" >/dev/null
{
	echo 'terraform {'
	echo '  required_providers {'
	echo '    registry = {'
	echo "      source  = \"$PROVIDER_SOURCE\""
	echo '      version = "~> 0.1"'
	echo '    }'
	echo '  }'
	echo '}'
} >"$WORK/config/main.tf"
for tool in "$TF" "$TOFU"; do
	rm -rf "$WORK/config/.terraform" "$WORK/config/.terraform.lock.hcl"
	name=$(basename "$tool")
	if ! (cd "$WORK/config" && env -u TF_CLI_CONFIG_FILE -u TF_PLUGIN_CACHE_DIR -u TF_DATA_DIR CHECKPOINT_DISABLE=1 "$tool" init -input=false -no-color) >"$WORK/init.log" 2>&1; then
		cat "$WORK/init.log" >&2
		echo "install-local-check: $name init did not find the provider that make install installed" >&2
		exit 1
	fi
	if ! grep -q "Installing seed-a8ff584c/registry v0.1.0" "$WORK/init.log"; then
		cat "$WORK/init.log" >&2
		echo "install-local-check: $name init did not install v0.1.0" >&2
		exit 1
	fi
	(cd "$WORK/config" && env -u TF_CLI_CONFIG_FILE CHECKPOINT_DISABLE=1 "$tool" validate -no-color >/dev/null)
	echo "ok   $name init and validate: version ~> 0.1 from make install"
done
