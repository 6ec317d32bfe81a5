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
  - the same app in a customer's directory (Woodgrove Bank's in the demo fixture, after its
    administrator's admin consent) goes through what the product's Graph client
    (crates/graph/src/customer_directory) does for a just-in-time admin account and LAPS, with
    the SDK's request builders and typed models: users.post with a PasswordProfile creates an
    enabled account, and the same userPrincipalName again, an unverified domain and a too simple
    password each raise the SDK's ODataError with Graph's code, message and details;
    users.by_user_id(id).patch disables it and revoke_sign_in_sessions.post() gives value True;
    role_definitions with $filter=isBuiltIn eq true lists the built-in roles under their template
    IDs, role_assignments.post assigns one over "/", $filter=principalId eq '…' lists it and
    delete removes it; directory.device_local_credentials lists the customer's LAPS devices
    through @odata.nextLink without passwords, and one device with $select=credentials gives its
    passwordBase64; users.by_user_id(id).delete, after which a GET is ODataError 404. A property
    the SDK's model does not know (one the fake misspelt or cased otherwise) fails these checks;
  - MSAL signs a directory account in with the authorization code flow through the
    `organizations` authority (MSAL makes the PKCE pair, the state and the nonce, and checks the
    state and the ID token's nonce; since 1.38 it decodes the ID token without validating it, so
    the claims are compared here) and files the account under the token answer's client_info;
    the expired-code account gets MSAL's `invalid_grant` error with AADSTS70008.

Usage: vendor_clients.py BASE_URL FIXTURE_JSON, the fixture the fake was started with: its page
size must be smaller than the directory tenant's user count (run.sh serves the demo fixture with
pages of 2), or /users/delta has no next link to follow; so must the customer's LAPS device
count, for the same reason. The caller makes the fake's self-signed
certificate trusted (REQUESTS_CA_BUNDLE for requests, which azure-identity and MSAL use;
SSL_CERT_FILE for httpx, which the Graph SDK uses), as an enterprise behind a TLS-inspecting
proxy would. Prints one `PASS <check>` or `FAIL <check>: <why>` line per check, for run.sh to
count; exits non-zero when any check failed.
"""

import asyncio
import base64
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
from msgraph.generated.directory.device_local_credentials.item import (
    device_local_credential_info_item_request_builder as laps_item,
)
from msgraph.generated.models.contract import Contract
from msgraph.generated.models.device_local_credential import DeviceLocalCredential
from msgraph.generated.models.device_local_credential_info import DeviceLocalCredentialInfo
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.models.password_profile import PasswordProfile
from msgraph.generated.models.unified_role_assignment import UnifiedRoleAssignment
from msgraph.generated.models.unified_role_definition import UnifiedRoleDefinition
from msgraph.generated.models.user import User
from msgraph.generated.role_management.directory.role_assignments import (
    role_assignments_request_builder as role_assignments,
)
from msgraph.generated.role_management.directory.role_definitions import (
    role_definitions_request_builder as role_definitions,
)
from msgraph.generated.users.item.revoke_sign_in_sessions import (
    revoke_sign_in_sessions_post_response as revoke_sessions,
)
from msgraph.generated.users.item.user_item_request_builder import UserItemRequestBuilder
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


def directory_client(base, fixture, secret=None, tenant=DIRECTORY_TENANT):
    """The operator's multi-tenant app, app-only in a directory (the demo Entra MSP's unless
    told which)."""
    sign_in = fixture["sign_in"]
    return app_graph_client(
        base,
        tenant,
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


def admin_consent_granted(base, fixture, tenant=DIRECTORY_TENANT, admin=DIRECTORY_ADMIN):
    """A browser at Entra's admin consent endpoint: the page, Accept as the admin, the redirect."""
    query = urllib.parse.urlencode(
        {
            "client_id": fixture["sign_in"]["client_id"],
            "redirect_uri": CONSENT_REDIRECT_URI,
            "state": CONSENT_STATE,
        }
    )
    start = f"{base}/{tenant}/v2.0/adminconsent?{query}"
    page = requests.get(start, allow_redirects=False, timeout=30)
    assert page.status_code == 200, f"adminconsent: {page.status_code} {page.text[:300]}"
    parser = ConsentPage()
    parser.feed(page.text)
    accept = [href for href, text in parser.links if text.startswith("Accept") and admin in text]
    assert len(accept) == 1, f"no single Accept link for {admin} in {parser.links}"
    answer = requests.get(urllib.parse.urljoin(start, accept[0]), allow_redirects=False, timeout=30)
    assert answer.status_code == 302, f"Accept: {answer.status_code} {answer.text[:300]}"
    location = urllib.parse.urlsplit(answer.headers["Location"])
    redirected = location._replace(query="").geturl()
    assert redirected == CONSENT_REDIRECT_URI, f"redirected to {location.geturl()}"
    params = dict(urllib.parse.parse_qsl(location.query))
    wanted = {"admin_consent": "True", "tenant": tenant, "state": CONSENT_STATE}
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


# Just-in-time admin accounts and LAPS in a customer's directory, as the product's Graph client
# (crates/graph/src/customer_directory) goes through them: Woodgrove Bank's directory in the demo
# fixture, after its administrator granted the operator's app admin consent.
CUSTOMER_TENANT = "3b9e4c1a-7d2f-4e8b-a6c5-0f1e2d3c4b5a"
CUSTOMER_ADMIN = "admin@woodgrovebank.test"
# Graph's built-in roles keep their template IDs as their IDs in every tenant.
USER_ADMINISTRATOR = "fe930be7-5e62-47db-91af-98c3a49a38b1"
GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10"
# The device whose LAPS password is read, and that password (its passwordBase64 in the fixture).
LAPS_DEVICE = "WGB-LT-0142"
LAPS_PASSWORD = "Tq7#mR2v!Lx9Kd4p"
# Complex enough for Entra: 16 characters of all four kinds.
JIT_PASSWORD = "Vq8#nL3w!Rt6Zs2k"

# The account the just-in-time checks create and the role assignment they make, check to check.
jit_state = {}


def customer_domains(fixture, verified):
    """The customer's managed domains in the fixture, verified or not."""
    return [
        domain["id"]
        for domain in fixture["sign_in"]["domains"]
        if domain["tenant_id"].lower() == CUSTOMER_TENANT
        and domain.get("is_verified", False) == verified
        and domain["authentication_type"] == "Managed"
    ]


def customer_domain(fixture):
    """The customer's verified managed default domain (woodgrovebank.test)."""
    defaults = [
        domain["id"]
        for domain in fixture["sign_in"]["domains"]
        if domain["tenant_id"].lower() == CUSTOMER_TENANT
        and domain.get("is_default", False)
        and domain.get("is_verified", False)
        and domain["authentication_type"] == "Managed"
    ]
    assert len(defaults) == 1, f"the fixture's tenant {CUSTOMER_TENANT} has defaults {defaults}"
    return defaults[0]


def in_customer_directory(base, fixture, work):
    """Runs `await work(client)` with the operator's app in the customer's directory."""

    async def run():
        client, credential = directory_client(base, fixture, tenant=CUSTOMER_TENANT)
        try:
            return await work(client)
        finally:
            credential.close()

    return asyncio.run(run())


async def odata_error(request):
    """The SDK's ODataError that awaiting `request` raises; fails when it answers instead."""
    try:
        answer = await request
    except ODataError as error:
        return error
    raise AssertionError(f"no ODataError; the SDK answered {answer!r}")


def describe(error):
    main_error = error.error
    return (
        f"status {error.response_status_code}, code {main_error and main_error.code}, "
        f"message {main_error and main_error.message}, details "
        f"{[(d.code, d.target) for d in (main_error and main_error.details) or []]}"
    )


def unknown_properties(*models):
    """The properties of typed models that the SDK's model does not know (so it put them in
    additional_data): a name the fake misspelt or cased otherwise than Graph. OData's own
    annotations (@odata.context) are no properties."""
    return sorted(
        {
            name
            for model in models
            for name in (model.additional_data or {})
            if not name.startswith("@odata.")
        }
    )


def jit_user(upn, password=JIT_PASSWORD):
    """A just-in-time admin account as the product creates it: enabled, with its password."""
    nickname = upn.split("@")[0]
    return User(
        account_enabled=True,
        display_name=f"JIT {nickname}",
        mail_nickname=nickname,
        user_principal_name=upn,
        password_profile=PasswordProfile(
            password=password, force_change_password_next_sign_in=False
        ),
    )


async def user_by_id(client, user_id):
    """GET /users/{id}?$select=…: accountEnabled is no default property of a user."""
    query = UserItemRequestBuilder.UserItemRequestBuilderGetQueryParameters(
        select=["id", "userPrincipalName", "displayName", "mailNickname", "accountEnabled"]
    )
    configuration = RequestConfiguration(query_parameters=query)
    return await client.users.by_user_id(user_id).get(request_configuration=configuration)


def graph_creates_user(base, fixture):
    upn = f"jit-vendor-check@{customer_domain(fixture)}"

    async def run(client):
        created = await client.users.post(jit_user(upn))
        read = await user_by_id(client, created.id) if created and created.id else None
        return created, read

    created, read = in_customer_directory(base, fixture, run)
    assert isinstance(created, User), f"POST /users gave {created!r}"
    assert created.id, f"the created user has no id: {created!r}"
    assert created.user_principal_name == upn, f"userPrincipalName {created.user_principal_name}"
    assert created.display_name == f"JIT {upn.split('@')[0]}", f"displayName {created.display_name}"
    jit_state["id"], jit_state["upn"] = created.id, upn
    got = (read.id, read.user_principal_name, read.mail_nickname, read.account_enabled)
    expected = (created.id, upn, upn.split("@")[0], True)
    assert got == expected, f"GET /users/{{id}} gave {got}, expected {expected}"
    unknown = unknown_properties(created, read)
    assert not unknown, f"properties the SDK's User does not know: {unknown}"


def graph_refuses_taken_upn(base, fixture):
    upn = jit_state.get("upn")
    assert upn, "no user was created"
    error = in_customer_directory(
        base, fixture, lambda client: odata_error(client.users.post(jit_user(upn)))
    )
    message = "Another object with the same value for property userPrincipalName already exists."
    main_error = error.error
    assert error.response_status_code == 400, describe(error)
    assert (main_error.code, main_error.message) == ("Request_BadRequest", message), describe(error)
    details = [(d.code, d.message, d.target) for d in main_error.details or []]
    assert details == [("ObjectConflict", message, "userPrincipalName")], describe(error)


def graph_refuses_unverified_domain(base, fixture):
    unverified = customer_domains(fixture, verified=False)
    assert unverified, f"the fixture's tenant {CUSTOMER_TENANT} has no unverified managed domain"
    upn = f"jit-vendor-check@{unverified[0]}"
    error = in_customer_directory(
        base, fixture, lambda client: odata_error(client.users.post(jit_user(upn)))
    )
    main_error = error.error
    assert error.response_status_code == 400, describe(error)
    assert main_error.code == "Request_BadRequest", describe(error)
    wanted = "You must use one of the verified domain names"
    assert wanted in (main_error.message or ""), describe(error)
    details = [(d.code, d.target) for d in main_error.details or []]
    assert details == [("InvalidValue", "userPrincipalName")], describe(error)


def graph_refuses_simple_password(base, fixture):
    upn = f"jit-vendor-simple@{customer_domain(fixture)}"
    error = in_customer_directory(
        base, fixture, lambda client: odata_error(client.users.post(jit_user(upn, "password")))
    )
    main_error = error.error
    assert error.response_status_code == 400, describe(error)
    assert main_error.code == "Request_BadRequest", describe(error)
    wanted = "does not comply with password complexity requirements"
    assert wanted in (main_error.message or ""), describe(error)
    # Nothing was created on the way.
    found = in_customer_directory(
        base, fixture, lambda client: users_where(client, f"userPrincipalName eq '{upn}'")
    )
    assert found == [], f"{upn} exists after its refused create: {[u.id for u in found]}"


def graph_disables_user_and_revokes_sessions(base, fixture):
    user_id = jit_state.get("id")
    assert user_id, "no user was created"

    async def run(client):
        user = client.users.by_user_id(user_id)
        patched = await user.patch(User(account_enabled=False))
        read = await user_by_id(client, user_id)
        revoked = await user.revoke_sign_in_sessions.post()
        return patched, read, revoked

    patched, read, revoked = in_customer_directory(base, fixture, run)
    # 204 No Content: the SDK gives nothing back.
    assert patched is None, f"PATCH gave {patched!r}"
    assert read.account_enabled is False, f"accountEnabled {read.account_enabled!r} after PATCH"
    response_type = revoke_sessions.RevokeSignInSessionsPostResponse
    assert isinstance(revoked, response_type), f"revokeSignInSessions gave {revoked!r}"
    assert revoked.value is True, f"revokeSignInSessions value {revoked.value!r}"


def graph_lists_built_in_roles(base, fixture):
    async def run(client):
        builder = role_definitions.RoleDefinitionsRequestBuilder
        query = builder.RoleDefinitionsRequestBuilderGetQueryParameters(filter="isBuiltIn eq true")
        configuration = RequestConfiguration(query_parameters=query)
        page = await client.role_management.directory.role_definitions.get(
            request_configuration=configuration
        )
        return page.value or []

    roles = in_customer_directory(base, fixture, run)
    untyped = [type(role).__name__ for role in roles if not isinstance(role, UnifiedRoleDefinition)]
    assert not untyped, f"not UnifiedRoleDefinition: {untyped}"
    by_id = {role.id: role.display_name for role in roles}
    wanted = {
        USER_ADMINISTRATOR: "User Administrator",
        GLOBAL_ADMINISTRATOR: "Global Administrator",
    }
    got = {role_id: by_id.get(role_id) for role_id in wanted}
    assert got == wanted, f"got {got} among {len(roles)} roles, expected {wanted}"
    not_built_in = [role.display_name for role in roles if role.is_built_in is not True]
    assert not not_built_in, f"isBuiltIn eq true listed {not_built_in}"
    # A built-in role's ID is its template ID, the same in every tenant.
    other_ids = [role.display_name for role in roles if role.template_id != role.id]
    assert not other_ids, f"roles whose templateId is not their id: {other_ids}"
    assert all(role.description for role in roles), "a role without its description"


async def assignments_of(client, principal_id):
    builder = role_assignments.RoleAssignmentsRequestBuilder
    query = builder.RoleAssignmentsRequestBuilderGetQueryParameters(
        filter=f"principalId eq '{principal_id}'"
    )
    configuration = RequestConfiguration(query_parameters=query)
    page = await client.role_management.directory.role_assignments.get(
        request_configuration=configuration
    )
    return page.value or []


def graph_assigns_and_removes_role(base, fixture):
    user_id = jit_state.get("id")
    assert user_id, "no user was created"

    async def assign(client):
        created = await client.role_management.directory.role_assignments.post(
            UnifiedRoleAssignment(
                principal_id=user_id,
                role_definition_id=USER_ADMINISTRATOR,
                directory_scope_id="/",
            )
        )
        return created, await assignments_of(client, user_id)

    created, listed = in_customer_directory(base, fixture, assign)
    assert isinstance(created, UnifiedRoleAssignment), f"POST roleAssignments gave {created!r}"
    got = (created.principal_id, created.role_definition_id, created.directory_scope_id)
    assert created.id and got == (user_id, USER_ADMINISTRATOR, "/"), f"created {created.id} {got}"
    got = [(a.id, a.principal_id, a.role_definition_id, a.directory_scope_id) for a in listed]
    expected = [(created.id, user_id, USER_ADMINISTRATOR, "/")]
    assert got == expected, f"$filter=principalId eq '…' listed {got}, expected {expected}"
    unknown = unknown_properties(created, *listed)
    assert not unknown, f"properties the SDK's UnifiedRoleAssignment does not know: {unknown}"

    async def remove(client):
        assignment = client.role_management.directory.role_assignments
        deleted = await assignment.by_unified_role_assignment_id(created.id).delete()
        return deleted, await assignments_of(client, user_id)

    deleted, left = in_customer_directory(base, fixture, remove)
    assert deleted is None, f"DELETE gave {deleted!r}"
    assert left == [], f"after DELETE the user still holds {[a.id for a in left]}"


def customer_devices(fixture):
    return [
        device
        for device in fixture["sign_in"]["devices"]
        if device["tenant_id"].lower() == CUSTOMER_TENANT
    ]


def graph_lists_laps_devices(base, fixture):
    async def run(client):
        first = await client.directory.device_local_credentials.get()
        devices = []

        def collect(device: DeviceLocalCredentialInfo) -> bool:
            devices.append(device)
            return True

        await PageIterator(first, client.request_adapter).iterate(collect)
        return devices, len(first.value or [])

    devices, first_page = in_customer_directory(base, fixture, run)
    untyped = [type(d).__name__ for d in devices if not isinstance(d, DeviceLocalCredentialInfo)]
    assert not untyped, f"not DeviceLocalCredentialInfo: {untyped}"
    got = sorted((d.id, d.device_name) for d in devices)
    expected = sorted((d["device_id"], d["device_name"]) for d in customer_devices(fixture))
    assert got == expected, f"got {got}, expected {expected}"
    assert all(d.last_backup_date_time for d in devices), "a device without lastBackupDateTime"
    # The passwords only for $select=credentials.
    assert all(not d.credentials for d in devices), "a listed device carries its credentials"
    unknown = unknown_properties(*devices)
    assert not unknown, f"properties the SDK's DeviceLocalCredentialInfo does not know: {unknown}"
    # Otherwise the check would pass without the SDK ever following a next link.
    assert first_page < len(expected), f"the first page held all {first_page}: no paging tested"


def graph_reads_laps_password(base, fixture):
    device = next(d for d in customer_devices(fixture) if d["device_name"] == LAPS_DEVICE)
    fixture_password = base64.b64decode(device["password_base64"]).decode()
    assert fixture_password == LAPS_PASSWORD, f"the fixture's {LAPS_DEVICE} has another password"

    async def run(client):
        builder = laps_item.DeviceLocalCredentialInfoItemRequestBuilder
        query = builder.DeviceLocalCredentialInfoItemRequestBuilderGetQueryParameters(
            select=["credentials"]
        )
        configuration = RequestConfiguration(query_parameters=query)
        item = client.directory.device_local_credentials.by_device_local_credential_info_id(
            device["device_id"]
        )
        return await item.get(request_configuration=configuration)

    info = in_customer_directory(base, fixture, run)
    assert isinstance(info, DeviceLocalCredentialInfo), f"GET gave {info!r}"
    assert (info.id, info.device_name) == (device["device_id"], LAPS_DEVICE), (
        f"got {info.id} {info.device_name}"
    )
    credentials = info.credentials or []
    assert len(credentials) == 1, f"{len(credentials)} credentials"
    credential = credentials[0]
    assert isinstance(credential, DeviceLocalCredential), f"credential {credential!r}"
    got = (credential.account_name, credential.account_sid)
    assert got == (device["account_name"], device["account_sid"]), f"account {got}"
    assert credential.backup_date_time is not None, "no backupDateTime"
    unknown = unknown_properties(info, credential)
    assert not unknown, f"properties the SDK's models do not know: {unknown}"
    password = base64.b64decode(credential.password_base64 or "").decode()
    assert password == LAPS_PASSWORD, "passwordBase64 does not decode to the fixture's password"


def graph_deletes_user(base, fixture):
    user_id = jit_state.get("id")
    assert user_id, "no user was created"

    async def run(client):
        deleted = await client.users.by_user_id(user_id).delete()
        return deleted, await odata_error(user_by_id(client, user_id))

    deleted, error = in_customer_directory(base, fixture, run)
    assert deleted is None, f"DELETE gave {deleted!r}"
    assert error.response_status_code == 404, describe(error)
    assert error.error.code == "Request_ResourceNotFound", describe(error)
    assert user_id in (error.error.message or ""), describe(error)


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
    check(
        f"admin consent as a browser (GET /{CUSTOMER_TENANT}/v2.0/adminconsent, Accept as "
        f"{CUSTOMER_ADMIN}) for the customer directory of the just-in-time and LAPS checks",
        lambda: admin_consent_granted(base, fixture, CUSTOMER_TENANT, CUSTOMER_ADMIN),
    )
    check(
        "Graph SDK: POST /users (users.post with a typed User and PasswordProfile) creates an "
        "enabled account: a typed User with id and userPrincipalName, read back with $select",
        lambda: graph_creates_user(base, fixture),
    )
    check(
        "Graph SDK: POST /users with a taken userPrincipalName is the SDK's ODataError 400 "
        "Request_BadRequest with an ObjectConflict detail on userPrincipalName",
        lambda: graph_refuses_taken_upn(base, fixture),
    )
    check(
        "Graph SDK: POST /users on an unverified domain is ODataError 400 with an InvalidValue "
        "detail on userPrincipalName",
        lambda: graph_refuses_unverified_domain(base, fixture),
    )
    check(
        "Graph SDK: POST /users with a too simple password is ODataError 400 (password "
        "complexity) and creates nobody",
        lambda: graph_refuses_simple_password(base, fixture),
    )
    check(
        "Graph SDK: PATCH /users/{id} accountEnabled false (users.by_user_id.patch) reads back "
        "false; revokeSignInSessions.post() gives value True",
        lambda: graph_disables_user_and_revokes_sessions(base, fixture),
    )
    check(
        "Graph SDK: GET roleManagement/directory/roleDefinitions with $filter=isBuiltIn eq true "
        "lists User Administrator and Global Administrator as typed UnifiedRoleDefinition",
        lambda: graph_lists_built_in_roles(base, fixture),
    )
    check(
        "Graph SDK: POST roleAssignments (typed UnifiedRoleAssignment, scope /), list with "
        "$filter=principalId eq '…', DELETE by_unified_role_assignment_id leaves none",
        lambda: graph_assigns_and_removes_role(base, fixture),
    )
    check(
        "Graph SDK: GET directory/deviceLocalCredentials lists every LAPS device of the customer "
        "(typed DeviceLocalCredentialInfo, deviceName) through @odata.nextLink, no passwords",
        lambda: graph_lists_laps_devices(base, fixture),
    )
    check(
        f"Graph SDK: GET directory/deviceLocalCredentials/{{id}} with $select=credentials gives "
        f"{LAPS_DEVICE}'s credential whose passwordBase64 decodes to its LAPS password",
        lambda: graph_reads_laps_password(base, fixture),
    )
    check(
        "Graph SDK: DELETE /users/{id} (users.by_user_id.delete), then GET is ODataError 404 "
        "Request_ResourceNotFound",
        lambda: graph_deletes_user(base, fixture),
    )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
