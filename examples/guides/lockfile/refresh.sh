#!/usr/bin/env bash
# Rewrites the lock files (<group>.lock.json) with what the policies in
# main.tf take: newer tags and their digests. It writes no state and touches
# no other provider: it saves a plan of this configuration, which has no
# resources, and reads the `locks` output from it. Review the change with
# `git diff`, then plan and apply the configurations that deploy the images.
#
# Usage: ./refresh.sh                 every group
#        ./refresh.sh base            one group: base.lock.json
#        ./refresh.sh nginx app       single images; the rest keep their pins
# Needs: terraform (or tofu: TERRAFORM=tofu ./refresh.sh), jq; run
# `terraform init` once first.
set -euo pipefail

tf=${TERRAFORM:-terraform}
plan=$(mktemp)
trap 'rm -f "$plan" ./*.lock.json.tmp' EXIT

"$tf" plan -input=false -lock=false -out="$plan" >/dev/null
locks=$("$tf" show -json "$plan" | jq '.planned_values.outputs.locks.value')

if [ "$#" -eq 0 ]; then
	mapfile -t groups < <(jq -r 'keys[]' <<<"$locks")
	set -- "${groups[@]}"
fi

for arg in "$@"; do
	if jq -e --arg g "$arg" 'has($g)' <<<"$locks" >/dev/null; then
		# A group: its whole file.
		jq --sort-keys --arg g "$arg" '.[$g]' <<<"$locks" >"$arg.lock.json.tmp"
		mv "$arg.lock.json.tmp" "$arg.lock.json"
		continue
	fi
	# An image: its entry, in its group's file.
	group=$(jq -r --arg n "$arg" 'to_entries[] | select(.value | has($n)) | .key' <<<"$locks")
	if [ -z "$group" ]; then
		echo "refresh.sh: no group or image named $arg in the lock files" >&2
		exit 1
	fi
	jq --sort-keys --arg n "$arg" --argjson new "$(jq --arg g "$group" --arg n "$arg" '.[$g][$n]' <<<"$locks")" \
		'.[$n] = $new' "$group.lock.json" >"$group.lock.json.tmp"
	mv "$group.lock.json.tmp" "$group.lock.json"
done

git diff --stat -- ./*.lock.json 2>/dev/null || true
