"""Sign-in with an organization's account (OpenID Connect through Authlib): the providers configured, and the active
staff account a provider's verified e-mail names. It never creates accounts nor grants roles."""
from dataclasses import dataclass

from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import current_app
from joserfc.errors import JoseError
from requests import RequestException

from .services import user_by_email

KEY = "capacita_oidc"
# What a provider's answer can fail with: a state or nonce that is not this browser's, an error it sends back, a
# token whose signature or claims do not hold, a provider that cannot be reached or answers nonsense.
SIGN_IN_ERRORS = (OAuthError, JoseError, RequestException, ValueError, KeyError, TypeError)
TRUE = (True, "true", "1", 1)


@dataclass(frozen=True)
class Provider:
    name: str  # in the URL: microsoft, google, oidc
    label: str  # on the button
    metadata_url: str


def configured_providers(config):
    """The providers whose client id and secret are set, in the order the login page shows them."""
    found = []
    if config["OIDC_MICROSOFT_CLIENT_ID"] and config["OIDC_MICROSOFT_CLIENT_SECRET"]:
        tenant = config["OIDC_MICROSOFT_TENANT"] or "organizations"
        found.append(Provider("microsoft", "Microsoft", f"https://login.microsoftonline.com/{tenant}/v2.0/"
                                                        ".well-known/openid-configuration"))
    if config["OIDC_GOOGLE_CLIENT_ID"] and config["OIDC_GOOGLE_CLIENT_SECRET"]:
        found.append(Provider("google", "Google",
                              "https://accounts.google.com/.well-known/openid-configuration"))
    if config["OIDC_ISSUER_URL"] and config["OIDC_CLIENT_ID"] and config["OIDC_CLIENT_SECRET"]:
        found.append(Provider("oidc", config["OIDC_LABEL"] or "",
                              config["OIDC_ISSUER_URL"].rstrip("/") + "/.well-known/openid-configuration"))
    return found


def init_app(app):
    """An Authlib client per configured provider (none: the login page shows no button)."""
    oauth = OAuth(app)
    providers = configured_providers(app.config)
    prefixes = {"microsoft": "OIDC_MICROSOFT_", "google": "OIDC_GOOGLE_", "oidc": "OIDC_"}
    for provider in providers:
        prefix = prefixes[provider.name]
        oauth.register(provider.name, client_id=app.config[f"{prefix}CLIENT_ID"],
                       client_secret=app.config[f"{prefix}CLIENT_SECRET"], server_metadata_url=provider.metadata_url,
                       client_kwargs={"scope": "openid email profile", "timeout": 10,
                                      "code_challenge_method": "S256"})
    app.extensions[KEY] = (oauth, {provider.name: provider for provider in providers})


def providers():
    return list(current_app.extensions[KEY][1].values())


def client_for(name):
    """The Authlib client of the configured provider `name`, else None."""
    oauth, configured = current_app.extensions[KEY]
    return oauth.create_client(name) if name in configured else None


def redirect_uri(name):
    # Built on the configured public address, never on the Host header (as personal links are).
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}/login/oidc/{name}/callback"


def claims_options(name, client):
    """How the id token's issuer is checked: Microsoft's multi-tenant endpoints name {tenantid} in their metadata,
    and each token names its own tenant (`tid`) there."""
    issuer = client.load_server_metadata().get("issuer", "")
    if name == "microsoft" and "{tenantid}" in issuer:
        def tenant_issuer(claims, value):
            return value == issuer.replace("{tenantid}", str(claims.get("tid")))

        return {"iss": {"essential": True, "validate": tenant_issuer}}
    return {"iss": {"essential": True, "value": issuer}}


def verified_email(name, claims):
    """The e-mail the provider vouches for, lower-cased, else None. Google and standard issuers say `email_verified`;
    Microsoft says `xms_edov` (the e-mail's domain is verified by its tenant) once the app registration asks for it:
    a Microsoft `email` alone can be typed by a tenant's administrator, any e-mail at all."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        return None
    verified = claims.get("email_verified") in TRUE or (name == "microsoft" and claims.get("xms_edov") in TRUE)
    return email.strip().lower() if verified else None


def account_for(email):
    """The active staff account `email` is, else None."""
    user = user_by_email(email) if email else None
    return user if user is not None and user.active else None
