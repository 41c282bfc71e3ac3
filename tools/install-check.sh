#!/usr/bin/env bash
# `make install-check`: installs the provider the way a user who downloads a
# release does, and checks that Terraform (or OpenTofu) takes it.
#
# It builds a snapshot release with the project's .goreleaser.yml, narrowed
# to this machine's platform (the same builds, archives, checksums and
# manifest; no signing, and no `before` hooks that would rewrite go.mod),
# lays the zip out as a filesystem mirror (the packed layout, as a release
# download is), and runs `init` and `validate` on examples/provider with a
# CLI configuration that installs from that mirror only: no dev_overrides, no
# network.
#
# Usage: bash tools/install-check.sh   (from any directory; `make install-check`)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VERSION=0.0.1

# shellcheck source=tools/lib.sh
source "$REPO/tools/lib.sh"
need_terraform install-check
make_work_dir install

OS=$(go env GOOS)
ARCH=$(go env GOARCH)

# The project's configuration, with only this platform and a fixed snapshot
# version: a release version, since init leaves out pre-releases unless the
# configuration names one, and not 0.0.0, which Terraform takes for "no
# version" and never selects.
sed -E \
	-e "s/^    goos: \[.*\]$/    goos: [$OS]/" \
	-e "s/^    goarch: \[.*\]$/    goarch: [$ARCH]/" \
	"$REPO/.goreleaser.yml" >"$WORK/goreleaser.yml"
grep -q "goos: \[$OS\]" "$WORK/goreleaser.yml" && grep -q "goarch: \[$ARCH\]" "$WORK/goreleaser.yml" || {
	echo "install-check: could not narrow .goreleaser.yml's goos and goarch to $OS/$ARCH" >&2
	exit 1
}
cat >>"$WORK/goreleaser.yml" <<EOF
dist: $WORK/dist
snapshot:
  version_template: "$VERSION"
EOF

echo "==> goreleaser release --snapshot ($OS/$ARCH)"
(cd "$REPO" && go tool -modfile=tools/go.mod goreleaser release --snapshot --clean \
	--skip=sign,before --config "$WORK/goreleaser.yml") >"$WORK/goreleaser.log" 2>&1 || {
	cat "$WORK/goreleaser.log" >&2
	echo "install-check: goreleaser failed" >&2
	exit 1
}

ZIP=terraform-provider-registry_${VERSION}_${OS}_${ARCH}.zip
[[ -f $WORK/dist/$ZIP ]] || {
	ls "$WORK/dist" >&2
	echo "install-check: goreleaser made no $ZIP" >&2
	exit 1
}
SUMS=$WORK/dist/terraform-provider-registry_${VERSION}_SHA256SUMS
[[ -f $SUMS ]] || {
	echo "install-check: goreleaser made no $(basename "$SUMS")" >&2
	exit 1
}
# The registries read the protocol versions from the manifest, which the
# release ships beside the zips and lists in SHA256SUMS.
grep -q " terraform-provider-registry_${VERSION}_manifest.json\$" "$SUMS" || {
	echo "install-check: $(basename "$SUMS") does not list the registry manifest" >&2
	exit 1
}
(cd "$WORK/dist" && grep " $ZIP\$" "terraform-provider-registry_${VERSION}_SHA256SUMS" | sha256sum -c --quiet -) || {
	echo "install-check: $ZIP does not match its line in SHA256SUMS" >&2
	exit 1
}

# Terraform looks the provider up at registry.terraform.io, OpenTofu at
# registry.opentofu.org: the mirror holds it under both.
MIRROR=$WORK/mirror
for host in registry.terraform.io registry.opentofu.org; do
	mkdir -p "$MIRROR/$host/$PROVIDER_SOURCE"
	cp "$WORK/dist/$ZIP" "$MIRROR/$host/$PROVIDER_SOURCE/"
done
cat >"$WORK/cli.tfrc" <<EOF
provider_installation {
  filesystem_mirror {
    path = "$MIRROR"
  }
}
disable_checkpoint = true
EOF

mkdir -p "$WORK/config"
cp "$REPO"/examples/provider/*.tf "$WORK/config/"
export TF_CLI_CONFIG_FILE=$WORK/cli.tfrc TF_DATA_DIR=$WORK/config/.terraform CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
unset TF_PLUGIN_CACHE_DIR TF_CLI_ARGS TF_CLI_ARGS_init TF_CLI_ARGS_validate

echo "==> $(basename "$TF") init (from the filesystem mirror) and validate, on examples/provider"
"$TF" -chdir="$WORK/config" init -input=false -no-color >"$WORK/init.log" 2>&1 || {
	cat "$WORK/init.log" >&2
	echo "install-check: init failed" >&2
	exit 1
}
grep -q "Installed $PROVIDER_SOURCE v$VERSION\|Installed .*/$PROVIDER_SOURCE v$VERSION" "$WORK/init.log" || {
	cat "$WORK/init.log" >&2
	echo "install-check: init did not install $PROVIDER_SOURCE v$VERSION from the mirror" >&2
	exit 1
}
"$TF" -chdir="$WORK/config" validate -no-color
echo "install-check: $ZIP installs from a filesystem mirror and validates examples/provider"
