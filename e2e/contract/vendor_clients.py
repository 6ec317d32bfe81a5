"""Microsoft's own client libraries against the fake Entra + Graph (crates/fake-graph).

The fake stands in for Microsoft in the product's tests and demo, so it must answer what the
vendor's clients expect, not only what our own Rust client happens to accept:
  - the Graph SDK (msgraph-sdk, authenticated by azure-identity's ClientSecretCredential with the
    Graph app of the fixture) lists /contracts, following @odata.nextLink with its PageIterator,
    and gets every sub-tenant of the fixture; a wrong secret surfaces as azure-identity's
    ClientAuthenticationError carrying AADSTS7000215;
  - the operator's multi-tenant app (the fixture's sign_in app) reads the demo Entra MSP's
    directory the way the product's user source does: its app-only token is refused with
    AADSTS700016 until an administrator grants admin consent (GET /{tenant}/v2.0/adminconsent,
    driven here as a browser: the fake's "Permissions requested" page, Accept as the tenant's
    administrator, the redirect back with admin_consent=True); then the Graph SDK reads /users
    with a $filter (the request builder's query parameters) into its typed User model, and
    /users/delta through its delta request builder: a full round following @odata.nextLink with
    with_url to the @odata.deltaLink, then, after the fake's control endpoint (PATCH and DELETE
    /_fake/users/{id}, plain HTTPS) disabled one account and deleted another, the increment from
    the deltaLink, where the disabled user has accountEnabled false and the deleted one carries
    `@removed` (in the model's additional_data); and /domains;
  - MSAL signs a directory account in with the authorization code flow through the
    `organizations` authority (MSAL makes the PKCE pair, the state and the nonce, and checks the
    state and the ID token's nonce; since 1.38 it decodes the ID token without validating it, so
    the claims are compared here) and files the account under the token answer's client_info;
    the expired-code account gets MSAL's `invalid_grant` error with AADSTS70008.

Usage: vendor_clients.py BASE_URL FIXTURE_JSON, the fixture the fake was started with: its page
size must be smaller than the directory tenant's user count (run.sh serves the demo fixture with
pages of 2), or /users/delta has no next link to follow. The caller makes the fake's self-signed
certificate trusted (REQUESTS_CA_BUNDLE for requests, which azure-identity and MSAL use;
SSL_CERT_FILE for httpx, which the Graph SDK uses), as an enterprise behind a TLS-inspecting
proxy would. Prints one `PASS <check>` or `FAIL <check>: <why>` line per check, for run.sh to
count; exits non-zero when any check failed.
"""

import asyncio
import html.parser
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
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.models.contract import Contract
from msgraph.generated.users.users_request_builder import UsersRequestBuilder
from msgraph_core.authentication import AzureIdentityAuthenticationProvider
from msgraph_core.tasks.page_iterator import PageIterator

GRAPH_SCOPE = "https://graph.microsoft.com/.default"
# Loopback http is a redirect URI Entra accepts for a web app; nothing needs to listen on it:
# the authorize answer is read from the 302 itself.
REDIRECT_URI = "http://localhost/callback"
# The demo Entra MSP's directory (demo-entra.test) in the fixture, which the product's user source
# reads with the operator's app, and the administrator who grants that app admin consent there.
DIRECTORY_TENANT = "3a6f1d2e-8b7c-4d5e-9f0a-1b2c3d4e5f60"
DIRECTORY_ADMIN = "admin@demo-entra.test"
CONSENT_REDIRECT_URI = "http://localhost/consent"
CONSENT_STATE = "vendor-clients-consent"

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
    """The reseller's Graph app in its own tenant (it lists /contracts)."""
    return app_graph_client(base, fixture["tenant_id"], fixture["client_id"], secret)


def app_graph_client(base, tenant_id, client_id, secret):
    credential = ClientSecretCredential(
        tenant_id,
        client_id,
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


def directory_client(base, fixture, secret=None):
    """The operator's multi-tenant app, app-only in the demo Entra MSP's directory."""
    sign_in = fixture["sign_in"]
    return app_graph_client(
        base,
        DIRECTORY_TENANT,
        sign_in["client_id"],
        sign_in["client_secret"] if secret is None else secret,
    )


def directory_accounts(fixture):
    """The directory tenant's accounts in the fixture: the administrator first, then the rest."""
    accounts = [
        account
        for account in fixture["sign_in"]["accounts"]
        if account["tenant_id"].lower() == DIRECTORY_TENANT
    ]
    admins = [a for a in accounts if a["user_principal_name"] == DIRECTORY_ADMIN]
    others = [a for a in accounts if a["user_principal_name"] != DIRECTORY_ADMIN]
    assert len(admins) == 1 and len(others) >= 2, (
        f"the fixture's tenant {DIRECTORY_TENANT} needs {DIRECTORY_ADMIN} and two more accounts: "
        f"{[a['user_principal_name'] for a in accounts]}"
    )
    return admins[0], others


async def users_where(client, clause):
    """GET /users with a $filter, through the request builder's query parameters."""
    query = UsersRequestBuilder.UsersRequestBuilderGetQueryParameters(filter=clause)
    configuration = RequestConfiguration(query_parameters=query)
    page = await client.users.get(request_configuration=configuration)
    return page.value or []


def directory_refused_before_consent(base, fixture):
    async def run():
        client, credential = directory_client(base, fixture)
        try:
            return await users_where(client, f"userPrincipalName eq '{DIRECTORY_ADMIN}'")
        finally:
            credential.close()

    try:
        users = asyncio.run(run())
    except ClientAuthenticationError as error:
        assert "AADSTS700016" in str(error), f"no AADSTS700016 in: {error}"
        return
    raise AssertionError(f"before any consent the operator's app read {len(users)} users")


class ConsentPage(html.parser.HTMLParser):
    """The links of the fake's "Permissions requested" page, with their text."""

    def __init__(self):
        super().__init__()
        self.links = []
        self._href = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._text = []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def admin_consent_granted(base, fixture):
    """A browser at Entra's admin consent endpoint: the page, Accept as the admin, the redirect."""
    query = urllib.parse.urlencode(
        {
            "client_id": fixture["sign_in"]["client_id"],
            "redirect_uri": CONSENT_REDIRECT_URI,
            "state": CONSENT_STATE,
        }
    )
    start = f"{base}/{DIRECTORY_TENANT}/v2.0/adminconsent?{query}"
    page = requests.get(start, allow_redirects=False, timeout=30)
    assert page.status_code == 200, f"adminconsent: {page.status_code} {page.text[:300]}"
    parser = ConsentPage()
    parser.feed(page.text)
    accept = [
        href
        for href, text in parser.links
        if text.startswith("Accept") and DIRECTORY_ADMIN in text
    ]
    assert len(accept) == 1, f"no single Accept link for {DIRECTORY_ADMIN} in {parser.links}"
    answer = requests.get(urllib.parse.urljoin(start, accept[0]), allow_redirects=False, timeout=30)
    assert answer.status_code == 302, f"Accept: {answer.status_code} {answer.text[:300]}"
    location = urllib.parse.urlsplit(answer.headers["Location"])
    redirected = location._replace(query="").geturl()
    assert redirected == CONSENT_REDIRECT_URI, f"redirected to {location.geturl()}"
    params = dict(urllib.parse.parse_qsl(location.query))
    wanted = {"admin_consent": "True", "tenant": DIRECTORY_TENANT, "state": CONSENT_STATE}
    got = {name: params.get(name) for name in wanted}
    assert got == wanted, f"redirect parameters {params}, expected {wanted}"


def graph_filters_users(base, fixture):
    _, others = directory_accounts(fixture)
    wanted = others[0]

    async def run():
        client, credential = directory_client(base, fixture)
        try:
            return await users_where(
                client, f"userPrincipalName eq '{wanted['user_principal_name']}'"
            )
        finally:
            credential.close()

    users = asyncio.run(run())
    got = [
        (user.id, user.user_principal_name, user.display_name, user.mail, user.account_enabled)
        for user in users
    ]
    expected = [
        (
            wanted["object_id"],
            wanted["user_principal_name"],
            wanted["display_name"],
            wanted["user_principal_name"],
            True,
        )
    ]
    assert got == expected, f"got {got}, expected {expected}"
    # Typed by the SDK's model, not a string the JSON happened to hold.
    assert users[0].account_enabled is True, f"accountEnabled {users[0].account_enabled!r}"


def graph_filter_stays_in_tenant(base, fixture):
    outsider = next(
        account
        for account in fixture["sign_in"]["accounts"]
        if account["tenant_id"].lower() != DIRECTORY_TENANT
        and account["user_principal_name"] != DIRECTORY_ADMIN
    )

    async def run():
        client, credential = directory_client(base, fixture)
        try:
            return await users_where(client, f"mail eq '{outsider['user_principal_name']}'")
        finally:
            credential.close()

    users = asyncio.run(run())
    got = [user.user_principal_name for user in users]
    assert got == [], f"another tenant's {outsider['user_principal_name']} was found: {got}"


async def delta_round(client, link=None):
    """One delta round through the SDK: the first page (from the delta request builder, or from
    a deltaLink), then every @odata.nextLink with with_url; returns the users, the page count,
    and the round's @odata.deltaLink."""
    delta = client.users.delta
    page = await (delta.with_url(link).get() if link else delta.get())
    users, pages = list(page.value or []), 1
    while page.odata_next_link:
        assert not page.odata_delta_link, f"page {pages} has both a next and a delta link"
        page = await delta.with_url(page.odata_next_link).get()
        users.extend(page.value or [])
        pages += 1
    assert page.odata_delta_link, f"the last of {pages} pages has no @odata.deltaLink"
    return users, pages, page.odata_delta_link


# The full round's deltaLink, for the increment check that follows it.
delta_state = {}


def graph_delta_full_round(base, fixture):
    admin, others = directory_accounts(fixture)
    accounts = [admin, *others]

    async def run():
        client, credential = directory_client(base, fixture)
        try:
            return await delta_round(client)
        finally:
            credential.close()

    users, pages, delta_link = asyncio.run(run())
    got = sorted((user.id, user.user_principal_name, user.account_enabled) for user in users)
    expected = sorted((a["object_id"], a["user_principal_name"], True) for a in accounts)
    assert got == expected, f"got {got}, expected {expected}"
    # Otherwise the check would pass without the SDK ever following a next link.
    assert pages > 1, f"one page held all {len(users)} users: no paging tested"
    delta_state["link"] = delta_link
    delta_state["pages"] = pages


def fake_control(method, base, object_id, body=None):
    """The fake's own control endpoint (not Graph's): what an administrator does in Entra."""
    answer = requests.request(
        method, f"{base}/_fake/users/{object_id}", json=body, timeout=30
    )
    assert answer.status_code == 204, f"{method} /_fake/users/{object_id}: {answer.status_code}"


def graph_delta_increment(base, fixture):
    link = delta_state.get("link")
    assert link, "no @odata.deltaLink from the full round"
    _, others = directory_accounts(fixture)
    disabled, removed = others[0], others[1]

    async def run(link):
        client, credential = directory_client(base, fixture)
        try:
            return await delta_round(client, link)
        finally:
            credential.close()

    quiet, _, _ = asyncio.run(run(link))
    assert quiet == [], f"nothing changed, yet the deltaLink gave {[u.id for u in quiet]}"
    fake_control("PATCH", base, disabled["object_id"], {"account_enabled": False})
    fake_control("DELETE", base, removed["object_id"])
    changes, _, next_link = asyncio.run(run(link))
    by_id = {user.id: user for user in changes}
    assert sorted(by_id) == sorted([disabled["object_id"], removed["object_id"]]), (
        f"the increment holds {[u.id for u in changes]}, expected the disabled "
        f"{disabled['object_id']} and the deleted {removed['object_id']}"
    )
    gone = by_id[disabled["object_id"]]
    assert gone.account_enabled is False, f"disabled user's accountEnabled {gone.account_enabled!r}"
    assert "@removed" not in (gone.additional_data or {}), f"disabled user {gone.additional_data}"
    deleted = by_id[removed["object_id"]]
    marker = (deleted.additional_data or {}).get("@removed")
    assert marker == {"reason": "changed"}, (
        f"deleted user's additional_data {deleted.additional_data}, expected "
        "@removed {'reason': 'changed'}"
    )
    after, _, _ = asyncio.run(run(next_link))
    assert after == [], f"the increment's own deltaLink gave {[u.id for u in after]} again"


def graph_lists_domains(base, fixture):
    async def run():
        client, credential = directory_client(base, fixture)
        try:
            return (await client.domains.get()).value or []
        finally:
            credential.close()

    domains = asyncio.run(run())
    got = sorted(
        (d.id, d.is_default, d.is_verified, d.authentication_type) for d in domains
    )
    expected = sorted(
        (d["id"], d.get("is_default", False), d.get("is_verified", False), d["authentication_type"])
        for d in fixture["sign_in"]["domains"]
        if d["tenant_id"].lower() == DIRECTORY_TENANT
    )
    assert got == expected, f"got {got}, expected {expected}"


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
    check(
        f"Graph SDK: before admin consent, the operator app's token for tenant {DIRECTORY_TENANT} "
        "is azure-identity's ClientAuthenticationError with AADSTS700016",
        lambda: directory_refused_before_consent(base, fixture),
    )
    check(
        f"admin consent as a browser (GET /{DIRECTORY_TENANT}/v2.0/adminconsent, Accept as "
        f"{DIRECTORY_ADMIN}) redirects back with admin_consent=True, tenant and state",
        lambda: admin_consent_granted(base, fixture),
    )
    check(
        "Graph SDK: GET /users with $filter=userPrincipalName eq '…' (request builder query "
        "parameters) gives that one user as a typed User (id, displayName, mail, accountEnabled)",
        lambda: graph_filters_users(base, fixture),
    )
    check(
        "Graph SDK: GET /users with $filter=mail eq '…' for another tenant's account gives no user",
        lambda: graph_filter_stays_in_tenant(base, fixture),
    )
    directory_users = sum(
        account["tenant_id"].lower() == DIRECTORY_TENANT
        for account in fixture["sign_in"]["accounts"]
    )
    check(
        f"Graph SDK: GET /users/delta (delta request builder) lists all {directory_users} users "
        "through @odata.nextLink (with_url) to an @odata.deltaLink",
        lambda: graph_delta_full_round(base, fixture),
    )
    check(
        "Graph SDK: /users/delta from the deltaLink gives nothing, then after PATCH and DELETE "
        "/_fake/users/{id} the disabled user with accountEnabled false and the deleted one with "
        "@removed, then nothing again",
        lambda: graph_delta_increment(base, fixture),
    )
    check(
        "Graph SDK: GET /domains lists the tenant's domains (id, isDefault, isVerified, "
        "authenticationType)",
        lambda: graph_lists_domains(base, fixture),
    )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
