#!/usr/bin/env bash
# Contract tests of api-spec/openapi.json against the real server:
#   1. schemathesis fuzzes every operation with every check (--checks all): no 5xx, no status
#      code the document does not list, no response that violates its schema, content type or
#      headers, no schema-valid request refused, no invalid one accepted, 405 for an undeclared
#      method; schemathesis.toml names the documented 422s that JSON Schema cannot foresee;
#   2. a Python client generated from the document by openapi-python-client signs in, creates an
#      API token, creates a customer with it, finds it by search and reads the audit log; then walks
#      the issue-3 path a new user takes: saves the Azure tenant ID, creates an enabled group policy,
#      turns on distribution, creates a customer that opts into the master GP, finds it by its
#      created date and by its seat count, and activates a device with its licence key;
#   3. scim2-cli's `scim2 test` checks /scim/v2 against RFC 7643/7644 for Users, with a secret token
#      generated through the API (its own pinned venv, scim-requirements.txt);
#   4. Microsoft's own clients check the fake Entra + Graph (crates/fake-graph) the product's tests
#      and demo stand on, run alone over HTTPS (the demo fixture served in pages of 2): the Graph
#      SDK with azure-identity lists every contract through its next links and meets AADSTS7000215
#      for a wrong secret; MSAL signs a directory account in with the authorization code flow and
#      meets invalid_grant/AADSTS70008 for an expired code; the operator app's token for the demo
#      Entra MSP's tenant meets AADSTS700016 until admin consent is granted (as a browser, on the
#      fake's consent page), then the Graph SDK reads /users with $filter, /users/delta (a full
#      round through its next links to the deltaLink, then, after the fake's control endpoint
#      disabled one account and deleted another, the increment: accountEnabled false and
#      @removed) and /domains; after Woodgrove Bank's admin consent, what just-in-time accounts and
#      LAPS use: users created (ObjectConflict for a taken name, an unverified domain, a too simple
#      password), disabled, their sessions revoked and deleted (404 after), built-in role
#      definitions, role assignments made, listed and removed, and deviceLocalCredentials paged
#      with its credentials decoded (vendor_clients.py, its own pinned venv,
#      vendor-requirements.txt);
#   5. Duo's own Python client (duo-universal, same venv) checks the fake Duo (crates/fake-duo),
#      run alone over HTTPS: health_check() passes and a wrong secret's raises DuoException, the
#      Universal Prompt flow (create_auth_url, Approve or Deny on the fake's prompt, the duo_code
#      exchanged) gives auth_result allow or deny, and an ID token signed with another secret
#      is refused (duo_client.py).
# Each suite gets its own server with a fresh data directory (fuzzed sign-ins trip the per-address
# throttle, and fuzzed rows would leak into the client's search). Needs the server binary
# (scripts/test.sh builds it); builds the fakes' if they are missing. The last line is `contract: N
# passed, N failed`, counting one per fuzzed operation, one per client step, one per SCIM check and
# one per vendor-client check (Microsoft's and Duo's); the exit status is non-zero on any failure.
#   CONTRACT_MAX_EXAMPLES  examples per operation and phase (default 50: about 2 minutes on 2 cores)
#   CONTRACT_SERVER_BIN    server binary (default target/debug/msp-onboarding)
set -euo pipefail
cd "$(dirname "$0")/../.."

contract_dir=e2e/contract
venv=target/contract-venv
# scim2-cli pins other versions of pydantic than schemathesis: a venv of its own.
scim_venv=target/scim-venv
# The Graph SDK and MSAL pin their own httpx, requests and cryptography: a venv of their own too.
vendor_venv=target/vendor-venv
server_bin=${CONTRACT_SERVER_BIN:-target/debug/msp-onboarding}
fake_graph_bin=target/debug/msp-fake-graph
fake_graph_fixture=crates/fake-graph/fixtures/demo.json
fake_duo_bin=target/debug/msp-fake-duo
spec=api-spec/openapi.json
max_examples=${CONTRACT_MAX_EXAMPLES:-50}
work=$(mktemp -d)
server_pid=""
fake_graph_pid=""
fake_duo_pid=""

stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}

stop_fake_graph() {
  if [ -n "$fake_graph_pid" ]; then
    kill "$fake_graph_pid" 2>/dev/null || true
    wait "$fake_graph_pid" 2>/dev/null || true
    fake_graph_pid=""
  fi
}

stop_fake_duo() {
  if [ -n "$fake_duo_pid" ]; then
    kill "$fake_duo_pid" 2>/dev/null || true
    wait "$fake_duo_pid" 2>/dev/null || true
    fake_duo_pid=""
  fi
}
trap 'stop_server; stop_fake_graph; stop_fake_duo; rm -rf "$work"' EXIT

# CPython before 3.11.8 (and 3.12 before 3.12.2) stops hypothesis with "SystemError: AST
# constructor recursion depth mismatch" while it describes a filter on some schemas (a CPython
# bug); the first interpreter without it is used: on PATH, then among pyenv's versions.
pick_python() {
  local candidate
  local fixed='import sys; v = sys.version_info; sys.exit(not (v >= (3, 12, 2) or (3, 11, 8) <= v < (3, 12)))'
  for candidate in python3.13 python3.12 python3 $(ls -d "$(pyenv root 2>/dev/null)"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do
    if "$candidate" -c "$fixed" 2>/dev/null; then
      command -v "$candidate"
      return
    fi
  done
  echo "warning: no CPython >= 3.11.8 found; schemathesis may stop on a CPython bug" >&2
  command -v python3
}

# Installs pinned tools into a venv only when it is missing, its requirements file changed or
# the interpreter did. Usage: ensure_venv VENV REQUIREMENTS COMMAND...
ensure_venv() {
  local target=$1 requirements=$2 wanted stamp python command ready=yes
  shift 2
  stamp="$target/requirements.sha256"
  python=$(pick_python)
  wanted="$(sha256sum "$requirements" | cut -d' ' -f1) $python"
  # A venv's scripts name its interpreter by absolute path: a moved or half-built venv is rebuilt.
  for command in "$@"; do
    "$target/bin/$command" --version >/dev/null 2>&1 || ready=""
  done
  if [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ] && [ -n "$ready" ]; then
    return
  fi
  echo "installing the pinned tools of $requirements into $target (with $python)"
  "$python" -m venv --clear "$target"
  "$target/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  echo "$wanted" >"$stamp"
}

free_port() {
  "$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts the demo server on a free port with a fresh data directory; sets base_url.
start_server() {
  local name=$1 port data_dir
  port=$(free_port)
  data_dir=$(mktemp -d "$work/$name-data-XXXX")
  base_url="http://127.0.0.1:$port"
  # The access token must outlive the fuzzing run (default 30 min; a slow machine may need more).
  APP_LOG=error "$server_bin" serve --demo --bind "127.0.0.1:$port" --data-dir "$data_dir" \
    --access-token-ttl-secs 7200 >"$work/$name-server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 600); do
    if curl -fsS "$base_url/healthz" >/dev/null 2>&1; then
      return
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      break
    fi
    sleep 0.1
  done
  echo "error: the server did not come up at $base_url; its log:" >&2
  cat "$work/$name-server.log" >&2
  exit 1
}

# Starts the fake Entra + Graph alone on a free port (it picks one itself and says which) with the
# fixture $1; sets fake_graph_url and writes the self-signed certificate clients must trust to
# $work/fake-graph.pem.
start_fake_graph() {
  "$fake_graph_bin" --fixture "$1" --bind 127.0.0.1:0 \
    --certificate-out "$work/fake-graph.pem" >"$work/fake-graph.log" 2>&1 &
  fake_graph_pid=$!
  fake_graph_url=""
  for _ in $(seq 1 600); do
    # "fake Graph listening on https://127.0.0.1:PORT", printed once the certificate is written.
    fake_graph_url=$(awk '$3 == "listening" && $4 == "on" {print $5}' "$work/fake-graph.log")
    if [ -n "$fake_graph_url" ]; then
      return
    fi
    if ! kill -0 "$fake_graph_pid" 2>/dev/null; then
      break
    fi
    sleep 0.1
  done
  echo "error: the fake Graph did not come up; its log:" >&2
  cat "$work/fake-graph.log" >&2
  exit 1
}

# Starts the fake Duo alone on a free port with its demo application; sets fake_duo_url,
# fake_duo_client_id and fake_duo_client_secret, and writes the self-signed certificate Duo's
# client must be given to $work/fake-duo.pem.
start_fake_duo() {
  "$fake_duo_bin" --bind 127.0.0.1:0 --certificate-out "$work/fake-duo.pem" >"$work/fake-duo.log" 2>&1 &
  fake_duo_pid=$!
  fake_duo_url=""
  for _ in $(seq 1 600); do
    # "fake Duo listening on https://127.0.0.1:PORT", printed last, after "client ID: …" and
    # "client secret: …".
    fake_duo_url=$(awk '$3 == "listening" && $4 == "on" {print $5}' "$work/fake-duo.log")
    if [ -n "$fake_duo_url" ]; then
      fake_duo_client_id=$(awk '$1 == "client" && $2 == "ID:" {print $3; exit}' "$work/fake-duo.log")
      fake_duo_client_secret=$(awk '$1 == "client" && $2 == "secret:" {print $3; exit}' "$work/fake-duo.log")
      return
    fi
    if ! kill -0 "$fake_duo_pid" 2>/dev/null; then
      break
    fi
    sleep 0.1
  done
  echo "error: the fake Duo did not come up; its log:" >&2
  cat "$work/fake-duo.log" >&2
  exit 1
}

access_token() {
  curl -fsS -X POST "$base_url/api/v1/auth/login" -H 'content-type: application/json' \
    -d '{"email":"admin@demo-reseller.test","password":"demo-password-1"}' |
    "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}

if [ ! -x "$server_bin" ]; then
  echo "error: $server_bin is missing; build it with: cargo test -p msp-api --no-run" >&2
  exit 1
fi
# `cargo test --workspace` (scripts/test.sh) builds it already, for the fake's own tests.
if [ ! -x "$fake_graph_bin" ]; then
  echo "building $fake_graph_bin"
  cargo build -q -p msp-fake-graph
fi
if [ ! -x "$fake_duo_bin" ]; then
  echo "building $fake_duo_bin"
  cargo build -q -p msp-fake-duo
fi
ensure_venv "$venv" "$contract_dir/requirements.txt" schemathesis openapi-python-client
ensure_venv "$scim_venv" "$contract_dir/scim-requirements.txt" scim2
# No command of its own to try: its interpreter stands in.
ensure_venv "$vendor_venv" "$contract_dir/vendor-requirements.txt" python
export PATH="$PWD/$venv/bin:$PATH"

echo "== schemathesis $(schemathesis --version | awk '{print $NF}'): every operation of $spec, $max_examples examples per operation and phase"
start_server fuzz
# Authenticated with an access token from a sign-in, not with an API token: DELETE
# /api-tokens/{id} is fuzzed too, and its stateful phase feeds it the IDs that GET /api-tokens
# lists, which would revoke an API token used as the fuzzer's credential and turn the rest of the
# run into 401s. Signing out ends the session its token names, so POST /auth/logout is fuzzed
# apart, last, with a session of its own; the check after the main run proves its credential
# still worked at the end.
token=$(access_token)
fuzz_status=0
fuzz() { # junit-report, token, extra schemathesis options...
  local report=$1 bearer=$2
  shift 2
  schemathesis --config-file "$contract_dir/schemathesis.toml" run "$spec" \
    --url "$base_url" \
    --header "Authorization: Bearer $bearer" \
    --checks all \
    --max-examples "$max_examples" \
    --workers 2 \
    --seed 20261123 \
    --request-timeout 10 \
    --report junit --report-junit-path "$report" \
    --no-color "$@" || fuzz_status=$?
}
fuzz "$work/schemathesis.xml" "$token" --exclude-path /api/v1/auth/logout
still_signed_in=$(curl -s -o /dev/null -w '%{http_code}' "$base_url/api/v1/me" -H "Authorization: Bearer $token")
fuzz "$work/schemathesis-logout.xml" "$(access_token)" --include-path /api/v1/auth/logout
stop_server
read -r fuzz_passed fuzz_failed < <("$venv/bin/python" "$contract_dir/junit_counts.py" \
  "$work/schemathesis.xml" "$work/schemathesis-logout.xml" "$spec")
if [ "$still_signed_in" != "200" ]; then
  echo "FAIL the fuzzer's credential was refused at the end (GET /me: $still_signed_in), so its results are not meaningful"
  fuzz_failed=$((fuzz_failed + 1))
fi
if [ "$fuzz_status" -ne 0 ] && [ "$fuzz_failed" -eq 0 ]; then
  echo "FAIL schemathesis exited with $fuzz_status without a failing operation in its report"
  fuzz_failed=1
fi
echo "schemathesis: $fuzz_passed operations passed, $fuzz_failed failed"

echo "== generated Python client (openapi-python-client $(openapi-python-client --version | awk '{print $NF}'))"
generated=$contract_dir/generated
rm -rf "$generated"
mkdir -p "$generated"
client_passed=0
client_failed=0
if openapi-python-client generate --path "$spec" --meta none --fail-on-warning \
  --output-path "$generated/msp_onboarding_client"; then
  start_server client
  client_status=0
  PYTHONPATH="$generated" python "$contract_dir/client_test.py" "$base_url" | tee "$work/client.log" ||
    client_status=$?
  stop_server
  client_passed=$(awk '$1 == "PASS" {n++} END {print n + 0}' "$work/client.log")
  client_failed=$(awk '$1 == "FAIL" {n++} END {print n + 0}' "$work/client.log")
  if [ "$client_status" -ne 0 ] && [ "$client_failed" -eq 0 ]; then
    echo "FAIL the client test exited with $client_status"
    client_failed=1
  fi
else
  echo "FAIL openapi-python-client could not generate a client from $spec"
  client_failed=1
fi

echo "== scim2-cli $("$scim_venv/bin/pip" show scim2-cli 2>/dev/null | awk '$1 == "Version:" {print $2}'): SCIM 2.0 conformance of /scim/v2 (Users)"
start_server scim
admin=$(access_token)
scim_token=$(curl -fsS -X POST "$base_url/api/v1/settings/scim-token" -H "Authorization: Bearer $admin" |
  "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["secret_token"])')
scim_status=0
"$scim_venv/bin/scim2" --url "$base_url/scim/v2" -h "Authorization: Bearer $scim_token" test \
  >"$work/scim.log" 2>&1 || scim_status=$?
stop_server
# One line per check: SUCCESS, or ERROR, SKIPPED, CRITICAL… (anything else fails the run).
scim_passed=$(awk '$1 == "SUCCESS" {n++} END {print n + 0}' "$work/scim.log")
scim_failed=$(awk '$1 ~ /^(ERROR|SKIPPED|CRITICAL|DEVIATION|ACCEPTABLE|COMPLIANT|WARNING|FAILED)$/ {n++} END {print n + 0}' "$work/scim.log")
grep -vE '^(SUCCESS|  )' "$work/scim.log" || true
if [ "$scim_status" -ne 0 ] && [ "$scim_failed" -eq 0 ]; then
  echo "FAIL scim2 test exited with $scim_status"
  scim_failed=1
fi
if [ "$scim_passed" -eq 0 ] && [ "$scim_failed" -eq 0 ]; then
  echo "FAIL scim2 test ran no check"
  scim_failed=1
fi
echo "scim2-cli: $scim_passed checks passed, $scim_failed failed"

vendor_version() {
  "$vendor_venv/bin/pip" show "$1" 2>/dev/null | awk '$1 == "Version:" {print $2}'
}
echo "== vendor clients: msgraph-sdk $(vendor_version msgraph-sdk), azure-identity $(vendor_version azure-identity), msal $(vendor_version msal) against the fake Entra + Graph"
# The demo fixture in pages of 2 instead of 10: its directory tenants hold a handful of users, so
# with its own page size /users/delta would fit one page and the SDK would follow no next link
# (the 28 contracts are paged either way).
vendor_fixture="$work/fake-graph-vendor.json"
"$vendor_venv/bin/python" -c 'import json, sys
fixture = json.load(open(sys.argv[1], encoding="utf-8"))
fixture["page_size"] = 2
json.dump(fixture, open(sys.argv[2], "w", encoding="utf-8"))' "$fake_graph_fixture" "$vendor_fixture"
start_fake_graph "$vendor_fixture"
vendor_status=0
# The fake's certificate is the only root these clients need (they reach nothing but the fake):
# requests (azure-identity's credential, MSAL) reads REQUESTS_CA_BUNDLE, httpx (the Graph SDK)
# reads SSL_CERT_FILE; each one alone leaves the other client refusing the self-signed certificate.
REQUESTS_CA_BUNDLE="$work/fake-graph.pem" SSL_CERT_FILE="$work/fake-graph.pem" \
  "$vendor_venv/bin/python" "$contract_dir/vendor_clients.py" "$fake_graph_url" "$vendor_fixture" |
  tee "$work/vendor.log" || vendor_status=$?
stop_fake_graph
vendor_passed=$(awk '$1 == "PASS" {n++} END {print n + 0}' "$work/vendor.log")
vendor_failed=$(awk '$1 == "FAIL" {n++} END {print n + 0}' "$work/vendor.log")
if [ "$vendor_status" -ne 0 ] && [ "$vendor_failed" -eq 0 ]; then
  echo "FAIL the vendor-client check exited with $vendor_status"
  vendor_failed=1
fi
if [ "$vendor_passed" -eq 0 ] && [ "$vendor_failed" -eq 0 ]; then
  echo "FAIL the vendor-client check ran no check"
  vendor_failed=1
fi
echo "vendor clients: $vendor_passed checks passed, $vendor_failed failed"

echo "== vendor clients: duo-universal $(vendor_version duo-universal) against the fake Duo"
start_fake_duo
duo_status=0
# The client is handed the fake's certificate as the roots it pins (duo_certs); nothing else
# needs to trust it.
"$vendor_venv/bin/python" "$contract_dir/duo_client.py" "$fake_duo_url" "$work/fake-duo.pem" \
  "$fake_duo_client_id" "$fake_duo_client_secret" | tee "$work/duo.log" || duo_status=$?
stop_fake_duo
duo_passed=$(awk '$1 == "PASS" {n++} END {print n + 0}' "$work/duo.log")
duo_failed=$(awk '$1 == "FAIL" {n++} END {print n + 0}' "$work/duo.log")
if [ "$duo_status" -ne 0 ] && [ "$duo_failed" -eq 0 ]; then
  echo "FAIL the Duo client check exited with $duo_status"
  duo_failed=1
fi
if [ "$duo_passed" -eq 0 ] && [ "$duo_failed" -eq 0 ]; then
  echo "FAIL the Duo client check ran no check"
  duo_failed=1
fi
echo "duo-universal: $duo_passed checks passed, $duo_failed failed"

passed=$((fuzz_passed + client_passed + scim_passed + vendor_passed + duo_passed))
failed=$((fuzz_failed + client_failed + scim_failed + vendor_failed + duo_failed))
echo
echo "contract: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
