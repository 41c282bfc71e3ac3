#!/usr/bin/env bash
# `make demo`: the provider at work in about a minute, with nothing but Go and
# Terraform (>= 1.5) or OpenTofu (>= 1.6) installed. It builds the provider, starts a registry of
# its own on loopback seeded with nginx, pihole/pihole and acme/app images,
# runs `terraform apply` on examples/demo/main.tf, publishes newer releases, and runs
# `terraform plan` to show them as an ordinary diff. No network, no Docker,
# no `terraform init`: Terraform uses the binary just built (dev_overrides)
# and the built-in terraform_data resource. Everything happens in a temporary
# directory that is removed at the end, along with the registry.
#
# Usage: bash tools/demo.sh   (from any directory; `make demo`)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
START=$SECONDS

# Limits, in seconds, so that nothing waits forever.
BUILD_LIMIT=${DEMO_BUILD_LIMIT:-900} # a fresh machine downloads modules first
REGISTRY_LIMIT=30
TERRAFORM_LIMIT=${DEMO_TERRAFORM_LIMIT:-180}

if [[ -t 1 && -z ${NO_COLOR:-} ]]; then
	NO_COLOR_FLAG=()
	BOLD=$'\e[1m' DIM=$'\e[2m' RED=$'\e[31m' RESET=$'\e[0m'
else
	NO_COLOR_FLAG=(-no-color)
	BOLD='' DIM='' RED='' RESET=''
fi

STEP=0
heading() {
	STEP=$((STEP + 1))
	printf '\n%s==> %d/5 %s%s\n' "$BOLD" "$STEP" "$1" "$RESET"
	shift
	local line
	for line in "$@"; do
		printf '%s    %s%s\n' "$DIM" "$line" "$RESET"
	done
	printf '\n'
}

die() {
	printf '%sdemo: %s%s\n' "$RED" "$*" "$RESET" >&2
	exit 1
}

WORK=''
REGISTRY_PID=''
CHILD_PID=''

# stop PID: TERM, up to 5 s to exit, then KILL.
stop() {
	local pid=$1 i
	kill -TERM "$pid" 2>/dev/null || return 0
	for ((i = 0; i < 50; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	[[ -n $CHILD_PID ]] && stop "$CHILD_PID"
	[[ -n $REGISTRY_PID ]] && stop "$REGISTRY_PID"
	if [[ $rc -ne 0 && -n $WORK && -s $WORK/registry.log ]]; then
		printf '\nThe registry logged:\n' >&2
		tail -n 20 "$WORK/registry.log" >&2
	fi
	[[ -n $WORK ]] && rm -rf "$WORK"
	if [[ $rc -ne 0 ]]; then
		printf '%sdemo: failed (exit %d)%s\n' "$RED" "$rc" "$RESET" >&2
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# bounded LIMIT CMD...: runs CMD, stopping it after LIMIT seconds, and
# returns its exit status (124 when it ran out of time). CMD runs in the
# background, with the shell polling it, so that Ctrl-C stops the demo at
# once rather than when CMD ends.
bounded() {
	local limit=$1 deadline rc=0
	shift
	deadline=$((SECONDS + limit))
	"$@" &
	CHILD_PID=$!
	while kill -0 "$CHILD_PID" 2>/dev/null; do
		if ((SECONDS >= deadline)); then
			printf '%sdemo: %s took longer than %d s; stopping it%s\n' "$RED" "$1" "$limit" "$RESET" >&2
			stop "$CHILD_PID"
			CHILD_PID=''
			return 124
		fi
		sleep 0.1
	done
	wait "$CHILD_PID" || rc=$?
	CHILD_PID=''
	return "$rc"
}

command -v go >/dev/null || die "Go is needed (https://go.dev/dl/) and was not found on PATH"
# shellcheck source=tools/lib.sh
source "$REPO/tools/lib.sh"
# $TERRAFORM, else terraform, else tofu: the demo runs the same with either.
TF=$(terraform_binary)
[[ -n $TF ]] || die "Terraform >= 1.5 or OpenTofu >= 1.6 is needed, and neither terraform nor tofu is on PATH"
TF_NAME=terraform
[[ $(basename "$TF") == tofu* ]] && TF_NAME=tofu

WORK=$(mktemp -d "${TMPDIR:-/tmp}/registry-demo.XXXXXX")

# Terraform reads only this CLI configuration, whatever the machine has, and
# keeps its working data in the work directory.
unset TF_CLI_ARGS TF_CLI_ARGS_apply TF_CLI_ARGS_plan TF_WORKSPACE TF_PLUGIN_CACHE_DIR \
	TF_VAR_nginx_version TF_VAR_app_version
export TF_CLI_CONFIG_FILE=$WORK/terraform.tfrc
export TF_DATA_DIR=$WORK/.terraform
export TF_IN_AUTOMATION=1 # no "run terraform apply next" hints
export CHECKPOINT_DISABLE=1
tf() {
	bounded "$TERRAFORM_LIMIT" "$TF" -chdir="$WORK" "$@"
}

heading "Building the provider, and the demo's registry (examples/demo/registry)" \
	"go build -o $WORK/bin/terraform-provider-registry ."
bounded "$BUILD_LIMIT" build_provider "$WORK/bin" ||
	die "building the provider failed"
bounded "$BUILD_LIMIT" go -C "$REPO" build -o "$WORK/demo-registry" ./examples/demo/registry ||
	die "building the demo registry (examples/demo/registry) failed"
echo "built $WORK/bin/terraform-provider-registry and $WORK/demo-registry"

heading "Starting a registry of our own on loopback" \
	"An in-memory OCI registry standing in for Docker Hub, seeded with small random images:" \
	"  library/nginx  1.26.2 1.26.3 1.27.2 1.27.3 1.27.3-alpine 1.27.3-perl … stable mainline latest (= 1.27.3)" \
	"  pihole/pihole  2024.05.0 2024.06.0 2024.07.0 latest, each linux/amd64 + linux/arm64/v8 + linux/arm/v7" \
	"  acme/app       master-1 … master-41, feature-x-1 … feature-x-3 (CI builds)"
"$WORK/demo-registry" serve -addr-file "$WORK/registry.addr" -lifetime 15m >/dev/null 2>"$WORK/registry.log" &
REGISTRY_PID=$!
deadline=$((SECONDS + REGISTRY_LIMIT))
until [[ -s $WORK/registry.addr ]]; do
	kill -0 "$REGISTRY_PID" 2>/dev/null || die "the registry exited before it was ready"
	((SECONDS < deadline)) || die "the registry was not ready after $REGISTRY_LIMIT s"
	sleep 0.1
done
REGISTRY=$(<"$WORK/registry.addr")
echo "registry ready at http://$REGISTRY (plain HTTP is fine on loopback; no insecure_registries needed)"

# Use the provider just built instead of downloading one.
dev_overrides_config "$WORK/bin" >"$TF_CLI_CONFIG_FILE"
cp "$REPO/examples/demo/main.tf" "$WORK/main.tf"
export TF_VAR_registry=$REGISTRY

heading "$TF_NAME apply: the newest tags and their digests, \"deployed\"" \
	"main.tf follows nginx stable releases, the nginx alpine line and acme/app master builds," \
	"reads what nginx:latest and pihole:latest (linux/arm64) point to, and hands the pinned" \
	"references to terraform_data.deployment, standing in for a Kubernetes or Docker deployment." \
	"$TF_NAME warns that provider development overrides are in effect: that is how it runs" \
	"the provider just built, with no download and no terraform init."
tf apply -auto-approve -input=false "${NO_COLOR_FLAG[@]}" || die "$TF_NAME apply failed"

heading "Publishing new releases, as upstream and CI would" \
	"nginx 1.27.4 (latest and mainline move to it) and 1.27.4-alpine, pihole 2024.08.0" \
	"(latest moves to it) and acme/app master-42."
bounded "$REGISTRY_LIMIT" "$WORK/demo-registry" push -registry "$REGISTRY" || die "publishing the new releases failed"

heading "$TF_NAME plan: the new releases, as an ordinary diff" \
	"Nothing in main.tf changed. The deployment's pinned references move to the new tags and" \
	"digests (~ input), and the outputs say that updates are available and what kind."
rc=0
tf plan -input=false -detailed-exitcode "${NO_COLOR_FLAG[@]}" || rc=$?
case $rc in
2) ;; # changes, as expected
0) die "$TF_NAME plan found no changes after the new releases were published" ;;
*) die "$TF_NAME plan failed" ;;
esac

printf '\n%sDone in %d s.%s In a real configuration, `%s apply` would now roll out the new images.\n' \
	"$BOLD" $((SECONDS - START)) "$RESET" "$TF_NAME"
