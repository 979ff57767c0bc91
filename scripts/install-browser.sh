#!/usr/bin/env bash
# Installs Debian's chromium and the Noto CJK fonts for the browser tests, only when missing, and the
# accessibility engine axe-core from the npm registry (version locked in tests/e2e/package-lock.json).
# Playwright for Python drives /usr/bin/chromium; it never downloads a browser of its own.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
/usr/bin/chromium --version
cd "$(dirname "$0")/../tests/e2e"
[ -f node_modules/axe-core/axe.min.js ] || npm ci --no-audit --no-fund --silent
echo "axe-core $(node -p 'require("./node_modules/axe-core/package.json").version' 2>/dev/null || echo installed)"
