#!/usr/bin/env bash
# Runs every test: formatting and lints, unit and integration tests on SQLite and PostgreSQL,
# the wasm32 release build of the web app, and the browser tests in Debian's Chromium.
# Installs what a fresh machine lacks first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_wasm_toolchain
ensure_chromium
ensure_e2e_packages

pg_url=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
export TEST_POSTGRES_URL=$pg_url
pg_hostport=$(sed -E 's#^[a-z]+://([^@/]*@)?([^/?]+).*#\2#' <<<"$pg_url")
pg_host=${pg_hostport%%:*}
pg_port=${pg_hostport##*:}
[ "$pg_port" = "$pg_hostport" ] && pg_port=5432
postgres_skipped=""
if ! (exec 3<>"/dev/tcp/$pg_host/$pg_port") 2>/dev/null; then
  if [ "${CI:-}" = "true" ]; then
    echo "error: PostgreSQL is unreachable at $pg_host:$pg_port; CI runs every database test on it." >&2
    exit 1
  fi
  postgres_skipped="yes"
  export MSP_SKIP_POSTGRES=1
  say "PostgreSQL is unreachable at $pg_host:$pg_port: the PostgreSQL half of the database tests is SKIPPED"
fi

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

say "formatting and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p msp-frontend --target wasm32-unknown-unknown -- -D warnings

say "unit and integration tests (SQLite and PostgreSQL)"
cargo test --workspace 2>&1 | tee "$logs/cargo.log"
# The server as the Dockerfile builds it: without the demo seed and the fake Graph.
cargo test -p msp-api --no-default-features --lib 2>&1 | tee -a "$logs/cargo.log"

say "web app: wasm32 release build"
bash scripts/build-frontend.sh

say "browser tests (Playwright in Debian's Chromium against the real server)"
# The server binary as the test build made it: `cargo build` would pick other dependency
# features (dev-dependencies unify them in tests) and recompile the whole stack.
cargo test -p msp-api --no-run --quiet
mkdir -p e2e/screenshots
(cd e2e && npx playwright test) 2>&1 | tee "$logs/e2e.log"

say "contract tests (schemathesis over every operation, a generated Python client, scim2-cli on /scim/v2, Microsoft's Graph SDK and MSAL against the fake Entra)"
bash e2e/contract/run.sh 2>&1 | tee "$logs/contract.log"

# Counted with awk alone: a grep that finds nothing would end the script under pipefail.
rust_passed=$(awk '/^test result:/ {s += $4} END {print s + 0}' "$logs/cargo.log")
rust_failed=$(awk '/^test result:/ {s += $6} END {print s + 0}' "$logs/cargo.log")
e2e_passed=$(awk '$2 == "passed" && $1 ~ /^[0-9]+$/ {s += $1} END {print s + 0}' "$logs/e2e.log")
e2e_failed=$(awk '$2 == "failed" && $1 ~ /^[0-9]+$/ {s += $1} END {print s + 0}' "$logs/e2e.log")
# One per fuzzed operation and one per step of the generated client's scenario (run.sh).
contract_passed=$(awk '$1 == "contract:" {s = $2} END {print s + 0}' "$logs/contract.log")
contract_failed=$(awk '$1 == "contract:" {s = $4} END {print s + 0}' "$logs/contract.log")
echo
echo "Rust tests: $rust_passed passed; browser tests: $e2e_passed passed (screenshots in e2e/screenshots/)"
echo "contract tests: $contract_passed passed (schemathesis: one per operation; generated client: one per step; scim2-cli: one per check; vendor clients: one per check)"
if [ -n "$postgres_skipped" ]; then
  echo "NOTE: PostgreSQL was unreachable, so the PostgreSQL half of the database tests was SKIPPED."
fi
echo "summary: $((rust_passed + e2e_passed + contract_passed)) passed, $((rust_failed + e2e_failed + contract_failed)) failed"
