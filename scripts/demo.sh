#!/usr/bin/env bash
# Runs the product with demo data: embedded SQLite under ./data, the web app at
# http://127.0.0.1:8080/ (sign in as admin@demo-reseller.test / demo-password-1).
# Extra arguments go to `msp-onboarding serve` (e.g. --bind 127.0.0.1:9000).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

bash scripts/build-frontend.sh
cargo build -p msp-api --bin msp-onboarding
bind=${APP_BIND:-127.0.0.1:8080}
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && command -v xdg-open >/dev/null; then
  (for _ in $(seq 50); do
     if curl -fsS "http://$bind/healthz" >/dev/null 2>&1; then xdg-open "http://$bind/" >/dev/null 2>&1; break; fi
     sleep 0.2
   done) &
fi
exec target/debug/msp-onboarding serve --demo --bind "$bind" "$@"
