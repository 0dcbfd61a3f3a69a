#!/usr/bin/env bash
# Debian packages used by the browser test and the notebook run. Idempotent; skips what is present.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v jupyter-nbconvert >/dev/null 2>&1 || need+=(jupyter-notebook jupyter-nbconvert python3-nbconvert python3-nbclient python3-ipykernel)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "warning: missing system packages (${need[*]}); run as root or install them" >&2
  fi
fi
