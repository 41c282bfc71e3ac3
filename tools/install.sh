#!/usr/bin/env bash
# `make install`: builds the provider and installs it where `terraform init`
# and `tofu init` find it with no CLI configuration and no network: the
# implied local mirror ~/.terraform.d/plugins (%APPDATA%\terraform.d\plugins
# on Windows), under both registry.terraform.io and registry.opentofu.org,
# in the unpacked layout
#
#   <host>/seed-a8ff584c/registry/<version>/<os>_<arch>/terraform-provider-registry_v<version>
#
# so that a configuration with `version = "~> 0.1"` installs it.
#
# VERSION is the version to install as, which the binary also reports: by
# default the newest released version in CHANGELOG.md (a "## X.Y.Z" heading).
# Before the first release there is none, and VERSION must be given.
#
# Usage: bash tools/install.sh   (`make install`, `make install VERSION=0.1.0`)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=tools/lib.sh
source "$REPO/tools/lib.sh"

VERSION=${VERSION:-$(grep -m1 -oE '^## [0-9]+\.[0-9]+\.[0-9]+' "$REPO/CHANGELOG.md" | cut -c4- || true)}
if [[ -z $VERSION ]]; then
	echo "install: CHANGELOG.md has no released version yet; give the version to install as, such as make install VERSION=0.1.0-dev (see README, Install)" >&2
	exit 1
fi
if ! [[ $VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
	echo "install: VERSION=$VERSION is not a version such as 0.1.0" >&2
	exit 1
fi

OS=$(go env GOOS)
ARCH=$(go env GOARCH)
if [[ $OS == windows ]]; then
	PLUGINS="${APPDATA:?}/terraform.d/plugins"
	EXE=.exe
else
	PLUGINS="${HOME:?}/.terraform.d/plugins"
	EXE=
fi

NAME="terraform-provider-registry_v${VERSION}${EXE}"
first=
for host in registry.terraform.io registry.opentofu.org; do
	dir="$PLUGINS/$host/$PROVIDER_SOURCE/$VERSION/${OS}_${ARCH}"
	mkdir -p "$dir"
	if [[ -z $first ]]; then
		go -C "$REPO" build -trimpath -ldflags "-s -w -X main.version=$VERSION" -o "$dir/$NAME" .
		first="$dir/$NAME"
	else
		cp "$first" "$dir/$NAME"
	fi
	echo "installed $dir/$NAME"
done
