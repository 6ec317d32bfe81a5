"""Uses the Python client generated from api-spec/openapi.json the way a third party would.

run.sh generates the package `msp_onboarding_client` with openapi-python-client and puts it on
PYTHONPATH; nothing here knows the server's code. Each step is one test: it prints PASS or FAIL,
a step whose input an earlier step failed to produce fails too, and the last line counts them.

Usage: python client_test.py BASE_URL
"""

from __future__ import annotations

import datetime
import os
import sys
import traceback
import uuid
from collections.abc import Callable
from typing import Any

from msp_onboarding_client import AuthenticatedClient, Client
from msp_onboarding_client.api.api_tokens import create_api_token
from msp_onboarding_client.api.audit import list_audit_log
from msp_onboarding_client.api.auth import login, me
from msp_onboarding_client.api.customers import (
    activate,
    create_customer,
    get_customer,
    list_customers,
)
from msp_onboarding_client.api.endpoint_settings import create_group_policy, put_windows_gp
from msp_onboarding_client.api.settings import get_azure_login, put_azure_login
from msp_onboarding_client.models import (
    AzureLogin,
    CreateApiTokenRequest,
    CreateCustomer,
    CreatedApiToken,
    CreateGroupPolicy,
    Customer,
    DeviceActivation,
    GroupPolicy,
    LicenceUsage,
    LicensingOption,
    LoginRequest,
    Me,
    PageAuditEntry,
    PageCustomer,
    TokenResponse,
    WindowsGpSettings,
)
from msp_onboarding_client.types import Response

EMAIL = os.environ.get("CONTRACT_EMAIL", "admin@demo-reseller.test")
PASSWORD = os.environ.get("CONTRACT_PASSWORD", "demo-password-1")


class StepFailed(Exception):
    pass


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise StepFailed(message)


def parsed(response: Response[Any], status: int, kind: type) -> Any:
    """The typed body of a response that must have `status`; anything else fails the step."""
    expect(
        response.status_code == status,
        f"expected HTTP {status}, got {response.status_code}: {response.content[:300]!r}",
    )
    expect(
        isinstance(response.parsed, kind),
        f"expected a {kind.__name__}, the client parsed {type(response.parsed).__name__}",
    )
    return response.parsed


class Scenario:
    """State handed from one step to the next."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        # Unique per run, so the search matches only the customer this run creates.
        self.marker = uuid.uuid4().hex[:10]
        self.access_token: str | None = None
        self.api_token: str | None = None
        self.customer: Customer | None = None
        self.policy: GroupPolicy | None = None
        self.opted_in: Customer | None = None
        # A seat count no demo customer has, so that searching for it is a real test.
        self.licences = 1000 + int(self.marker[:4], 16) % 8000

    def anonymous(self) -> Client:
        # raise_on_unexpected_status: a status the document does not list is an error.
        return Client(base_url=self.base_url, raise_on_unexpected_status=True)

    def bearer(self, token: str | None, needed_from: str) -> AuthenticatedClient:
        if token is None:
            raise StepFailed(f"no token: the step '{needed_from}' failed")
        return AuthenticatedClient(
            base_url=self.base_url, token=token, raise_on_unexpected_status=True
        )

    def created_customer(self) -> Customer:
        if self.customer is None:
            raise StepFailed("no customer: the create step failed")
        return self.customer

    def created_policy(self) -> GroupPolicy:
        if self.policy is None:
            raise StepFailed("no group policy: the set-up step failed")
        return self.policy

    def opted_in_customer(self) -> Customer:
        if self.opted_in is None:
            raise StepFailed("no customer with the master GP: its create step failed")
        return self.opted_in


def signing_in_returns_a_bearer_access_token(run: Scenario) -> None:
    with run.anonymous() as client:
        response = login.sync_detailed(
            client=client, body=LoginRequest(email=EMAIL, password=PASSWORD)
        )
    token = parsed(response, 200, TokenResponse)
    expect(token.token_type == "Bearer", f"token_type is {token.token_type!r}")
    expect(token.expires_in > 0, f"expires_in is {token.expires_in}")
    expect(len(token.access_token) > 20, "the access token is too short to be real")
    run.access_token = token.access_token


def the_access_token_creates_an_api_token_shown_once(run: Scenario) -> None:
    name = f"contract client {run.marker}"
    with run.bearer(run.access_token, "sign in") as client:
        response = create_api_token.sync_detailed(
            client=client, body=CreateApiTokenRequest(name=name)
        )
    created = parsed(response, 201, CreatedApiToken)
    expect(created.name == name, f"name came back as {created.name!r}")
    expect(created.token.startswith("msp_"), "the token lacks the msp_ prefix")
    expect(
        created.token.startswith(created.prefix),
        "the token does not start with its advertised prefix",
    )
    run.api_token = created.token


def the_api_token_creates_a_customer_and_a_retry_returns_the_same_one(run: Scenario) -> None:
    body = CreateCustomer(
        name=f"Contract Client {run.marker}",
        total_licenses=7,
        email=f"it-{run.marker}@contract.example",
        licensing_options=[LicensingOption.MXDR],
    )
    key = f"contract-{run.marker}"
    with run.bearer(run.api_token, "create an API token") as client:
        first = create_customer.sync_detailed(client=client, body=body, idempotency_key=key)
        customer = parsed(first, 201, Customer)
        retry = create_customer.sync_detailed(client=client, body=body, idempotency_key=key)
    repeated = parsed(retry, 201, Customer)
    expect(customer.name == body.name, f"name came back as {customer.name!r}")
    expect(customer.total_licenses == 7, f"total_licenses is {customer.total_licenses}")
    expect(customer.customer_type == "Corporate", f"type is {customer.customer_type!r}")
    expect(customer.monthly_billing is True, "monthly billing is not on by default")
    expect(
        set(customer.licensing_options) == {LicensingOption.MXDR, LicensingOption.TAC},
        f"mxdr did not bring tac: {customer.licensing_options}",
    )
    expect(len(customer.licence_key.key) >= 20, "the licence key is too short")
    lifetime = customer.licence_key.expires_at - customer.created_at
    expect(
        datetime.timedelta(days=364) <= lifetime <= datetime.timedelta(days=367),
        f"the licence key lives {lifetime}, not a year",
    )
    expect(repeated.id == customer.id, "the retry with the same key created another customer")
    run.customer = customer


def searching_by_part_of_the_name_finds_exactly_that_customer(run: Scenario) -> None:
    customer = run.created_customer()
    with run.bearer(run.api_token, "create an API token") as client:
        response = list_customers.sync_detailed(client=client, q=run.marker.upper(), per_page=10)
    page = parsed(response, 200, PageCustomer)
    expect(page.total == 1, f"expected 1 match, the total says {page.total}")
    expect(
        [item.id for item in page.items] == [customer.id],
        f"expected only {customer.id}, got {[item.id for item in page.items]}",
    )
    expect(page.items[0].name == customer.name, "the listed name differs")


def the_audit_log_records_who_created_the_customer(run: Scenario) -> None:
    customer = run.created_customer()
    with run.bearer(run.api_token, "create an API token") as client:
        caller = parsed(me.sync_detailed(client=client), 200, Me)
        log = parsed(list_audit_log.sync_detailed(client=client, per_page=100), 200, PageAuditEntry)
    entries = [
        entry
        for entry in log.items
        if entry.action == "customer.create" and entry.target == f"customer:{customer.id}"
    ]
    expect(len(entries) == 1, f"expected one customer.create entry, found {len(entries)}")
    entry = entries[0]
    expect(entry.actor_user_id == caller.user.id, "the entry names another actor")
    expect(entry.source == "api", f"source is {entry.source!r}")
    expect(
        isinstance(entry.details, dict) and entry.details.get("name") == customer.name,
        f"details do not name the customer: {entry.details!r}",
    )
    newest_first = [item.created_at for item in log.items]
    expect(newest_first == sorted(newest_first, reverse=True), "the log is not newest first")


def the_reseller_saves_its_azure_tenant_id(run: Scenario) -> None:
    tenant_id = str(uuid.uuid4())
    with run.bearer(run.api_token, "create an API token") as client:
        response = put_azure_login.sync_detailed(
            client=client, body=AzureLogin(tenant_id=tenant_id.upper())
        )
        saved = parsed(response, 200, AzureLogin)
        read = parsed(get_azure_login.sync_detailed(client=client), 200, AzureLogin)
    expect(saved.tenant_id == tenant_id, f"saved as {saved.tenant_id!r}, not lower-case")
    expect(read.tenant_id == tenant_id, f"read back as {read.tenant_id!r}")


def an_enabled_group_policy_and_master_gp_distribution_are_set_up(run: Scenario) -> None:
    body = CreateGroupPolicy(name=f"Contract GP {run.marker}", enabled=True)
    with run.bearer(run.api_token, "create an API token") as client:
        policy = parsed(
            create_group_policy.sync_detailed(client=client, body=body), 201, GroupPolicy
        )
        response = put_windows_gp.sync_detailed(
            client=client, body=WindowsGpSettings(master_gp_distribution=True)
        )
    settings = parsed(response, 200, WindowsGpSettings)
    expect(policy.name == body.name and policy.enabled, f"the policy came back as {policy!r}")
    expect(settings.master_gp_distribution is True, "distribution did not turn on")
    run.policy = policy


def a_customer_opting_into_the_master_gp_receives_the_enabled_policies(run: Scenario) -> None:
    policy = run.created_policy()
    body = CreateCustomer(
        name=f"Contract Master GP {run.marker}",
        total_licenses=run.licences,
        email=f"gp-{run.marker}@contract.example",
        opt_in_master_gp=True,
    )
    with run.bearer(run.api_token, "create an API token") as client:
        customer = parsed(create_customer.sync_detailed(client=client, body=body), 201, Customer)
    expect(customer.opt_in_master_gp is True, "the opt-in was not kept")
    expect(
        policy.id in customer.group_policy_ids,
        f"the enabled policy {policy.id} is not among {customer.group_policy_ids}",
    )
    run.opted_in = customer


def every_match(client: AuthenticatedClient, q: str) -> list[Customer]:
    """Every customer the search `q` finds, page by page, checking that the total holds."""
    found: list[Customer] = []
    page_number = 1
    while True:
        response = list_customers.sync_detailed(client=client, q=q, page=page_number, per_page=100)
        page = parsed(response, 200, PageCustomer)
        found.extend(page.items)
        if not page.items or len(found) >= page.total:
            expect(len(found) == page.total, f"{q!r}: {len(found)} listed, total {page.total}")
            return found
        page_number += 1


def the_customer_is_found_by_its_created_date_and_by_its_total_licences(run: Scenario) -> None:
    customer = run.opted_in_customer()
    created = customer.created_at.astimezone(datetime.timezone.utc).date().isoformat()
    with run.bearer(run.api_token, "create an API token") as client:
        by_date = every_match(client, created)
        by_number = every_match(client, str(run.licences))
    expect(customer.id in [item.id for item in by_date], f"not found by its date {created}")
    expect(
        all(
            item.created_at.astimezone(datetime.timezone.utc).date().isoformat() == created
            or created in item.name.lower()
            for item in by_date
        ),
        "the date search listed a customer created on another day",
    )
    expect(customer.id in [item.id for item in by_number], f"not found by {run.licences}")
    expect(
        all(
            run.licences in (item.total_licenses, item.active_licenses, item.churn_score)
            or str(run.licences) in item.name
            for item in by_number
        ),
        "the number search listed a customer without that number",
    )


def a_device_is_activated_with_the_customers_licence_key(run: Scenario) -> None:
    customer = run.opted_in_customer()
    body = DeviceActivation(
        licence_key=customer.licence_key.key.lower(), device_id=f"laptop-{run.marker}"
    )
    with run.bearer(run.api_token, "create an API token") as client:
        usage = parsed(activate.sync_detailed(client=client, body=body), 201, LicenceUsage)
        after = parsed(get_customer.sync_detailed(client=client, id=customer.id), 200, Customer)
    expect(usage.customer_id == customer.id, "the key activated another customer")
    expect(usage.device_active and usage.active_licenses == 1, f"usage is {usage!r}")
    expect(after.active_licenses == 1, f"the customer shows {after.active_licenses} active")


STEPS: list[Callable[[Scenario], None]] = [
    signing_in_returns_a_bearer_access_token,
    the_access_token_creates_an_api_token_shown_once,
    the_api_token_creates_a_customer_and_a_retry_returns_the_same_one,
    searching_by_part_of_the_name_finds_exactly_that_customer,
    the_audit_log_records_who_created_the_customer,
    the_reseller_saves_its_azure_tenant_id,
    an_enabled_group_policy_and_master_gp_distribution_are_set_up,
    a_customer_opting_into_the_master_gp_receives_the_enabled_policies,
    the_customer_is_found_by_its_created_date_and_by_its_total_licences,
    a_device_is_activated_with_the_customers_licence_key,
]


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    run = Scenario(sys.argv[1].rstrip("/"))
    passed = failed = 0
    for step in STEPS:
        title = step.__name__.replace("_", " ")
        try:
            step(run)
        except StepFailed as failure:
            failed += 1
            print(f"FAIL {title}: {failure}")
        except Exception:  # a client that cannot parse a documented answer is a failure too
            failed += 1
            print(f"FAIL {title}: the generated client raised")
            traceback.print_exc(file=sys.stdout)
        else:
            passed += 1
            print(f"PASS {title}")
    print(f"generated client: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
