#!/usr/bin/env bash
# Debian packages used by the tests: headless Chromium for the report/audit page checks, Jupyter for the
# notebook run (the tslab kernel itself is an npm devDependency; the notebook test registers it in a
# private JUPYTER_PATH). Idempotent: installs only what dpkg does not list as installed.
set -euo pipefail
packages=(
  chromium
  jupyter-notebook jupyter-nbconvert python3-nbconvert python3-nbclient python3-ipykernel python3-jupyter-client
)
need=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "warning: missing system packages (${need[*]}); run as root or install them" >&2
  fi
fi
