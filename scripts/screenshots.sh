#!/usr/bin/env bash
# Writes the README's screenshots, docs/*.png: the demo's dashboard,
# register and an entry page at desktop (1280 px) and phone (390 px) width,
# in headless Chromium. Needs node, /usr/bin/chromium and
# `npm ci --prefix tests/browser`.
set -euo pipefail
cd "$(dirname "$0")/.."
site="$(mktemp -d)"
trap 'rm -rf "$site"' EXIT
cargo run --release --quiet -- build --as-of 2026-11-27 --output "$site/out" >/dev/null 2>&1
mkdir -p docs
SITE_DIR="$site/out" node tests/browser/screenshots.js "$PWD/docs"
