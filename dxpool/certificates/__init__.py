"""Certificates of completion (修了証) and their machine-verifiable twin, as pure Python (no Django, no apps).

- `model`: `CertificateData`, the facts a certificate states, checked field by field (`CertificateError`);
- `ids`: the random public id (the `/verify/<id>` URL) and the human serial number 「長崎-2026-000123」;
- `pdf`: the A4 PDF, Japanese font embedded, with a clickable verification link and a QR code (`qr`);
- `credential`: the Open Badges 3.0 / W3C VC 2.0 credential as a VC-JOSE JWT (Ed25519), the JWKS, the signed
  revocation list and offline verification;
- `bench`: `bench_certificates(n)`, the timing behind `dxpool bench certificates`.

The training app stores certificates and keys and calls these; docs/training.md says how.
"""
