"""The machine-verifiable twin of a 修了証: an Open Badges 3.0 credential (a W3C Verifiable Credential 2.0)
secured as a JWT signed with the prefecture's Ed25519 key (VC-JOSE-COSE), its public keys as a JWKS, a signed
revocation list, and the offline check `verify_credential` behind `dxpool verify-credential FILE`.

Choices, and why:

- The JWT's payload is the credential itself (VC-JOSE-COSE 2.0: no `vc` claim), header
  `{"alg": "EdDSA", "typ": "vc+jwt", "kid": …}`. `EdDSA` (RFC 8037) is the name today's Open Badges and VC
  verifiers know; RFC 9864 renames it `Ed25519` and joserfc warns about the old name, so the warning is silenced
  where we sign and verification accepts both names (switching is the one constant ALG).
- Keys are JWK dicts made by `generate_key()`; the `kid` is the key's RFC 7638 thumbprint, so a JWKS can hold
  the old and the new key during a rotation and each credential names its own. The app stores the private key
  outside the repository (a command generates it; nothing here writes a file).
- Revocation is a simple signed list rather than a W3C Bitstring Status List: the verification page shows a
  revoked certificate's date and reason, which a bitstring cannot carry, and a prefecture issues hundreds, not
  millions, so privacy by herd (the bitstring's reason to exist) buys little. The list is a JSON object
  `{"type": "DxpoolRevocationList", "id": <its URL>, "issuer": <issuer id>, "updated": <date-time>,
  "revoked": {<certificate id>: {"at": "2026-05-20", "reason": "…"}}}`, exported as a JWT signed with the same
  key (`sign_status_list`), so an offline check trusts it exactly as far as it trusts the credential. Each
  credential's `credentialStatus` is `{"id": "<list URL>#<certificate id>", "type": "DxpoolRevocationList"}`;
  the type is not in the two contexts, so it expands under VC 2.0's issuer-dependent `@vocab`.
- The holder is named by an Open Badges `IdentityObject` of type `name` (not hashed: the 修了証 prints it);
  no e-mail address or birth date goes into the credential.
"""

from __future__ import annotations

import base64
import json
import uuid
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey
from joserfc.jws import JWSRegistry

from .model import CertificateData, check

CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
TYPES = ["VerifiableCredential", "OpenBadgeCredential"]
STATUS_TYPE = "DxpoolRevocationList"
ALG = "EdDSA"
ACCEPTED_ALGS = ("EdDSA", "Ed25519")
VC_TYP = "vc+jwt"
STATUS_TYP = "revocation-list+jwt"
JST = timezone(timedelta(hours=9), "JST")
MAX_TOKEN = 64 * 1024  # a credential is ~2 KB; a revocation list of a few thousand entries stays well under 1 MB
MAX_STATUS_TOKEN = 4 * 1024 * 1024
CLOCK_SKEW = timedelta(minutes=5)
_NAMESPACE = uuid.UUID("6f1c2f8e-4d55-4f0b-9d1e-2a7a1f4c9b10")  # dxpool's, for the achievements' urn:uuid ids

_REGISTRY = JWSRegistry(algorithms=list(ACCEPTED_ALGS))
_REGISTRY.max_payload_length = MAX_STATUS_TOKEN


class CredentialError(ValueError):
    """A credential (or key, or revocation list) that does not check out. `message` is Japanese; `code` is one
    of: malformed, header, jwks, unknown_key, signature, content, not_yet_valid, expired, status_list, revoked."""

    def __init__(self, message: str, *, code: str, revoked_at: str | None = None, reason: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.revoked_at = revoked_at
        self.reason = reason


@dataclass(frozen=True)
class VerifiedCredential:
    certificate_id: str
    credential_id: str
    holder_name: str
    course_title: str
    issuer_id: str
    issuer_name: str
    valid_from: datetime
    valid_until: datetime | None
    kid: str
    status: str  # "valid" (checked against the list) or "unchecked" (no list given)
    status_list_updated: datetime | None
    credential: dict = field(repr=False)


# --- keys ----------------------------------------------------------------------------------------------------------

def generate_key() -> dict:
    """A new Ed25519 private key as a JWK dict with its thumbprint as `kid` (keep it secret, out of the repo)."""
    key = OKPKey.generate_key("Ed25519")
    return {**key.as_dict(private=True), "kid": key.thumbprint(), "alg": ALG, "use": "sig"}


def _import_key(data: Mapping, *, private: bool) -> OKPKey:
    if not isinstance(data, Mapping) or data.get("kty") != "OKP" or data.get("crv") != "Ed25519":
        raise CredentialError("鍵が Ed25519 の JWK ではありません。", code="jwks")
    if private and "d" not in data:
        raise CredentialError("署名には秘密鍵（JWK の d）が必要です。", code="jwks")
    fields = {k: data[k] for k in ("kty", "crv", "x", "d") if k in data and (private or k != "d")}
    try:
        return OKPKey.import_key(fields)
    except (JoseError, ValueError, TypeError) as exc:
        raise CredentialError("鍵（JWK）を読み取れません。", code="jwks") from exc


def key_id(key: Mapping) -> str:
    """The key's kid: the one it carries, else its RFC 7638 thumbprint."""
    kid = key.get("kid") if isinstance(key, Mapping) else None
    return kid if isinstance(kid, str) and kid else _import_key(key, private=False).thumbprint()


def public_jwks(keys: Iterable[Mapping]) -> dict:
    """The JWKS to publish at /.well-known/jwks.json: the public half of each key (never `d`), with its kid."""
    out = []
    for key in keys:
        public = _import_key(key, private=False).as_dict(private=False)
        out.append({"kty": "OKP", "crv": "Ed25519", "x": public["x"], "kid": key_id(key), "alg": ALG,
                    "use": "sig"})
    return {"keys": out}


def _jwks_key(jwks: Mapping, kid: str) -> OKPKey:
    keys = jwks.get("keys") if isinstance(jwks, Mapping) else None
    if not isinstance(keys, list):
        raise CredentialError("公開鍵の一覧（JWKS）の形式が正しくありません（\"keys\" の配列が必要です）。", code="jwks")
    for entry in keys:
        if isinstance(entry, Mapping) and entry.get("kid") == kid:
            return _import_key(entry, private=False)
    raise CredentialError(f"署名した鍵（kid: {kid[:60]}）が公開鍵の一覧（JWKS）にありません。別の発行者の資格情報か、"
                          "失効した鍵で署名されています。", code="unknown_key")


# --- signing -------------------------------------------------------------------------------------------------------

def _sign(payload: dict, key: Mapping, typ: str) -> str:
    private = _import_key(key, private=True)
    header = {"alg": ALG, "typ": typ, "kid": key_id(key)}
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "EdDSA is deprecated via RFC 9864": see the module's docstring
        return jws.serialize_compact(header, body, private, registry=_REGISTRY)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), JST)


def build_credential(cert: CertificateData, *, issuer_id: str, status_list_url: str,
                     achievement_id: str | None = None, achievement_description: str | None = None,
                     valid_until: datetime | None = None, issued_at: datetime | None = None) -> dict:
    """The Open Badges 3.0 credential of a certificate (unsigned). `issuer_id` is the prefecture's URL (its
    profile page, say); `status_list_url` where its revocation list is published; `achievement_id` the course's
    URL (default: a stable urn:uuid from issuer and course title)."""
    check(cert)
    course = cert.course_title.strip()
    subjects = "\n".join(f"{i}. {s.strip()}" for i, s in enumerate(cert.subjects, 1))
    achievement = {
        "id": achievement_id or f"urn:uuid:{uuid.uuid5(_NAMESPACE, issuer_id + chr(10) + course)}",
        "type": ["Achievement"],
        "achievementType": "CertificateOfCompletion",
        "name": course,
        "description": achievement_description or f"{cert.issuer}が交付する「{course}」の修了証",
        "criteria": {"narrative": f"次の科目をすべて修了したこと。\n{subjects}"},
        "inLanguage": "ja",
    }
    vc: dict[str, Any] = {
        "@context": list(CONTEXTS),
        "id": cert.verification_url,
        "type": list(TYPES),
        "name": f"修了証 {course}",
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": cert.issuer},
        "validFrom": _iso(issued_at or _start_of(cert.issue_date)),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                            "identityHash": cert.holder_name.strip()}],
            "activityEndDate": _iso(_start_of(cert.completed_on)),
            "achievement": achievement,
        },
        "credentialStatus": {"id": f"{status_list_url}#{cert.certificate_id}", "type": STATUS_TYPE},
    }
    if valid_until is not None:
        vc["validUntil"] = _iso(valid_until)
    return vc


def sign_credential(vc: dict, key: Mapping) -> str:
    """The credential as a compact JWS (`vc+jwt`), signed with the private JWK `key`."""
    return _sign(vc, key, VC_TYP)


def build_status_list(revoked: Mapping[str, Mapping], *, list_id: str, issuer_id: str,
                      updated: datetime) -> dict:
    """The revocation list: `revoked` maps a certificate id to {"at": ISO date, "reason": text}."""
    entries = {}
    for cid, entry in revoked.items():
        at = entry.get("at")
        entries[str(cid)] = {"at": at.isoformat() if isinstance(at, date) else str(at),
                             "reason": str(entry.get("reason") or "")}
    return {"type": STATUS_TYPE, "id": list_id, "issuer": issuer_id, "updated": _iso(updated), "revoked": entries}


def sign_status_list(status_list: dict, key: Mapping) -> str:
    return _sign(status_list, key, STATUS_TYP)


# --- verifying -----------------------------------------------------------------------------------------------------

def _b64json(segment: str, what: str) -> dict:
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        value = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise CredentialError(f"{what}を読み取れません（JWT の形式が壊れています）。", code="malformed") from exc
    if not isinstance(value, dict):
        raise CredentialError(f"{what}が JSON オブジェクトではありません。", code="malformed")
    return value


def _verify_jws(token: Any, jwks: Mapping, *, typ: str, what: str, limit: int) -> tuple[dict, str]:
    """Check the compact JWS's shape, header and signature; return its payload and kid."""
    if isinstance(token, bytes):
        try:
            token = token.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CredentialError(f"{what}が UTF-8 のテキストではありません。", code="malformed") from exc
    if not isinstance(token, str):
        raise CredentialError(f"{what}が文字列ではありません。", code="malformed")
    token = token.strip().lstrip("\ufeff")
    if len(token) > limit:
        raise CredentialError(f"{what}が大きすぎます（{limit // 1024} KB まで）。", code="malformed")
    parts = token.split(".")
    if len(parts) != 3 or not all(parts):
        raise CredentialError(f"{what}が JWT（ピリオドで区切った3つの部分）ではありません。", code="malformed")
    header = _b64json(parts[0], f"{what}のヘッダー")
    if header.get("typ") != typ:
        raise CredentialError(f"{what}のヘッダーの typ が「{typ}」ではありません。", code="header")
    if header.get("alg") not in ACCEPTED_ALGS:
        raise CredentialError(f"{what}の署名方式（alg: {str(header.get('alg'))[:20]}）は受け付けていません"
                              "（EdDSA / Ed25519 のみ）。", code="header")
    if set(header) - {"alg", "typ", "kid", "cty"}:
        raise CredentialError(f"{what}のヘッダーに未知の項目があります。", code="header")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise CredentialError(f"{what}のヘッダーに鍵ID（kid）がありません。", code="header")
    key = _jwks_key(jwks, kid)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            jws.deserialize_compact(token, key, registry=_REGISTRY)
    except (JoseError, ValueError, TypeError) as exc:
        raise CredentialError(f"{what}の署名が正しくありません（内容が書き換えられたか、別の鍵で署名されています）。",
                              code="signature") from exc
    return _b64json(parts[1], f"{what}の内容"), kid


def _moment(value: Any, label: str, code: str = "content") -> datetime:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise CredentialError(f"{label}が日時（タイムゾーン付き ISO 8601）ではありません。", code=code)
    return moment


def _shown(moment: datetime) -> str:
    local = moment.astimezone(JST)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def _day(text: str) -> str:
    """「2026年5月20日」 from an ISO date (or date-time); anything else as it is."""
    try:
        day = date.fromisoformat(text[:10])
    except ValueError:
        return text[:40]
    return f"{day.year}年{day.month}月{day.day}日"


def _content(vc: dict) -> tuple[str, str, str, str, str]:
    """(certificate id, holder, course, issuer id, issuer name), checking the credential's required shape."""
    context, types = vc.get("@context"), vc.get("type")
    if not isinstance(context, list) or context[:2] != CONTEXTS:
        raise CredentialError("Open Badges 3.0 / VC 2.0 の @context ではありません。", code="content")
    if not isinstance(types, list) or not set(TYPES) <= set(types):
        raise CredentialError("種類（type）が OpenBadgeCredential ではありません。", code="content")
    issuer, subject, status = vc.get("issuer"), vc.get("credentialSubject"), vc.get("credentialStatus")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer_id, str) or not issuer_id:
        raise CredentialError("発行者（issuer）がありません。", code="content")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    if not isinstance(achievement, dict) or not isinstance(achievement.get("name"), str):
        raise CredentialError("研修（credentialSubject.achievement）がありません。", code="content")
    names = [i.get("identityHash") for i in subject.get("identifier") or []
             if isinstance(i, dict) and i.get("identityType") == "name" and not i.get("hashed")]
    status_id = status.get("id") if isinstance(status, dict) else None
    if not isinstance(status_id, str) or "#" not in status_id or status.get("type") != STATUS_TYPE:
        raise CredentialError("失効確認の情報（credentialStatus）がありません。", code="content")
    issuer_name = issuer.get("name", "") if isinstance(issuer, dict) else ""
    cid = status_id.rsplit("#", 1)[1]
    if not isinstance(vc.get("id"), str) or not vc["id"].rstrip("/").endswith("/" + cid):
        raise CredentialError("資格情報のIDと失効確認のIDが一致しません。", code="content")
    return cid, str(names[0]) if names else "", achievement["name"], issuer_id, str(issuer_name)


def read_status_list(status_list: str | bytes | Mapping, jwks: Mapping) -> dict:
    """The revocation list: a signed JWT (exported file) is verified against `jwks`; a dict is taken as it is
    (the app's own database)."""
    if isinstance(status_list, Mapping):
        data = dict(status_list)
    else:
        data, _ = _verify_jws(status_list, jwks, typ=STATUS_TYP, what="失効リスト", limit=MAX_STATUS_TOKEN)
    if data.get("type") != STATUS_TYPE or not isinstance(data.get("revoked"), dict):
        raise CredentialError("失効リストの形式が正しくありません。", code="status_list")
    return data


def verify_credential(token: str | bytes, jwks: Mapping, status_list: str | bytes | Mapping | None = None, *,
                      now: datetime | None = None) -> VerifiedCredential:
    """Check a credential JWT offline: shape, header, kid in the JWKS, signature, the credential's shape, its
    validity dates and, when a revocation list is given, that it is not revoked. Raises CredentialError."""
    vc, kid = _verify_jws(token, jwks, typ=VC_TYP, what="資格情報", limit=MAX_TOKEN)
    cid, holder, course, issuer_id, issuer_name = _content(vc)
    now = now or datetime.now(UTC)
    valid_from = _moment(vc.get("validFrom"), "有効期間の開始（validFrom）")
    valid_until = _moment(vc["validUntil"], "有効期限（validUntil）") if "validUntil" in vc else None
    if now + CLOCK_SKEW < valid_from:
        raise CredentialError(f"この資格情報はまだ有効ではありません（{_shown(valid_from)} から有効）。",
                              code="not_yet_valid")
    if valid_until is not None and now - CLOCK_SKEW >= valid_until:
        raise CredentialError(f"この資格情報は有効期限（{_shown(valid_until)}）が切れています。", code="expired")
    updated = None
    if status_list is not None:
        listing = read_status_list(status_list, jwks)
        list_url = vc["credentialStatus"]["id"].rsplit("#", 1)[0]
        if listing.get("id") != list_url or listing.get("issuer") != issuer_id:
            raise CredentialError("失効リストがこの資格情報の発行者のものではありません。", code="status_list")
        updated = _moment(listing.get("updated"), "失効リストの更新日時", "status_list")
        entry = listing["revoked"].get(cid)
        if entry is not None:
            at = str(entry.get("at", "")) if isinstance(entry, dict) else ""
            reason = str(entry.get("reason", "")) if isinstance(entry, dict) else ""
            raise CredentialError(f"この修了証は{_day(at)}に取り消されています（理由: {reason or '記載なし'}）。",
                                  code="revoked", revoked_at=at, reason=reason)
    return VerifiedCredential(
        certificate_id=cid, credential_id=str(vc.get("id", "")), holder_name=holder, course_title=course,
        issuer_id=issuer_id, issuer_name=issuer_name, valid_from=valid_from, valid_until=valid_until, kid=kid,
        status="valid" if status_list is not None else "unchecked", status_list_updated=updated, credential=vc)
