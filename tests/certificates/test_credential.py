"""The Open Badges 3.0 credential as a VC-JOSE JWT: it verifies with the published JWKS, and fails after one
byte of the payload changes, with a wrong key, after revocation, when expired, and on anything malformed —
always as a CredentialError with a Japanese message, never a crash."""

import base64
import json
import random
from datetime import UTC, datetime, timedelta

import pytest

from dxpool.certificates.credential import (
    CONTEXTS,
    TYPES,
    CredentialError,
    build_credential,
    build_status_list,
    generate_key,
    public_jwks,
    read_status_list,
    sign_credential,
    sign_status_list,
    verify_credential,
)

from .conftest import BASE, make_cert

ISSUER = BASE + "/"
LIST_URL = BASE + "/verify/revocations.jwt"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


@pytest.fixture
def issued(cert, key):
    vc = build_credential(cert, issuer_id=ISSUER, status_list_url=LIST_URL)
    return cert, vc, sign_credential(vc, key)


def status_list(key, revoked=None, *, list_id=LIST_URL, issuer=ISSUER):
    return sign_status_list(build_status_list(revoked or {}, list_id=list_id, issuer_id=issuer, updated=NOW), key)


def test_the_credential_is_an_open_badge_30_verifiable_credential(issued):
    cert, vc, _ = issued
    assert vc["@context"] == CONTEXTS and vc["type"] == TYPES
    assert vc["id"] == cert.verification_url
    assert vc["issuer"] == {"id": ISSUER, "type": ["Profile"], "name": "長崎県知事"}
    assert vc["validFrom"] == "2026-05-11T00:00:00+09:00"
    subject = vc["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"][0] == {"type": "IdentityObject", "identityType": "name", "hashed": False,
                                        "identityHash": "山﨑 花子"}
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"] and achievement["name"] == cert.course_title
    assert all(s in achievement["criteria"]["narrative"] for s in cert.subjects)
    assert achievement["id"].startswith("urn:uuid:") and achievement["description"]
    assert vc["credentialStatus"] == {"id": f"{LIST_URL}#{cert.certificate_id}", "type": "DxpoolRevocationList"}


def test_the_header_is_vc_jwt_eddsa_with_the_keys_kid(issued, key):
    _, _, token = issued
    header = json.loads(unb64(token.split(".")[0]))
    assert header == {"alg": "EdDSA", "typ": "vc+jwt", "kid": key["kid"]}
    # VC-JOSE-COSE: the payload is the credential itself.
    assert json.loads(unb64(token.split(".")[1]))["type"] == TYPES


def test_the_published_jwks_holds_no_private_part(key):
    jwks = public_jwks([key])
    assert jwks == {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": key["x"], "kid": key["kid"], "alg": "EdDSA",
                              "use": "sig"}]}
    assert all("d" not in k for k in jwks["keys"]) and key["d"] not in json.dumps(jwks)


def test_it_verifies_with_the_published_key(issued, key):
    cert, _, token = issued
    other = generate_key()
    result = verify_credential(token, public_jwks([other, key]), now=NOW)  # a JWKS during a key rotation
    assert (result.certificate_id, result.holder_name, result.course_title) == \
        (cert.certificate_id, cert.holder_name, cert.course_title)
    assert result.kid == key["kid"] and result.status == "unchecked" and result.issuer_name == "長崎県知事"
    # As bytes with a trailing newline, as a downloaded file reads.
    assert verify_credential((token + "\n").encode(), public_jwks([key]), now=NOW).status == "unchecked"


def test_it_fails_after_one_byte_of_the_payload_changes(issued, key):
    _, _, token = issued
    head, payload, sig = token.split(".")
    raw = bytearray(unb64(payload))
    at = raw.index("山﨑".encode())
    raw[at + 2] ^= 0x01  # one byte of the holder's name
    with pytest.raises(CredentialError) as info:
        verify_credential(f"{head}.{b64(bytes(raw))}.{sig}", public_jwks([key]), now=NOW)
    assert info.value.code == "signature" and "署名が正しくありません" in info.value.message
    # Every single-character change of the encoded payload fails too (signature, or unreadable).
    rng = random.Random(14)
    for i in rng.sample(range(len(payload)), 40):
        c = rng.choice([ch for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                        if ch != payload[i]])
        tampered = f"{head}.{payload[:i]}{c}{payload[i + 1:]}.{sig}"
        with pytest.raises(CredentialError):
            verify_credential(tampered, public_jwks([key]), now=NOW)


def test_it_fails_with_a_wrong_key(issued, key):
    _, _, token = issued
    impostor = generate_key()
    with pytest.raises(CredentialError) as info:
        verify_credential(token, public_jwks([impostor]), now=NOW)
    assert info.value.code == "unknown_key" and "JWKS" in info.value.message
    # The impostor's key published under the right kid: the signature does not check out.
    forged = {"keys": [{**public_jwks([impostor])["keys"][0], "kid": key["kid"]}]}
    with pytest.raises(CredentialError) as info:
        verify_credential(token, forged, now=NOW)
    assert info.value.code == "signature"
    # A credential signed by the impostor under the genuine kid fails as well.
    vc = json.loads(unb64(token.split(".")[1]))
    fake = sign_credential(vc, {**impostor, "kid": key["kid"]})
    with pytest.raises(CredentialError) as info:
        verify_credential(fake, public_jwks([key]), now=NOW)
    assert info.value.code == "signature"


def test_it_fails_after_revocation_in_the_exported_list(issued, key):
    cert, _, token = issued
    jwks = public_jwks([key])
    ok = verify_credential(token, jwks, status_list(key, {"someone-else": {"at": "2026-05-01", "reason": "x"}}),
                           now=NOW)
    assert ok.status == "valid" and ok.status_list_updated == NOW
    revoked = status_list(key, {cert.certificate_id: {"at": "2026-05-20", "reason": "受講記録の誤り"}})
    with pytest.raises(CredentialError) as info:
        verify_credential(token, jwks, revoked, now=NOW)
    e = info.value
    assert e.code == "revoked" and (e.revoked_at, e.reason) == ("2026-05-20", "受講記録の誤り")
    assert e.message == "この修了証は2026年5月20日に取り消されています（理由: 受講記録の誤り）。"
    # The app's own list (a dict from its database) is read the same way.
    plain = build_status_list({cert.certificate_id: {"at": "2026-05-20", "reason": ""}}, list_id=LIST_URL,
                              issuer_id=ISSUER, updated=NOW)
    with pytest.raises(CredentialError, match="記載なし"):
        verify_credential(token, jwks, plain, now=NOW)


def test_a_forged_or_foreign_revocation_list_is_refused(issued, key):
    cert, _, token = issued
    jwks = public_jwks([key])
    with pytest.raises(CredentialError) as info:  # a list signed by someone else: says nothing about revocation
        verify_credential(token, jwks, status_list(generate_key()), now=NOW)
    assert info.value.code == "unknown_key"
    with pytest.raises(CredentialError) as info:  # another prefecture's list
        verify_credential(token, jwks, status_list(key, list_id="https://other.example.jp/verify/revocations.jwt"),
                          now=NOW)
    assert info.value.code == "status_list"
    with pytest.raises(CredentialError) as info:  # a credential passed where the list belongs
        verify_credential(token, jwks, token, now=NOW)
    assert info.value.code == "header"
    with pytest.raises(CredentialError) as info:
        read_status_list({"revoked": []}, jwks)
    assert info.value.code == "status_list"


def test_it_fails_when_expired_or_not_yet_valid(cert, key):
    jwks = public_jwks([key])
    until = datetime(2027, 5, 11, tzinfo=UTC)
    token = sign_credential(build_credential(cert, issuer_id=ISSUER, status_list_url=LIST_URL, valid_until=until),
                            key)
    assert verify_credential(token, jwks, now=until - timedelta(days=1)).valid_until == until
    with pytest.raises(CredentialError) as info:
        verify_credential(token, jwks, now=until + timedelta(days=1))
    assert info.value.code == "expired" and "2027年5月11日 09:00" in info.value.message
    with pytest.raises(CredentialError) as info:
        verify_credential(token, jwks, now=datetime(2026, 5, 1, tzinfo=UTC))
    assert info.value.code == "not_yet_valid"


def test_ed25519_the_rfc_9864_name_is_accepted_too(issued, key):
    _, vc, _ = issued
    from joserfc import jws
    from joserfc.jwk import OKPKey
    from joserfc.jws import JWSRegistry

    k = OKPKey.import_key({f: key[f] for f in ("kty", "crv", "x", "d")})
    body = json.dumps(vc, ensure_ascii=False).encode()
    token = jws.serialize_compact({"alg": "Ed25519", "typ": "vc+jwt", "kid": key["kid"]}, body, k,
                                  registry=JWSRegistry(algorithms=["Ed25519"]))
    assert verify_credential(token, public_jwks([key]), now=NOW).kid == key["kid"]


def _token(header: dict, payload: dict | bytes, sig: str = "c2ln") -> str:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return f"{b64(json.dumps(header).encode())}.{b64(body)}.{sig}"


@pytest.mark.parametrize(("token", "code"), [
    ("", "malformed"), ("not a jwt", "malformed"), ("a.b", "malformed"), ("a..c", "malformed"),
    ("%%%.%%%.%%%", "malformed"), ("x" * 70_000, "malformed"), (b"\xff\xfe", "malformed"), (None, "malformed"),
    (_token({"alg": "none", "typ": "vc+jwt", "kid": "k"}, {}), "header"),
    (_token({"alg": "HS256", "typ": "vc+jwt", "kid": "k"}, {}), "header"),
    (_token({"alg": "EdDSA", "typ": "JWT", "kid": "k"}, {}), "header"),
    (_token({"alg": "EdDSA", "typ": "vc+jwt"}, {}), "header"),
    (_token({"alg": "EdDSA", "typ": "vc+jwt", "kid": "k", "jku": "https://evil.example/"}, {}), "header"),
    (_token({"alg": "EdDSA", "typ": "vc+jwt", "kid": "unknown"}, {}), "unknown_key"),
    (f"{b64(b'[1]')}.{b64(b'{}')}.c2ln", "malformed"),
])
def test_malformed_tokens_are_refused_in_japanese(token, code, key):
    with pytest.raises(CredentialError) as info:
        verify_credential(token, public_jwks([key]), now=NOW)
    assert info.value.code == code and info.value.message


@pytest.mark.parametrize("jwks", [None, {}, {"keys": "x"}, [], {"keys": [{"kid": "k"}]}])
def test_a_broken_jwks_is_refused(issued, jwks):
    _, _, token = issued
    with pytest.raises(CredentialError) as info:
        verify_credential(token, jwks, now=NOW)
    assert info.value.code in ("jwks", "unknown_key")


def test_a_signed_payload_that_is_not_an_open_badge_is_refused(key):
    jwks = public_jwks([key])
    for payload in ({}, {"@context": CONTEXTS, "type": ["VerifiableCredential"]},
                    {"@context": CONTEXTS, "type": TYPES, "issuer": ISSUER}):
        with pytest.raises(CredentialError) as info:
            verify_credential(sign_credential(payload, key), jwks, now=NOW)
        assert info.value.code == "content"


def test_random_garbage_never_crashes(key):
    jwks = public_jwks([key])
    rng = random.Random(5)
    alphabet = "abcXYZ019-_.=+/ 　山\n{}\"'"
    for _ in range(300):
        token = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        with pytest.raises(CredentialError):
            verify_credential(token, jwks, now=NOW)


def test_signing_needs_the_private_key(cert, key):
    vc = build_credential(cert, issuer_id=ISSUER, status_list_url=LIST_URL)
    with pytest.raises(CredentialError, match="秘密鍵"):
        sign_credential(vc, public_jwks([key])["keys"][0])
    with pytest.raises(CredentialError, match="Ed25519"):
        sign_credential(vc, {"kty": "RSA", "n": "x", "e": "AQAB"})


def test_keys_are_new_each_time_and_identified_by_their_thumbprint():
    a, b = generate_key(), generate_key()
    assert a["d"] != b["d"] and a["kid"] != b["kid"] and len(a["kid"]) == 43


def test_no_key_file_is_written(tmp_path, monkeypatch, cert, key):
    monkeypatch.chdir(tmp_path)
    generate_key()
    sign_credential(build_credential(cert, issuer_id=ISSUER, status_list_url=LIST_URL), key)
    assert list(tmp_path.iterdir()) == []


def test_a_certificate_without_birth_date_or_e_mail_in_the_credential(key):
    from datetime import date

    vc = build_credential(make_cert(holder_birth_date=date(1985, 4, 1)), issuer_id=ISSUER, status_list_url=LIST_URL)
    text = json.dumps(vc, ensure_ascii=False)
    assert "1985" not in text and "@" not in text.replace("@context", "")
