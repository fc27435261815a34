#!/usr/bin/env bash
# Installs, from Debian's packages, the programs the test suite drives when they are missing:
# Chromium (browser tests), the AWS CLI v2 (an independent client of the emulator), redis-server
# (the shared session store), fish (the fish credentials format is run in it; the command's fish
# completion too), zsh and bash-completion (the command's completion scripts are tried in them), and for the container
# tests podman with runc, mmdebstrap (the stand-in base image), nginx (deploy/nginx.conf in front of
# two portal containers) and openssl (its test certificate).
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v fish >/dev/null 2>&1 || missing+=(fish)
command -v zsh >/dev/null 2>&1 || missing+=(zsh)
[ -f /usr/share/bash-completion/bash_completion ] || missing+=(bash-completion)
command -v podman >/dev/null 2>&1 || missing+=(podman)
command -v runc >/dev/null 2>&1 || missing+=(runc)
command -v mmdebstrap >/dev/null 2>&1 || missing+=(mmdebstrap)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
# Debian 12's awscli package is the AWS CLI v2; an AWS CLI v1 elsewhere on PATH does not count.
if ! /usr/bin/aws --version 2>/dev/null | grep -q '^aws-cli/2'; then missing+=(awscli); fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing Debian packages the tests need: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "The tests need the Debian packages ${missing[*]}; run as root or install them: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
