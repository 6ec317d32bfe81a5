"""Microsoft's own client libraries against the fake Entra + Graph (crates/fake-graph).

The fake stands in for Microsoft in the product's tests and demo, so it must answer what the
vendor's clients expect, not only what our own Rust client happens to accept:
  - the Graph SDK (msgraph-sdk, authenticated by azure-identity's ClientSecretCredential with the
    Graph app of the fixture) lists /contracts, following @odata.nextLink with its PageIterator,
    and gets every sub-tenant of the fixture; a wrong secret surfaces as azure-identity's
    ClientAuthenticationError carrying AADSTS7000215;
  - MSAL signs a directory account in with the authorization code flow through the
    `organizations` authority (MSAL makes the PKCE pair, the state and the nonce, and checks the
    state and the ID token's nonce; since 1.38 it decodes the ID token without validating it, so
    the claims are compared here) and files the account under the token answer's client_info;
    the expired-code account gets MSAL's `invalid_grant` error with AADSTS70008.

Usage: vendor_clients.py BASE_URL FIXTURE_JSON. The caller makes the fake's self-signed
certificate trusted (REQUESTS_CA_BUNDLE for requests, which azure-identity and MSAL use;
SSL_CERT_FILE for httpx, which the Graph SDK uses), as an enterprise behind a TLS-inspecting
proxy would. Prints one `PASS <check>` or `FAIL <check>: <why>` line per check, for run.sh to
count; exits non-zero when any check failed.
"""

import asyncio
import json
import logging
import sys
import traceback
import urllib.parse
import warnings

import msal
import requests
from azure.core.exceptions import ClientAuthenticationError
from azure.identity import ClientSecretCredential
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.models.contract import Contract
from msgraph_core.authentication import AzureIdentityAuthenticationProvider
from msgraph_core.tasks.page_iterator import PageIterator

GRAPH_SCOPE = "https://graph.microsoft.com/.default"
# Loopback http is a redirect URI Entra accepts for a web app; nothing needs to listen on it:
# the authorize answer is read from the 302 itself.
REDIRECT_URI = "http://localhost/callback"

failures = 0

# azure-identity logs a warning for every refused token request; the refusal is checked below.
logging.getLogger("azure.identity").setLevel(logging.ERROR)
# MSAL recommends response_mode=form_post, which answers with a page a browser submits; without
# a browser the code is read from the query of the authorize endpoint's redirect instead.
warnings.filterwarnings("ignore", message="response_mode='form_post' is recommended")


def check(name, run):
    """Runs one check; `run` raises AssertionError (or anything) to fail it."""
    global failures
    try:
        run()
    except AssertionError as error:
        failures += 1
        print(f"FAIL {name}: {error}")
    except Exception as error:  # noqa: BLE001 - any library error is the check's finding
        failures += 1
        print(f"FAIL {name}: {type(error).__name__}: {error}")
        traceback.print_exc(file=sys.stderr)
    else:
        print(f"PASS {name}")


def graph_client(base, fixture, secret):
    credential = ClientSecretCredential(
        fixture["tenant_id"],
        fixture["client_id"],
        secret,
        # The authority host (https only); azure-identity appends /{tenant}/oauth2/v2.0/token.
        authority=base,
        # Instance discovery would ask login.microsoftonline.com whether the host is an authority.
        disable_instance_discovery=True,
    )
    # The SDK attaches a token only for Microsoft's Graph hosts unless told which hosts to trust,
    # and derives the scope from the request's host unless it is given one.
    host = urllib.parse.urlsplit(base).hostname
    auth_provider = AzureIdentityAuthenticationProvider(
        credential, scopes=[GRAPH_SCOPE], allowed_hosts=[host]
    )
    adapter = GraphRequestAdapter(auth_provider)
    adapter.base_url = f"{base}/v1.0"
    return GraphServiceClient(request_adapter=adapter), credential


async def list_contracts(base, fixture, secret):
    """Every contract through the SDK: the first page, then its PageIterator's next links."""
    client, credential = graph_client(base, fixture, secret)
    try:
        first = await client.contracts.get()
        first_page = len(first.value or [])
        contracts = []

        def collect(contract: Contract) -> bool:
            contracts.append(contract)
            return True

        await PageIterator(first, client.request_adapter).iterate(collect)
        return contracts, first_page
    finally:
        credential.close()


def graph_lists_every_sub_tenant(base, fixture):
    contracts, first_page = asyncio.run(list_contracts(base, fixture, fixture["client_secret"]))
    expected = sorted(tenant["display_name"] for tenant in fixture["sub_tenants"])
    got = sorted(contract.display_name or "" for contract in contracts)
    assert got == expected, f"got {len(got)} contracts {got}, expected {len(expected)}: {expected}"
    expected_ids = sorted(tenant["customer_id"] for tenant in fixture["sub_tenants"])
    got_ids = sorted(str(contract.customer_id) for contract in contracts)
    assert got_ids == expected_ids, f"customer IDs {got_ids}, expected {expected_ids}"
    # Otherwise the check would pass without the SDK ever following a next link.
    assert first_page < len(expected), f"the first page held all {first_page}: no paging tested"


def graph_wrong_secret_is_refused(base, fixture):
    try:
        contracts, _ = asyncio.run(list_contracts(base, fixture, "not-the-secret"))
    except ClientAuthenticationError as error:
        assert "AADSTS7000215" in str(error), f"no AADSTS7000215 in: {error}"
        return
    raise AssertionError(f"a wrong secret listed {len(contracts)} contracts")


def msal_app(base, sign_in):
    return msal.ConfidentialClientApplication(
        sign_in["client_id"],
        client_credential=sign_in["client_secret"],
        authority=f"{base}/organizations",
        # Otherwise MSAL asks login.microsoftonline.com whether the host is a known authority.
        instance_discovery=False,
    )


def msal_sign_in(base, sign_in, account):
    """The authorization code flow through MSAL; the authorize step is a browser's GET."""
    app = msal_app(base, sign_in)
    flow = app.initiate_auth_code_flow(
        scopes=[], redirect_uri=REDIRECT_URI, login_hint=account["user_principal_name"]
    )
    answer = requests.get(flow["auth_uri"], allow_redirects=False, timeout=30)
    assert answer.status_code == 302, f"authorize: {answer.status_code} {answer.text[:300]}"
    location = urllib.parse.urlsplit(answer.headers["Location"])
    redirected = location._replace(query="").geturl()
    assert redirected == REDIRECT_URI, f"redirected to {location.geturl()}"
    params = dict(urllib.parse.parse_qsl(location.query))
    return app, app.acquire_token_by_auth_code_flow(flow, params)


def accounts_of(sign_in, scenario):
    return [account for account in sign_in["accounts"] if account.get("scenario") == scenario]


def msal_signs_in(base, fixture):
    sign_in = fixture["sign_in"]
    account = accounts_of(sign_in, "normal")[0]
    app, result = msal_sign_in(base, sign_in, account)
    assert "error" not in result, f"{result.get('error')}: {result.get('error_description')}"
    claims = result.get("id_token_claims") or {}
    wanted = {
        "oid": account["object_id"],
        "tid": account["tenant_id"].lower(),
        "preferred_username": account["user_principal_name"],
    }
    got = {name: claims.get(name) for name in wanted}
    assert got == wanted, f"ID token claims {got}, expected {wanted}"
    assert result.get("access_token"), "no access token"
    # MSAL names the account from the token answer's client_info (uid.utid).
    home = f"{account['object_id']}.{account['tenant_id'].lower()}"
    cached = [(a["home_account_id"], a["username"]) for a in app.get_accounts()]
    assert cached == [(home, account["user_principal_name"])], f"MSAL's cache holds {cached}"


def msal_expired_code_is_refused(base, fixture):
    sign_in = fixture["sign_in"]
    account = accounts_of(sign_in, "expired_code")[0]
    _, result = msal_sign_in(base, sign_in, account)
    assert result.get("error") == "invalid_grant", f"MSAL answered {result}"
    assert "AADSTS70008" in result.get("error_description", ""), f"MSAL answered {result}"
    assert 70008 in result.get("error_codes", []), f"error_codes {result.get('error_codes')}"


def main():
    base, fixture_path = sys.argv[1].rstrip("/"), sys.argv[2]
    with open(fixture_path, encoding="utf-8") as file:
        fixture = json.load(file)
    count = len(fixture["sub_tenants"])
    check(
        f"Graph SDK (msgraph-sdk + azure-identity ClientSecretCredential) lists all {count} "
        "contracts through @odata.nextLink",
        lambda: graph_lists_every_sub_tenant(base, fixture),
    )
    check(
        "Graph SDK: a wrong client secret is azure-identity's ClientAuthenticationError with "
        "AADSTS7000215",
        lambda: graph_wrong_secret_is_refused(base, fixture),
    )
    check(
        "MSAL signs a directory account in with the authorization code flow (organizations): "
        "ID token oid, tid, preferred_username and MSAL's cached account",
        lambda: msal_signs_in(base, fixture),
    )
    check(
        "MSAL: an expired authorization code is invalid_grant with AADSTS70008",
        lambda: msal_expired_code_is_refused(base, fixture),
    )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
