#!/usr/bin/env bash
# Checks every Terraform configuration under examples/ without a network and
# without `terraform init`:
#
#   - every directory: `terraform fmt -check` (.tf and .tfvars files);
#   - a directory whose configuration needs no provider but this one (and
#     Terraform's built-in one): `terraform validate`, against a provider
#     built from this tree and installed with dev_overrides. Validation runs
#     the provider's own validators, so a malformed filter, constraint,
#     platform or image, or a `current` tag that the filter does not keep, is
#     an error here. Its *.auto.tfvars(.json) files are checked against the
#     variable declarations too;
#   - a directory that also needs other providers (kubernetes, helm,
#     docker, ...), which cannot be installed offline: formatting only;
#   - shell scripts: `bash -n`;
#   - GitHub Actions workflows (examples/ci/github): actionlint.
#
# The data-source examples hold a bare data block, as tfplugindocs shows it;
# they are validated with the required_providers block added.
#
# Usage: tools/check-examples.sh [DIR...]   (default: examples)
# Environment: TERRAFORM (default: terraform, else tofu, on PATH).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"

# shellcheck source=tools/lib.sh
source "$REPO/tools/lib.sh"

need_terraform check-examples
make_work_dir check-examples

# Terraform reads its CLI configuration from here, and only from here: the
# provider built below, and nothing else, with no checkpoint calls.
export TF_CLI_CONFIG_FILE=$WORK/terraformrc
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
unset TF_CLI_ARGS TF_CLI_ARGS_validate TF_CLI_ARGS_fmt TF_DATA_DIR

build_provider "$WORK/bin"
dev_overrides_config "$WORK/bin" >"$TF_CLI_CONFIG_FILE"

# other_providers DIR: the source addresses of the providers the
# configuration in DIR requires, other than this one, one a line.
other_providers() {
	cat "$1"/*.tf |
		sed -n 's/^[[:space:]]*source[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' |
		grep -v -x -e "$PROVIDER_SOURCE" -e "registry.terraform.io/$PROVIDER_SOURCE" || true
}

# show OUTPUT: Terraform's output without the dev_overrides warning, and
# without the crash report `terraform console` (1.11) adds after an error.
show() {
	sed -e '/TERRAFORM CRASH/,$d' <<<"$1" |
		awk '/^(Error|Warning): / { skip = /Provider development overrides are in effect/ }
			!skip' |
		sed 's/^/    /'
}

failed=()
validated=0
formatted=0

check_dir() {
	local dir=$1 out others copy
	if ! out=$("$TF" fmt -check -diff -no-color "$dir" 2>&1); then
		echo "FAIL $dir: not formatted (run: terraform fmt $dir)"
		show "$out"
		failed+=("$dir (fmt)")
		return
	fi

	others=$(other_providers "$dir")
	if [[ -n $others ]]; then
		formatted=$((formatted + 1))
		echo "ok   $dir: formatted (also needs $(paste -sd, <<<"$others" | sed 's/,/, /g'): not validated offline)"
		return
	fi

	copy=$WORK/config/$dir
	mkdir -p "$copy"
	cp -R "$dir"/. "$copy"/
	if ! grep -q "\"$PROVIDER_SOURCE\"" "$dir"/*.tf; then
		required_providers >"$copy/zz_check_examples_providers.tf"
	fi
	if ! out=$(cd "$copy" && "$TF" validate -no-color 2>&1); then
		echo "FAIL $dir: terraform validate"
		show "$out"
		failed+=("$dir (validate)")
		return
	fi
	if compgen -G "$dir/*.auto.tfvars" >/dev/null || compgen -G "$dir/*.auto.tfvars.json" >/dev/null; then
		# terraform validate ignores variable values; console loads them and
		# checks them against their declarations.
		out=$(cd "$copy" && echo 1 | "$TF" console -no-color 2>&1 || true)
		if grep -q '^Error: ' <<<"$out"; then
			echo "FAIL $dir: its tfvars do not fit its variables"
			show "$out"
			failed+=("$dir (tfvars)")
			return
		fi
	fi
	validated=$((validated + 1))
	echo "ok   $dir: valid"
}

mapfile -t dirs < <(find "${@:-examples}" -name '*.tf' -not -path '*/.terraform/*' -exec dirname {} \; | sort -u)
if [[ ${#dirs[@]} -eq 0 ]]; then
	echo "check-examples: no Terraform configuration under ${*:-examples}" >&2
	exit 1
fi
for dir in "${dirs[@]}"; do
	check_dir "$dir"
done

while IFS= read -r script; do
	if ! out=$(bash -n "$script" 2>&1); then
		echo "FAIL $script: bash -n"
		show "$out"
		failed+=("$script (bash -n)")
	fi
done < <(find "${@:-examples}" -name '*.sh')

# GitHub Actions workflows: actionlint (pinned in tools/separate). The
# GitLab CI file is checked by the Go test beside it (examples/ci).
workflows=0
while IFS= read -r workflow; do
	if ! out=$(go -C "$REPO" tool -modfile=tools/separate/go.mod actionlint -no-color "$workflow" 2>&1); then
		echo "FAIL $workflow: actionlint"
		show "$out"
		failed+=("$workflow (actionlint)")
		continue
	fi
	workflows=$((workflows + 1))
	echo "ok   $workflow: actionlint"
done < <(find "${@:-examples}" -path '*/github/*.yml')

if [[ ${#failed[@]} -gt 0 ]]; then
	echo "check-examples: ${#failed[@]} failed: ${failed[*]}" >&2
	exit 1
fi
echo "check-examples: $validated configurations valid, $formatted formatted only ($("$TF" version | head -n 1)), $workflows workflows linted"
