"""Sign-in with an organization's account (OpenID Connect): a fake issuer answers Authlib's HTTP calls (never the
internet); an existing active account whose e-mail the issuer verified is logged in, anything else is refused."""
import base64
import hashlib
import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import RSAKey
from sqlalchemy import func, select

from extensions import db
from tests.factories import make_staff
from training import services_oidc
from training.models import User

ISSUER = "https://idp.example"
CLIENT_ID = "capacita-test"


class FakeIssuer:
    """The issuer's endpoints (discovery, keys, token), answering requests' adapter; what the test sets decides the
    id token it signs."""

    def __init__(self):
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
        self.signing_key = self.key
        self.claims, self.nonce, self.challenge, self.token_calls = {}, None, None, 0

    def metadata(self):
        return {"issuer": ISSUER, "authorization_endpoint": f"{ISSUER}/authorize", "token_endpoint": f"{ISSUER}/token",
                "jwks_uri": f"{ISSUER}/jwks", "id_token_signing_alg_values_supported": ["RS256"],
                "response_types_supported": ["code"], "subject_types_supported": ["public"]}

    def token(self, form):
        self.token_calls += 1
        verifier = form["code_verifier"][0]
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        assert digest == self.challenge and form["code"] == ["the-code"]
        now = int(time.time())
        claims = {"iss": ISSUER, "sub": "person-1", "aud": CLIENT_ID, "iat": now, "exp": now + 300,
                  "nonce": self.nonce, **self.claims}
        id_token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, self.signing_key)
        return {"access_token": "access", "token_type": "Bearer", "expires_in": 300, "id_token": id_token}

    def answer(self, request):
        path = urlsplit(request.url).path
        if path == "/.well-known/openid-configuration":
            body = self.metadata()
        elif path == "/jwks":
            body = {"keys": [self.key.as_dict(private=False)]}
        elif path == "/token" and request.method == "POST":
            body = self.token(parse_qs(request.body if isinstance(request.body, str) else request.body.decode()))
        else:
            raise AssertionError(f"unexpected call {request.method} {request.url}")
        response = requests.Response()
        response.status_code, response.url = 200, request.url
        response.headers["Content-Type"] = "application/json"
        response._content = json.dumps(body).encode()
        return response


@pytest.fixture
def issuer(app, monkeypatch):
    """A generic issuer configured for the app (and unconfigured again afterwards)."""
    fake = FakeIssuer()
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", lambda _adapter, request, **_kw: fake.answer(request))
    saved = (dict(app.config), app.extensions[services_oidc.KEY])
    app.config.update(OIDC_ISSUER_URL=ISSUER, OIDC_CLIENT_ID=CLIENT_ID, OIDC_CLIENT_SECRET="s3cret",
                      OIDC_LABEL="Red Interamericana")
    services_oidc.init_app(app)
    yield fake
    app.config.clear()
    app.config.update(saved[0])
    app.extensions[services_oidc.KEY] = saved[1]


@pytest.fixture
def staff(app):
    with app.app_context():
        make_staff("admin", "ana@example.org", "Ana")
        make_staff("admin", "gone@example.org", "Gone", active=False)
        db.session.commit()


def start(client, issuer, query=""):
    response = client.get("/login/oidc/oidc" + query)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{ISSUER}/authorize"
    query = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert query["redirect_uri"].endswith("/login/oidc/oidc/callback") and query["code_challenge_method"] == "S256"
    issuer.nonce, issuer.challenge = query["nonce"], query["code_challenge"]
    return query["state"]


def sign_in(client, issuer, query="", **claims):
    issuer.claims = claims
    state = start(client, issuer, query)
    return client.get(f"/login/oidc/oidc/callback?code=the-code&state={state}")


def signed_in(client):
    return client.get("/programs").status_code == 200


def test_a_verified_email_of_an_active_account_logs_it_in(client, issuer, staff):
    response = sign_in(client, issuer, email="Ana@Example.org", email_verified=True)
    assert response.headers["Location"] == "/programs"
    assert signed_in(client)


def test_the_sign_in_leads_where_the_login_page_was_asked_to(client, issuer, staff):
    page = client.get("/login?next=/portfolio%3Fyear%3D2026").get_data(as_text=True)
    assert 'href="/login/oidc/oidc?next=/portfolio?year%3D2026"' in page
    response = sign_in(client, issuer, "?next=/portfolio?year%3D2026", email="ana@example.org", email_verified=True)
    assert response.headers["Location"] == "/portfolio?year=2026"
    client.get("/logout")
    response = sign_in(client, issuer, "?next=https://evil.example/", email="ana@example.org",
                       email_verified=True)  # never elsewhere
    assert response.headers["Location"] == "/programs"


def test_the_button_shows_only_when_a_provider_is_configured(client, app):
    page = client.get("/login").get_data(as_text=True)
    assert "/login/oidc/" not in page
    assert client.get("/login/oidc/oidc").status_code == 404
    assert client.get("/login/oidc/google/callback?code=x&state=y").status_code == 404


def test_the_configured_button_is_on_the_login_page(client, issuer):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/login/oidc/oidc"' in page and "Red Interamericana" in page


@pytest.mark.parametrize("claims", [
    {"email": "ana@example.org", "email_verified": False},
    {"email": "ana@example.org"},
    {"email": "nobody@example.org", "email_verified": True},
    {"email": "gone@example.org", "email_verified": True},
    {"email_verified": True},
], ids=["unverified", "verification unsaid", "unknown account", "inactive account", "no e-mail"])
def test_refusals_log_nobody_in_and_create_no_account(app, client, issuer, staff, claims):
    response = sign_in(client, issuer, **claims)
    assert response.headers["Location"] == "/login"
    assert not signed_in(client)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 2


def test_a_state_that_is_not_this_browsers_is_refused_before_any_token_is_fetched(app, client, issuer, staff):
    issuer.claims = {"email": "ana@example.org", "email_verified": True}
    start(client, issuer)
    response = client.get("/login/oidc/oidc/callback?code=the-code&state=forged")
    assert response.headers["Location"] == "/login"
    assert issuer.token_calls == 0 and not signed_in(client)
    # A callback in another browser (an attacker's link) finds no state at all.
    assert app.test_client().get("/login/oidc/oidc/callback?code=the-code&state=forged").status_code == 302


def test_an_id_token_for_another_sign_in_or_signed_by_another_key_is_refused(client, issuer, staff):
    issuer.signing_key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    assert sign_in(client, issuer, email="ana@example.org", email_verified=True).headers["Location"] == "/login"
    assert not signed_in(client)
    issuer.signing_key = issuer.key
    assert sign_in(client, issuer, email="ana@example.org", email_verified=True, nonce="replayed") \
        .headers["Location"] == "/login"
    assert sign_in(client, issuer, email="ana@example.org", email_verified=True, iss="https://evil.example") \
        .headers["Location"] == "/login"
    assert not signed_in(client)


def test_an_error_sent_back_by_the_issuer_is_refused(client, issuer, staff):
    state = start(client, issuer)
    response = client.get(f"/login/oidc/oidc/callback?error=access_denied&state={state}")
    assert response.headers["Location"] == "/login" and not signed_in(client)


def test_an_unreachable_issuer_leaves_the_password_login(client, issuer, staff, monkeypatch):
    def down(_adapter, request, **_kw):
        raise requests.ConnectionError("no route")

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", down)
    response = client.get("/login/oidc/oidc")
    assert response.headers["Location"] == "/login"


@pytest.mark.parametrize("name, claims, expected", [
    ("microsoft", {"email": "Ana@Example.org"}, None),  # an e-mail a tenant's administrator may have typed
    ("microsoft", {"email": "Ana@Example.org", "xms_edov": True}, "ana@example.org"),
    ("microsoft", {"email": "ana@example.org", "email_verified": True}, "ana@example.org"),
    ("google", {"email": "ana@example.org", "xms_edov": True}, None),
    ("google", {"email": "ana@example.org", "email_verified": "true"}, "ana@example.org"),
    ("oidc", {"email": ["ana@example.org"], "email_verified": True}, None),
])
def test_which_emails_count_as_verified(name, claims, expected):
    assert services_oidc.verified_email(name, claims) == expected


def test_microsofts_multi_tenant_issuer_is_checked_against_the_tokens_tenant():
    class Client:
        def load_server_metadata(self):
            return {"issuer": "https://login.microsoftonline.com/{tenantid}/v2.0"}

    check = services_oidc.claims_options("microsoft", Client())["iss"]["validate"]
    assert check({"tid": "t-1"}, "https://login.microsoftonline.com/t-1/v2.0")
    assert not check({"tid": "t-1"}, "https://login.microsoftonline.com/t-2/v2.0")
