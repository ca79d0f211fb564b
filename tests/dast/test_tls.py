"""TLS of an HTTPS target: an untrusted certificate and TLS 1.0/1.1 are found; a trusted modern server is clean."""

from __future__ import annotations

import datetime
import functools
import ipaddress
import json
import ssl
import threading
import warnings
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

import bastion

SPEC = {"openapi": "3.0.0", "info": {"title": "t", "version": "1"},
        "paths": {"/ok.json": {"get": {"responses": {"200": {"description": "ok"}}}}}}


def _certificate(subject: str, issuer_key, issuer_name: str | None, key, ca: bool = False) -> x509.Certificate:
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
               .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_name or subject)]))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=30))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if not ca:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(tmp_path, name: str, cert, key=None) -> str:
    path = tmp_path / name
    data = cert.public_bytes(serialization.Encoding.PEM)
    if key is not None:
        data += key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    path.write_bytes(data)
    return str(path)


class _Quiet(SimpleHTTPRequestHandler):
    server_version, sys_version = "app", ""

    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Strict-Transport-Security", "max-age=31536000")
        super().end_headers()


def _serve(tmp_path, certfile: str, old_protocols: bool):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "openapi.json").write_text(json.dumps(SPEC))
    (tmp_path / "site" / "ok.json").write_text("{}")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp_path / "site")))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certfile)
    if old_protocols:  # the weakness under test
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            context.minimum_version = ssl.TLSVersion.TLSv1  # bastion: ignore[weak-tls-version] -- the flaw under test
        context.set_ciphers("ALL:@SECLEVEL=0")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def pki(tmp_path):
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("Bastion Test CA", ca_key, None, ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    signed = _certificate("127.0.0.1", ca_key, "Bastion Test CA", key)
    self_key = ec.generate_private_key(ec.SECP256R1())
    selfsigned = _certificate("127.0.0.1", self_key, None, self_key)
    return {"ca": _pem(tmp_path, "ca.pem", ca), "signed": _pem(tmp_path, "signed.pem", signed, key),
            "self": _pem(tmp_path, "self.pem", selfsigned, self_key)}


def _tls_findings(report) -> list[tuple[str, str]]:
    return [(f.endpoint.parameter, f.message) for f in report.findings if f.rule_id == "dast-tls"]


def test_untrusted_certificate_and_old_protocols_are_found(tmp_path, pki):
    server = _serve(tmp_path, pki["self"], old_protocols=True)
    try:
        report = bastion.dast_scan(f"https://127.0.0.1:{server.server_address[1]}", checks=["tls"])
    finally:
        server.shutdown()
    found = dict(_tls_findings(report))
    assert "self-signed" in found["certificate"] or "self signed" in found["certificate"]
    assert "TLSv1" in found["protocol"]


def test_certificate_from_a_given_ca_and_modern_tls_are_clean(tmp_path, pki):
    server = _serve(tmp_path, pki["signed"], old_protocols=False)
    try:
        report = bastion.dast_scan(f"https://127.0.0.1:{server.server_address[1]}", ca_file=pki["ca"], checks=["tls", "passive"])
    finally:
        server.shutdown()
    assert report.findings == []
