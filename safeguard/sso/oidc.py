"""The OpenID Connect client: discovery, the authorisation-code flow with PKCE, and the ID token check.

authlib's ``OAuth2Session`` builds the authorisation URL (with the S256 code challenge) and exchanges
the code; joserfc verifies the ID token's signature against the provider's JWKS and its claims
(issuer, audience, expiry, nonce). Both are built per request from the organisation's own
configuration, so every organisation has its own provider. Every failure is an ``OidcError`` whose
message is fit to show a person.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import ExpiredTokenError, InvalidClaimError, JoseError, MissingClaimError
from joserfc.jwk import KeySet

from .models import MFA_AMR_VALUES, IdentityProvider

log = logging.getLogger("safeguard.sso")
TIMEOUT = 5  # seconds: a person is waiting
SIGNING_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"]
LEEWAY = 60


class OidcError(Exception):
    """A plain-words reason the sign-in or the connection test did not work."""


@dataclass
class Discovery:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    auth_methods: list[str]


@dataclass
class Flow:
    url: str
    state: str
    nonce: str
    code_verifier: str


def _get_json(url: str, what: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=TIMEOUT, headers={"Accept": "application/json"})
    except requests.RequestException as exc:
        raise OidcError(f"Could not reach {what} at {url}: {type(exc).__name__}.") from exc
    if response.status_code != 200:
        raise OidcError(f"{what.capitalize()} at {url} answered HTTP {response.status_code}.")
    try:
        data = response.json()
    except ValueError as exc:
        raise OidcError(f"{what.capitalize()} at {url} is not JSON.") from exc
    if not isinstance(data, dict):
        raise OidcError(f"{what.capitalize()} at {url} is not a JSON object.")
    return data


def discover(provider: IdentityProvider) -> Discovery:
    data = _get_json(provider.discovery_url, "the discovery document")
    missing = [
        k
        for k in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
        if not isinstance(data.get(k), str) or not data.get(k)
    ]
    if missing:
        raise OidcError("The discovery document does not give " + ", ".join(missing) + ".")
    configured = provider.issuer.rstrip("/").removesuffix("/.well-known/openid-configuration")
    if data["issuer"].rstrip("/") != configured.rstrip("/"):
        raise OidcError(
            f"The discovery document names the issuer {data['issuer']}, not {configured}: "
            "check the issuer URL (for Entra ID it ends in /v2.0)."
        )
    methods = data.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    return Discovery(
        data["issuer"],
        data["authorization_endpoint"],
        data["token_endpoint"],
        data["jwks_uri"],
        [m for m in methods if isinstance(m, str)],
    )


def signing_keys(discovery: Discovery) -> KeySet:
    data = _get_json(discovery.jwks_uri, "the signing keys (JWKS)")
    try:
        keys = KeySet.import_key_set(data)  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise OidcError("The provider's signing keys (JWKS) could not be read.") from exc
    if not keys.keys:
        raise OidcError("The provider publishes no signing keys (JWKS is empty).")
    return keys


def _session(
    provider: IdentityProvider, discovery: Discovery, redirect_uri: str, **kwargs: Any
) -> OAuth2Session:
    method = (
        "client_secret_basic" if "client_secret_basic" in discovery.auth_methods else "client_secret_post"
    )
    return OAuth2Session(
        provider.client_id,
        provider.client_secret,
        scope="openid email profile",
        redirect_uri=redirect_uri,
        token_endpoint_auth_method=method,
        code_challenge_method="S256",
        **kwargs,
    )


def start(provider: IdentityProvider, redirect_uri: str, *, login_hint: str = "") -> Flow:
    discovery = discover(provider)
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    extra: dict[str, str] = {"nonce": nonce}
    if login_hint:
        extra["login_hint"] = login_hint
    if provider.acr_values:
        extra["acr_values"] = " ".join(provider.acr_values)
    client = _session(provider, discovery, redirect_uri)
    url, _ = client.create_authorization_url(
        discovery.authorization_endpoint, state=state, code_verifier=verifier, **extra
    )
    return Flow(url, state, nonce, verifier)


def finish(
    provider: IdentityProvider, redirect_uri: str, *, code: str, code_verifier: str, nonce: str
) -> dict[str, Any]:
    """The verified claims of the ID token the provider returns for ``code``."""
    discovery = discover(provider)
    client = _session(provider, discovery, redirect_uri)
    try:
        token = client.fetch_token(
            discovery.token_endpoint, code=code, code_verifier=code_verifier, timeout=TIMEOUT
        )
    except requests.RequestException as exc:
        raise OidcError("Could not reach the provider to finish signing in.") from exc
    except Exception as exc:  # authlib raises OAuthError and others for refusals
        log.info("sso: token exchange refused: %s", type(exc).__name__)
        raise OidcError("The provider refused to finish signing in. Start again.") from exc
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise OidcError("The provider did not send an ID token.")
    return verify_id_token(
        id_token, signing_keys(discovery), issuer=discovery.issuer, client_id=provider.client_id, nonce=nonce
    )


def verify_id_token(
    id_token: str, keys: KeySet, *, issuer: str, client_id: str, nonce: str
) -> dict[str, Any]:
    try:
        decoded = jwt.decode(id_token, keys, algorithms=SIGNING_ALGORITHMS)
    except JoseError as exc:
        raise OidcError(
            "The provider's sign-in could not be verified (the signature does not match)."
        ) from exc
    except (ValueError, TypeError) as exc:
        raise OidcError("The provider's sign-in could not be read.") from exc
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY,
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": client_id},
        sub={"essential": True},
        exp={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    claims = dict(decoded.claims)
    try:
        registry.validate(claims)
    except ExpiredTokenError as exc:
        raise OidcError("The provider's sign-in has expired. Start again.") from exc
    except (InvalidClaimError, MissingClaimError) as exc:
        raise OidcError(f"The provider's sign-in is not for this service ({exc.claim} claim).") from exc
    except JoseError as exc:
        raise OidcError("The provider's sign-in could not be verified.") from exc
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise OidcError("The provider's sign-in is not for this service (azp claim).")
    return claims


def provider_says_mfa(provider: IdentityProvider, claims: dict[str, Any]) -> bool:
    """The provider used more than a password, and the organisation trusts it to say so."""
    if not provider.accept_provider_mfa:
        return False
    amr = claims.get("amr")
    if isinstance(amr, list) and MFA_AMR_VALUES.intersection(str(v) for v in amr):
        return True
    return bool(provider.acr_values) and str(claims.get("acr", "")) in provider.acr_values


def verified_email(claims: dict[str, Any]) -> str | None:
    """The e-mail the provider vouches for: ``email_verified`` true (Entra ID: ``xms_edov`` true)."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        return None
    if claims.get("email_verified") is True or claims.get("xms_edov") is True:
        return email.strip().lower()
    return None


def test_connection(provider: IdentityProvider) -> list[tuple[bool, str]]:
    """What worked and what did not, in order, for the settings page; never raises."""
    results: list[tuple[bool, str]] = []
    try:
        discovery = discover(provider)
        results.append((True, f"Found the discovery document; the issuer is {discovery.issuer}."))
        keys = signing_keys(discovery)
        results.append((True, f"Found {len(keys.keys)} signing key(s) at {discovery.jwks_uri}."))
    except OidcError as exc:
        results.append((False, str(exc)))
    except Exception:  # any other failure is still a plain answer, not a 500
        log.exception("sso: connection test failed unexpectedly")
        results.append((False, "The test failed unexpectedly. Check the issuer URL and try again."))
    if not provider.client_secret:
        results.append((False, "No client secret is saved: enter the secret from the provider."))
    return results


def directory_token(provider: IdentityProvider) -> str:
    """An access token for the users endpoint (client-credentials grant)."""
    discovery = discover(provider)
    client = _session(provider, discovery, "")
    try:
        token = client.fetch_token(
            discovery.token_endpoint,
            grant_type="client_credentials",
            scope=provider.users_endpoint_scope or None,
            timeout=TIMEOUT,
        )
    except Exception as exc:
        raise OidcError("The provider refused a token for the users endpoint.") from exc
    return str(token["access_token"])
