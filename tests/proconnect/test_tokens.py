"""ProConnect's signed answers, checked without a provider: keys made here, tokens signed here."""

import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from opennrm.web.proconnect.tokens import (
    ProConnectTokenError,
    parse_jwks,
    proves_mfa,
    verify_id_token,
    verify_userinfo,
)

ISSUER = "https://proconnect.fictional.invalid/api/v2"
CLIENT_ID = "fictional-client"
NONCE = "n" * 43


@pytest.fixture(scope="module")
def key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def jwks(key):
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return {"keys": [{**public, "kid": "k1", "use": "sig", "alg": "RS256"}]}


def claims(**overrides):
    now = int(time.time())
    return {
        "iss": ISSUER,
        "aud": CLIENT_ID,
        "sub": "sub-fictional",
        "iat": now,
        "exp": now + 60,
        "nonce": NONCE,
        "acr": "eidas1",
        "amr": ["pwd"],
        **overrides,
    }


def sign(payload, key, kid="k1", algorithm="RS256"):
    return jwt.encode(payload, key, algorithm=algorithm, headers={"kid": kid})


def check_id_token(token, jwks, nonce=NONCE):
    return verify_id_token(
        token, jwks=jwks, algorithm="RS256", issuer=ISSUER, client_id=CLIENT_ID, nonce=nonce
    )


def check_userinfo(token, jwks, subject="sub-fictional"):
    return verify_userinfo(
        token, jwks=jwks, algorithm="RS256", issuer=ISSUER, client_id=CLIENT_ID, subject=subject
    )


def test_a_good_id_token_is_read(key, jwks):
    assert check_id_token(sign(claims(), key), jwks)["sub"] == "sub-fictional"


def test_an_id_token_signed_by_another_key_is_refused(jwks):
    rogue = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(ProConnectTokenError, match="Signature verification failed"):
        check_id_token(sign(claims(), rogue), jwks)


def test_an_id_token_with_another_nonce_is_refused(key, jwks):
    with pytest.raises(ProConnectTokenError, match="nonce"):
        check_id_token(sign(claims(nonce="m" * 43), key), jwks)


def test_an_id_token_without_nonce_is_refused(key, jwks):
    payload = claims()
    del payload["nonce"]
    with pytest.raises(ProConnectTokenError, match="nonce"):
        check_id_token(sign(payload, key), jwks)


def test_a_login_that_sent_no_nonce_accepts_no_id_token(key, jwks):
    with pytest.raises(ProConnectTokenError, match="No nonce"):
        check_id_token(sign(claims(), key), jwks, nonce=None)


@pytest.mark.parametrize(
    "overrides",
    [
        {"iss": "https://elsewhere.fictional.invalid"},
        {"aud": "another-client"},
        {"exp": int(time.time()) - 3600},
    ],
)
def test_an_id_token_for_someone_else_or_expired_is_refused(key, jwks, overrides):
    with pytest.raises(ProConnectTokenError):
        check_id_token(sign(claims(**overrides), key), jwks)


def test_an_unsigned_or_symmetric_token_is_refused(jwks):
    unsigned = jwt.encode(claims(), None, algorithm="none")
    with pytest.raises(ProConnectTokenError, match="not RS256"):
        check_id_token(unsigned, jwks)
    hmac = jwt.encode(claims(), "a shared secret of 32 bytes or more!!", algorithm="HS256")
    with pytest.raises(ProConnectTokenError, match="not RS256"):
        check_id_token(hmac, jwks)


def test_an_unknown_key_id_is_refused(key, jwks):
    with pytest.raises(ProConnectTokenError, match="No key"):
        check_id_token(sign(claims(), key, kid="unknown"), jwks)


def test_es256_is_accepted_when_registered():
    key = ec.generate_private_key(ec.SECP256R1())
    public = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
    jwks = {"keys": [{**public, "kid": "e1", "use": "sig"}]}
    token = sign(claims(), key, kid="e1", algorithm="ES256")
    read = verify_id_token(
        token, jwks=jwks, algorithm="ES256", issuer=ISSUER, client_id=CLIENT_ID, nonce=NONCE
    )
    assert read["sub"] == "sub-fictional"
    with pytest.raises(ProConnectTokenError, match="Unsupported"):
        verify_id_token(
            token, jwks=jwks, algorithm="HS256", issuer=ISSUER, client_id=CLIENT_ID, nonce=NONCE
        )


def test_a_good_userinfo_answer_is_read(key, jwks):
    payload = {"sub": "sub-fictional", "email": "agent@fictional.invalid", "iss": ISSUER}
    assert check_userinfo(sign({**payload, "aud": CLIENT_ID}, key), jwks)["email"] == (
        "agent@fictional.invalid"
    )


def test_a_userinfo_answer_signed_by_another_key_is_refused(jwks):
    rogue = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(ProConnectTokenError, match="Signature verification failed"):
        check_userinfo(sign({"sub": "sub-fictional"}, rogue), jwks)


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"sub": "someone-else"}, "someone else"),
        ({"sub": "sub-fictional", "iss": "https://elsewhere.invalid"}, "another issuer"),
        ({"sub": "sub-fictional", "aud": "another-client"}, "another service"),
    ],
)
def test_a_userinfo_answer_about_or_for_someone_else_is_refused(key, jwks, payload, reason):
    with pytest.raises(ProConnectTokenError, match=reason):
        check_userinfo(sign(payload, key), jwks)


def test_a_jwks_that_is_no_jwks_is_refused():
    with pytest.raises(ProConnectTokenError):
        parse_jwks(b"<html>")
    with pytest.raises(ProConnectTokenError):
        parse_jwks(b'{"keys": "none"}')


@pytest.mark.parametrize(
    ("acr", "amr", "expected"),
    [
        ("eidas1", ["pwd"], False),
        ("eidas1", ["pwd", "totp"], True),
        ("eidas1", ["mfa"], True),
        ("eidas2", ["pwd"], True),
        ("eidas1", "totp", False),  # not a list: not trusted
        (None, None, False),
    ],
)
def test_which_sign_ins_prove_a_second_factor(acr, amr, expected):
    token = {"acr": acr, "amr": amr}
    assert proves_mfa(token, acr_values=["eidas2"], amr_values=["mfa", "totp"]) is expected
