#!/usr/bin/env bash
# Installs everything parafeat needs on a fresh Debian machine: Debian packages for the native
# build, then a virtualenv at .venv with the Python build, runtime and test requirements.
# Idempotent: each step is skipped when what it installs is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

missing_apt_packages() {
  local pkg
  grep -v '^\s*#' requirements/apt.txt | grep -v '^\s*$' | while read -r pkg; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || echo "$pkg"
  done
}

missing=$(missing_apt_packages)
if [ -n "$missing" ]; then
  echo "setup: installing Debian packages:" $missing
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq $missing >/dev/null
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($python --version)"
  "$python" -m venv .venv
fi

stamp=.venv/.parafeat-requirements
wanted=$(cat requirements/build.txt requirements/runtime.txt requirements/test.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "setup: installing Python requirements into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements/build.txt -r requirements/test.txt
  echo "$wanted" > "$stamp"
fi
