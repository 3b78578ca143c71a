#!/usr/bin/env bash
# Installs the Debian packages serscript needs, only when some are missing: fast when all are present.
# Idempotent; used by `make`, the README's commands and .ci/run.
set -euo pipefail

packages=(pkg-config libopenblas-dev libfftw3-dev libsndfile1-dev libreadline-dev libsoxr-dev zlib1g-dev libzmq3-dev libssl-dev libopenmpi-dev openmpi-bin espeak-ng)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
