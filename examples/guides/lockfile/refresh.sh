#!/usr/bin/env bash
# Rewrites images.auto.tfvars.json with the newest acceptable tag and digest
# of every image, as the images_lock output computes them. Review the change
# with `git diff`, then plan and apply as usual.
#
# Usage: ./refresh.sh            every image
#        ./refresh.sh nginx app  only these images
set -euo pipefail

lockfile=images.auto.tfvars.json
trap 'rm -f "$lockfile.tmp"' EXIT

# A refresh-only apply reads the data sources again and stores the outputs;
# it changes no resource.
terraform apply -refresh-only -auto-approve -input=false >/dev/null

new=$(terraform output -json images_lock)
if [ "$#" -eq 0 ]; then
	jq --sort-keys -n --argjson new "$new" '{images: $new}' >"$lockfile.tmp"
else
	# Only the images named: the others keep their pins.
	names=$(printf '%s\n' "$@" | jq -R . | jq -s .)
	jq --sort-keys --argjson new "$new" --argjson names "$names" '
		reduce $names[] as $n (.;
			if $new[$n] == null then error("no image named \($n) in images_lock")
			else .images[$n] = $new[$n] end)' "$lockfile" >"$lockfile.tmp"
fi
mv "$lockfile.tmp" "$lockfile"
git diff --stat -- "$lockfile" 2>/dev/null || true
