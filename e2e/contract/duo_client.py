"""Duo's own Python client (duo_universal) against the fake Duo (crates/fake-duo).

The fake stands in for Duo in the product's tests, the browser tests and the demo, so it must
answer what Duo's client sends and checks, not only what our own Rust code happens to accept:
  - health_check() with the client secret is OK; with another secret it raises DuoException
    carrying Duo's invalid_client answer; with the fake unreachable it raises DuoException too
    (a transport error, not an HTTP answer);
  - create_auth_url() makes the signed request; the prompt it leads to is fetched, Approve (or
    Deny) is pressed as a browser would post the form, and the duo_code and state are read from
    the redirect; exchange_authorization_code_for_2fa_result() verifies the ID token (HS512 with
    the secret, iss, aud, exp, iat, preferred_username, nonce) and returns its claims, whose
    auth_result says allow, or deny;
  - with the fake's wrong_signature switch on (POST /_fake/switches), the exchange raises
    DuoException: the client refuses an ID token it cannot verify; a code is good only once.

Usage: duo_client.py BASE_URL CERTIFICATE CLIENT_ID CLIENT_SECRET, with BASE_URL the fake's
https://127.0.0.1:PORT and CERTIFICATE its self-signed certificate, which the client is given as
its `duo_certs` (the roots it pins). Prints one `PASS <check>` or `FAIL <check>: <why>` line per
check, for run.sh to count; exits non-zero when any check failed.
"""

import re
import sys
import traceback
import urllib.parse
import warnings

import duo_universal
import requests
from duo_universal import DuoException

# Never contacted: the redirect is read from the fake's 302 itself.
REDIRECT_URI = "http://localhost/duo-callback"
USERNAME = "mfa@demo-reseller.test"
WRONG_SECRET = "0" * 40

failures = 0

# PyJWT warns at every HS512 use that a 40-byte key is shorter than SHA-512's block; Duo's client
# secrets are 40 characters by design.
warnings.filterwarnings("ignore", message="The HMAC key is")


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


class Fake:
    def __init__(self, base, certificate, client_id, client_secret):
        self.base = base
        self.certificate = certificate
        self.client_id = client_id
        self.client_secret = client_secret
        self.host = urllib.parse.urlsplit(base).netloc

    def client(self, secret=None):
        return duo_universal.Client(
            self.client_id,
            secret or self.client_secret,
            self.host,
            REDIRECT_URI,
            duo_certs=self.certificate,
        )

    def switches(self, **changes):
        answer = requests.post(
            f"{self.base}/_fake/switches", json=changes, verify=self.certificate, timeout=30
        )
        answer.raise_for_status()

    def press(self, auth_url, decision):
        """Shows the prompt at `auth_url` and presses `decision`; the redirect's query."""
        prompt = requests.get(auth_url, verify=self.certificate, allow_redirects=False, timeout=30)
        assert prompt.status_code == 200, f"prompt: {prompt.status_code} {prompt.text[:300]}"
        assert USERNAME in prompt.text, "the prompt does not name the user"
        action = re.search(r'<form method="post" action="([^"]+)"', prompt.text)
        transaction = re.search(r'name="txid" value="([^"]+)"', prompt.text)
        assert action and transaction, f"no decision form on the prompt: {prompt.text[:300]}"
        answer = requests.post(
            urllib.parse.urljoin(auth_url, action.group(1)),
            data={"txid": transaction.group(1), "decision": decision},
            verify=self.certificate,
            allow_redirects=False,
            timeout=30,
        )
        assert answer.status_code == 302, f"decision: {answer.status_code} {answer.text[:300]}"
        location = urllib.parse.urlsplit(answer.headers["Location"])
        redirected = location._replace(query="").geturl()
        assert redirected == REDIRECT_URI, f"redirected to {location.geturl()}"
        return dict(urllib.parse.parse_qsl(location.query))

    def sign_in(self, decision, nonce=None):
        """The Universal Prompt flow through the client; the decoded ID token."""
        client = self.client()
        state = client.generate_state()
        query = self.press(client.create_auth_url(USERNAME, state, nonce), decision)
        assert query.get("state") == state, f"state {query.get('state')!r}, sent {state!r}"
        assert "duo_code" in query, f"no duo_code in the redirect: {query}"
        return client, query["duo_code"], client.exchange_authorization_code_for_2fa_result(
            query["duo_code"], USERNAME, nonce
        )


def health_check_is_ok(fake):
    answer = fake.client().health_check()
    assert answer.get("stat") == "OK", f"health_check answered {answer}"
    assert isinstance(answer["response"]["timestamp"], int), f"no timestamp in {answer}"


def wrong_secret_health_check_raises(fake):
    try:
        answer = fake.client(WRONG_SECRET).health_check()
    except DuoException as error:
        assert "invalid_client" in str(error), f"DuoException without invalid_client: {error}"
        return
    raise AssertionError(f"a wrong secret's health check answered {answer}")


def unreachable_health_check_raises(fake):
    fake.switches(unreachable=True)
    try:
        answer = fake.client().health_check()
    except DuoException as error:
        cause = error.args[0] if error.args else None
        assert isinstance(cause, requests.ConnectionError), f"not a connection error: {error!r}"
        return
    finally:
        fake.switches(unreachable=False)
    raise AssertionError(f"an unreachable Duo answered {answer}")


def approve_is_allowed(fake):
    nonce = "n" * 24
    _, _, token = fake.sign_in("approve", nonce)
    result = token.get("auth_result", {})
    assert result.get("result") == "allow", f"auth_result {result}"
    assert token.get("preferred_username") == USERNAME, f"preferred_username {token}"
    assert token.get("nonce") == nonce, f"nonce {token.get('nonce')!r}"


def deny_is_denied(fake):
    _, _, token = fake.sign_in("deny")
    result = token.get("auth_result", {})
    assert (result.get("result"), result.get("status")) == ("deny", "deny"), f"auth_result {result}"


def code_is_good_once(fake):
    client, code, _ = fake.sign_in("approve")
    try:
        client.exchange_authorization_code_for_2fa_result(code, USERNAME)
    except DuoException as error:
        assert "invalid_grant" in str(error), f"DuoException without invalid_grant: {error}"
        return
    raise AssertionError("a code was exchanged twice")


def wrong_signature_raises(fake):
    fake.switches(wrong_signature=True)
    try:
        _, _, token = fake.sign_in("approve")
    except DuoException as error:
        assert "Signature" in str(error), f"DuoException for another reason: {error}"
        return
    finally:
        fake.switches(wrong_signature=False)
    raise AssertionError(f"an ID token with a wrong signature was accepted: {token}")


def main():
    fake = Fake(sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3], sys.argv[4])
    check("duo_universal health_check() with the client secret is OK",
          lambda: health_check_is_ok(fake))
    check("duo_universal: a wrong client secret's health_check() raises DuoException "
          "(invalid_client)", lambda: wrong_secret_health_check_raises(fake))
    check("duo_universal: an unreachable Duo's health_check() raises DuoException from a "
          "connection error", lambda: unreachable_health_check_raises(fake))
    check("duo_universal create_auth_url() -> Approve -> duo_code and state -> "
          "exchange_authorization_code_for_2fa_result() gives auth_result allow "
          "(preferred_username, nonce)", lambda: approve_is_allowed(fake))
    check("duo_universal: Deny on the prompt gives auth_result deny",
          lambda: deny_is_denied(fake))
    check("duo_universal: a duo_code is exchanged once, then DuoException (invalid_grant)",
          lambda: code_is_good_once(fake))
    check("duo_universal: an ID token signed with another secret (wrong_signature switch) "
          "raises DuoException", lambda: wrong_signature_raises(fake))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
