#!/usr/bin/env bash
# Vendor the NHS.UK frontend's compiled CSS, JavaScript and images into the web
# package, so the site serves them itself (no CDN). Run after changing VERSION and
# commit the result: src/placehealth/web/static/nhsuk/.
set -euo pipefail
VERSION="${1:-10.6.1}"
cd "$(dirname "$0")/.."
target=src/placehealth/web/static/nhsuk
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "nhsuk-frontend@$VERSION" >/dev/null && tar xzf "nhsuk-frontend-$VERSION.tgz")
dist="$work/package/dist/nhsuk"
rm -rf "$target"
mkdir -p "$target"
cp "$dist/nhsuk-frontend.min.js" "$target/"
# The site serves every file itself (its Content-Security-Policy allows no other origin):
# the @font-face rules that fetch the NHS's hosted Frutiger font are left out, and text
# falls back to the frontend's own fallback fonts (Arial, sans-serif).
node -e '
const fs = require("fs");
const css = fs.readFileSync(process.argv[1], "utf8");
fs.writeFileSync(process.argv[2], css.replace(/@font-face\{[^}]*\}/g, ""));
' "$dist/nhsuk-frontend.min.css" "$target/nhsuk-frontend.min.css"
cp -r "$dist/assets/images" "$target/images"
cp "$dist/assets/manifest.json" "$target/"
# the package states its licence in package.json and README (MIT); keep it beside the files
licence="$(node -e "console.log(require('$work/package/package.json').license)")"
{
  echo "nhsuk-frontend $VERSION (npm), compiled files only; licence: $licence."
  echo "Changed: the @font-face rules loading the hosted Frutiger font are removed."
  echo
  awk '/^## Licence/{p=1; print; next} /^## /{p=0} p' "$work/package/README.md"
  cat <<'MIT'
MIT License

Copyright (c) NHS England

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
MIT
} > "$target/LICENCE.txt"
echo "$VERSION" > "$target/VERSION"
echo "nhsuk-frontend $VERSION → $target"
