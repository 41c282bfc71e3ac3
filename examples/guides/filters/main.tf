# A cookbook of real tag schemes: for each, the filter that keeps the tags
# of the line you follow and orders them, and a constraint where one helps.
# Each `current` is a tag of that scheme; `terraform validate` checks that
# the filter keeps it.

terraform {
  required_providers {
    registry = {
      source = "seed-a8ff584c/registry"
    }
  }
}

# --- nginx: 1.27.3, 1.27.3-alpine, 1.27.3-alpine3.21, 1.27.3-perl, 1.27, mainline, latest

# Plain releases. semver() (the default) also keeps the variants and
# release candidates; ">= 0" leaves them out, since Masterminds/semver reads
# -alpine and -rc.1 alike as pre-releases.
data "registry_latest_tag" "nginx" {
  image      = "nginx"
  constraint = ">= 0"
  current    = "1.27.3"
}

# Only full three-part versions, without the floating 1.27 and 1 tags.
data "registry_latest_tag" "nginx_full_versions" {
  image      = "nginx"
  filter     = "regex('\\d+\\.\\d+\\.\\d+')"
  constraint = ">= 0"
  current    = "1.27.3"
}

# The -alpine line: the version group holds the nginx version, so the
# constraint sees 1.27.3, not a pre-release. The pattern is anchored, so
# 1.27.3-alpine3.21 and 1.27.3-alpine-perl are left out.
data "registry_latest_tag" "nginx_alpine" {
  image      = "nginx"
  filter     = "regex('(?P<version>\\d+\\.\\d+\\.\\d+)-alpine')"
  constraint = "~1.27"
  current    = "1.27.3-alpine"
}

# One Alpine release: the Alpine version is part of the literal text.
data "registry_latest_tag" "nginx_alpine321" {
  image   = "nginx"
  filter  = "regex('(?P<version>\\d+\\.\\d+\\.\\d+)-alpine3\\.21')"
  current = "1.27.3-alpine3.21"
}

# Every Alpine release: both numbers inside the version group, so that
# alpine3.10 is newer than alpine3.9. The version text is then a
# pre-release, and a constraint must name one to match it.
data "registry_latest_tag" "nginx_alpine_any" {
  image      = "nginx"
  filter     = "regex('(?P<version>\\d+\\.\\d+\\.\\d+-alpine\\d+\\.\\d+)')"
  constraint = ">= 1.27.0-0, < 1.28.0-0"
  current    = "1.27.3-alpine3.21"
}

# The -perl line.
data "registry_latest_tag" "nginx_perl" {
  image   = "nginx"
  filter  = "regex('(?P<version>\\d+\\.\\d+\\.\\d+)-perl')"
  current = "1.27.3-perl"
}

# --- Calendar versions: pihole/pihole 2024.07.0, 2024.06.0, nightly, latest

# semver() orders them as numbers (2024.10.0 > 2024.9.0), and
# Masterminds/semver reads 2024.07.0 as 2024.7.0, so constraints work.
data "registry_latest_tag" "pihole" {
  image      = "pihole/pihole"
  constraint = ">= 2024.6"
  current    = "2024.07.0"
}

# --- LinuxServer: v2.0.7.1-2.0.7.1_beta_2023-05-25-ls171

# semver() orders the app version first, then the -lsNNN build number by
# value (ls171 > ls99). Architecture tags (amd64-v2.0.7.1-…) and
# development-… tags do not start with a version and are left out. A
# four-part version is not semver, so use no constraint: to stay on a
# line, put its start in a prefix.
data "registry_latest_tag" "duplicati" {
  image   = "lscr.io/linuxserver/duplicati"
  current = "v2.0.7.1-2.0.7.1_beta_2023-05-25-ls171"
}

# Builds of 2.0.7 only, compared by the whole version (prefix('v2.0.7.')
# would compare the rest after the prefix, and call every build "major").
data "registry_latest_tag" "duplicati_2_0_7" {
  image   = "lscr.io/linuxserver/duplicati"
  filter  = "regex('v(?P<version>2\\.0\\.7\\.\\d+-.*)')"
  current = "v2.0.7.1-2.0.7.1_beta_2023-05-25-ls171"
}

# --- Bitnami: 16.1.0-debian-11-r10, 16.1.0-debian-11-r9, 16.1.0, 16

# The -rNN revision must be inside the version group: outside it, r9 and
# r10 tie on the version, and ties are ordered by the tag as text, where
# "r9" > "r10". With the revision inside, the version text is a
# pre-release: "~16.1.0-0" keeps 16.1.x revisions, "^16.0.0-0" any 16.x.
data "registry_latest_tag" "postgresql" {
  image      = "bitnami/postgresql"
  filter     = "regex('(?P<version>\\d+\\.\\d+\\.\\d+-debian-12-r\\d+)')"
  constraint = "^16.0.0-0"
  current    = "16.1.0-debian-12-r10"
}

# --- CI build numbers: master-123, master-124, feature-x-7, latest

# number() compares build numbers by value (master-10 > master-9) and
# leaves out master-123-dirty; other branches do not have the prefix.
data "registry_latest_tag" "app" {
  image   = "ghcr.io/acme/app"
  filter  = "prefix('master-', suffix=number())"
  current = "master-123"
}

# With the commit after the build number: master-123-abc1234. The commit's
# letters are part of the tag's shape (master-#-abc#), so the pin must not
# follow its shape: variant = "any".
data "registry_latest_tag" "app_with_commit" {
  image   = "ghcr.io/acme/app"
  filter  = "prefix('master-', suffix=regex('(?P<version>\\d+)-[0-9a-f]{7}'))"
  current = "master-123-abc1234"
  variant = "any"
}

# --- Kubernetes: v1.29.0, v1.29.0-rc.2, v1.29.0-beta.0, v1.30.0-alpha.1

# Stable releases of one minor version.
data "registry_latest_tag" "kube_apiserver" {
  image      = "registry.k8s.io/kube-apiserver"
  constraint = "~1.29"
  current    = "v1.29.0"
}

# The next minor version, pre-releases included: semver() orders
# rc.10 > rc.2 > rc.1 > beta.0 > alpha.3, and v1.30.0 > v1.30.0-rc.2. A
# release-candidate pin's shape (v#.#.#-rc.#) never reaches the final
# release, so this pin follows every shape: variant = "any".
data "registry_latest_tag" "kube_apiserver_next" {
  image      = "registry.k8s.io/kube-apiserver"
  constraint = "~1.30.0-0"
  current    = "v1.30.0-rc.2"
  variant    = "any"
}

# --- Timestamps: 20240725143012, nightly-2024-07-25

# Digits only, compared by value whatever their length.
data "registry_latest_tag" "snapshot" {
  image   = "ghcr.io/acme/snapshots"
  filter  = "number()"
  current = "20240725143012"
}

# A date after a prefix: 2024-07-25 orders as the numbers 2024, 07, 25.
data "registry_latest_tag" "nightly" {
  image   = "ghcr.io/acme/app"
  filter  = "prefix('nightly-')"
  current = "nightly-2024-07-25"
}

# --- Escaping: a heredoc keeps backslashes as written, so the pattern
# reads as it would anywhere else. The newline at its end is allowed.
data "registry_latest_tag" "nginx_alpine_heredoc" {
  image   = "nginx"
  filter  = <<-EOT
    regex('(?P<version>\d+\.\d+\.\d+)-alpine')
  EOT
  current = "1.27.3-alpine"
}
