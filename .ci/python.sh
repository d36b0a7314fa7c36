#!/usr/bin/env bash
# Makes sure a Python >= 3.11 with venv support is there (Debian: python3-venv).
set -euo pipefail
py=${1:-python3}
if ! command -v "$py" >/dev/null 2>&1 || ! "$py" -c 'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing python3 and python3-venv from Debian packages..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv python3-dev >/dev/null
  else
    echo "jiedan needs Python >= 3.11 with venv (Debian: apt-get install python3-venv)" >&2
    exit 1
  fi
fi
