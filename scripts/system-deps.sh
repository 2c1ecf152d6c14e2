#!/usr/bin/env bash
# Install the Debian packages placehealth needs beyond Python, only if missing.
set -euo pipefail
need=()
dpkg -s fonts-liberation >/dev/null 2>&1 || need+=(fonts-liberation)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# WeasyPrint subsets fonts with HarfBuzz's subsetter when the library is there.
dpkg -s libharfbuzz-subset0 >/dev/null 2>&1 || need+=(libharfbuzz-subset0)
# The web site's tests: a real browser (Playwright drives Debian's chromium) and a real
# PostgreSQL for the site's state (scripts/test-postgres.sh starts it).
command -v chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s postgresql >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "placehealth needs: ${need[*]} (install them with apt-get as root)" >&2
    exit 1
  fi
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
