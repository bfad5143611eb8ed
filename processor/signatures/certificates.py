"""Certificates: the signer's key from a PKCS#12 file, the trusted authorities, and test certificates.

- :func:`load_signer`: a :class:`SignerConfig` from a ``.p12``/``.pfx`` file. Its password comes from
  a file (``password_file``) or an environment variable (:data:`PASSWORD_ENV` by default), never from
  the command line, where other users of the machine and the shell history would see it.
- :func:`load_trust_roots`: the certificate authorities whose certificates :func:`~.verify.verify`
  trusts, from a PEM or DER file (the configured CA file). Nothing is trusted by default: the
  operating system's list is for web sites, not for signed documents.
- :class:`SelfSignedAuthority` and :func:`make_test_certificate`: a self-signed authority and a
  signing certificate in a ``.p12``, for trying the toolkit and for tests. Never for real agreements.

Only ``cryptography`` here; pyHanko gets the key through :func:`brokerage.processor.signatures.signing`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from brokerage.files import atomic_write_bytes
from brokerage.processor.signatures.errors import CertificateError

PASSWORD_ENV = "BROKERAGE_P12_PASSWORD"
"""The environment variable :func:`load_signer` reads the PKCS#12 password from when no file is given."""

SigningKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _day(moment: dt.datetime) -> str:
    return f"{moment.day} {moment:%B %Y}"


def common_name(name: x509.Name) -> str:
    """The certificate subject's common name (or organisation, or the whole name when it has neither)."""
    for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME):
        attributes = name.get_attributes_for_oid(oid)
        if attributes:
            return str(attributes[0].value)
    return name.rfc4514_string()


@dataclass(frozen=True)
class SignerConfig:
    """A signing key with its certificate and chain, loaded and checked by :func:`load_signer`."""

    source: Path
    """The ``.p12`` file it came from (for sentences)."""
    common_name: str
    """The certificate subject's common name: who signs."""
    not_valid_after: dt.datetime
    key: SigningKey = field(repr=False)
    certificate: x509.Certificate = field(repr=False)
    chain: tuple[x509.Certificate, ...] = field(default=(), repr=False)
    """Authority certificates carried in the ``.p12`` (embedded in each signature)."""


def read_password(
    *, password_file: Path | None = None, env: str = PASSWORD_ENV, environ: Mapping[str, str] | None = None
) -> bytes | None:
    """The PKCS#12 password: the first line of ``password_file`` when given (its line break dropped),
    else the environment variable ``env`` when set, else ``None`` (a file without a password)."""
    if password_file is not None:
        path = Path(password_file)
        try:
            text = path.read_bytes()
        except FileNotFoundError as error:
            raise CertificateError(
                f"The password file {path} does not exist. Give the file that holds the certificate's password."
            ) from error
        except OSError as error:
            raise CertificateError(f"Cannot read the password file {path}: {error.strerror or error}.") from error
        return text.splitlines()[0] if text.splitlines() else b""
    environ = os.environ if environ is None else environ
    value = environ.get(env)
    return None if value is None else value.encode("utf-8")


def load_signer(
    p12: Path,
    *,
    password_file: Path | None = None,
    password_env: str = PASSWORD_ENV,
    environ: Mapping[str, str] | None = None,
    now: dt.datetime | None = None,
) -> SignerConfig:
    """The key and certificate in the PKCS#12 file ``p12``, checked to be usable for signing ``now``.

    The password is read by :func:`read_password`. Raises :class:`CertificateError` with a sentence
    for a missing or unreadable file, a file that is not PKCS#12, a wrong or missing password, a file
    without a key, and a certificate that has expired, is not valid yet or may not sign documents.
    """
    path = Path(p12)
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise CertificateError(
            f"The certificate file {path} does not exist. Give the path of the signer's .p12 (PKCS#12) file."
        ) from error
    except OSError as error:
        raise CertificateError(f"Cannot read the certificate file {path}: {error.strerror or error}.") from error
    password = read_password(password_file=password_file, env=password_env, environ=environ)
    try:
        key, certificate, others = pkcs12.load_key_and_certificates(data, password)
    except (ValueError, TypeError) as error:
        if not _looks_like_pkcs12(data):
            raise CertificateError(
                f"{path} is not a PKCS#12 certificate file (.p12 or .pfx). Export the signing certificate "
                "with its private key as a .p12 file and give that."
            ) from error
        if password is None:
            raise CertificateError(
                f"The certificate file {path} needs its password. Put the password in a file and give it with "
                f"--p12-password-file, or set the environment variable {password_env}."
            ) from error
        where = f"the file {password_file}" if password_file is not None else f"the environment variable {password_env}"
        raise CertificateError(
            f"The password for the certificate file {path} is wrong (it came from {where}). Check the "
            "password and try again."
        ) from error
    if key is None or certificate is None:
        raise CertificateError(
            f"The certificate file {path} holds no private key with its certificate, so it cannot sign. "
            "Export the certificate together with its private key."
        )
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise CertificateError(
            f"The key in {path} is of a kind this toolkit does not sign with ({type(key).__name__}); use an RSA "
            "or elliptic-curve certificate."
        )
    name = common_name(certificate.subject)
    moment = now or _utc_now()
    if certificate.not_valid_after_utc < moment:
        raise CertificateError(
            f"The certificate of {name} in {path} expired on {_day(certificate.not_valid_after_utc)}; a signature "
            "made with it would not be valid. Ask for a new certificate."
        )
    if certificate.not_valid_before_utc > moment:
        raise CertificateError(
            f"The certificate of {name} in {path} is valid only from {_day(certificate.not_valid_before_utc)}. "
            "Sign from that day, or check the computer's clock."
        )
    if not _may_sign_documents(certificate):
        raise CertificateError(
            f"The certificate of {name} in {path} is not allowed to sign documents (its key usage has neither "
            "digital signature nor non-repudiation). Ask for a document-signing certificate."
        )
    return SignerConfig(
        source=path,
        common_name=name,
        not_valid_after=certificate.not_valid_after_utc,
        key=key,
        certificate=certificate,
        chain=tuple(c for c in others if c != certificate),
    )


def _looks_like_pkcs12(data: bytes) -> bool:
    from asn1crypto import pkcs12 as asn1_pkcs12

    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return pfx["version"].native == "v3"
    except (ValueError, TypeError, KeyError):
        return False


def _may_sign_documents(certificate: x509.Certificate) -> bool:
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return True
    return bool(usage.digital_signature or usage.content_commitment)


@dataclass(frozen=True)
class TrustRoots:
    """The certificate authorities whose certificates are trusted (from a configured CA file)."""

    certificates: tuple[x509.Certificate, ...]
    source: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(common_name(c.subject) for c in self.certificates)


NO_TRUST = TrustRoots(())
"""Trust nothing: every signature is then reported as not from a trusted certificate."""


def load_trust_roots(*paths: Path) -> TrustRoots:
    """Every certificate in the PEM (one or more) or DER files ``paths``."""
    found: list[x509.Certificate] = []
    for path in map(Path, paths):
        try:
            data = path.read_bytes()
        except FileNotFoundError as error:
            raise CertificateError(
                f"The trusted authorities file {path} does not exist. Give the PEM file of the certificate "
                "authorities whose signatures you trust."
            ) from error
        except OSError as error:
            raise CertificateError(
                f"Cannot read the trusted authorities file {path}: {error.strerror or error}."
            ) from error
        try:
            if b"-----BEGIN" in data:
                found.extend(x509.load_pem_x509_certificates(data))
            else:
                found.append(x509.load_der_x509_certificate(data))
        except ValueError as error:
            raise CertificateError(
                f"{path} holds no certificate this toolkit can read. Give a PEM (.pem, .crt) or DER (.cer) file of "
                "certificate authorities."
            ) from error
    return TrustRoots(tuple(found), source=", ".join(str(p) for p in paths))


def _name(text: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


@dataclass(frozen=True)
class SelfSignedAuthority:
    """A self-signed certificate authority that issues signing certificates, for trying and testing.

    Its certificates are trusted only where its own certificate (:meth:`pem`) is given as trusted.
    """

    key: ec.EllipticCurvePrivateKey = field(repr=False)
    certificate: x509.Certificate = field(repr=False)

    @classmethod
    def create(cls, name: str = "Brokerage test authority", *, now: dt.datetime | None = None,
               valid_days: int = 3650) -> SelfSignedAuthority:
        moment = now or _utc_now()
        key = ec.generate_private_key(ec.SECP256R1())
        certificate = (
            x509.CertificateBuilder()
            .subject_name(_name(name))
            .issuer_name(_name(name))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(moment - dt.timedelta(days=1))
            .not_valid_after(moment + dt.timedelta(days=valid_days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                              data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                              encipher_only=False, decipher_only=False),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        return cls(key=key, certificate=certificate)

    @property
    def name(self) -> str:
        return common_name(self.certificate.subject)

    def pem(self) -> bytes:
        """The authority's certificate as PEM: the file to give as trusted."""
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def issue(self, common_name: str, *, password: str, not_before: dt.datetime | None = None,
              not_after: dt.datetime | None = None, valid_days: int = 365) -> bytes:
        """A PKCS#12 file (bytes) with a new key and a document-signing certificate for ``common_name``,
        encrypted with ``password``, carrying this authority's certificate as its chain."""
        if not password:
            raise CertificateError("Give a password for the test certificate: a .p12 file holds a private key.")
        start = not_before or _utc_now() - dt.timedelta(minutes=5)
        end = not_after or start + dt.timedelta(days=valid_days)
        key = ec.generate_private_key(ec.SECP256R1())
        certificate = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name))
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                              data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                              encipher_only=False, decipher_only=False),
                critical=True,
            )
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        return pkcs12.serialize_key_and_certificates(
            common_name.encode("utf-8"), key, certificate, [self.certificate],
            serialization.BestAvailableEncryption(password.encode("utf-8")),
        )


@dataclass(frozen=True)
class TestCertificate:
    """What :func:`make_test_certificate` wrote."""

    __test__ = False  # not a pytest test class

    p12: Path
    authority_pem: Path
    common_name: str


def make_test_certificate(p12: Path, *, common_name: str, password: str, authority_pem: Path | None = None,
                          valid_days: int = 365) -> TestCertificate:
    """Write a test signing certificate for ``common_name`` to ``p12`` (PKCS#12, encrypted with
    ``password``, readable by the owner only) and the certificate of the new self-signed authority
    that issued it to ``authority_pem`` (default: next to it, ``<name>-authority.pem``).

    Give the ``.pem`` as the trusted authorities to :func:`~.verify.verify` (or to a PDF reader) to see
    signatures made with the ``.p12`` as trusted.
    """
    p12 = Path(p12)
    authority_pem = Path(authority_pem) if authority_pem is not None else p12.with_name(p12.stem + "-authority.pem")
    authority = SelfSignedAuthority.create(f"{common_name} test authority")
    data = authority.issue(common_name, password=password, valid_days=valid_days)
    try:
        atomic_write_bytes(p12, data, mode=0o600)
        atomic_write_bytes(authority_pem, authority.pem())
    except OSError as error:
        raise CertificateError(f"Cannot write the test certificate to {p12}: {error.strerror or error}.") from error
    return TestCertificate(p12=p12, authority_pem=authority_pem, common_name=common_name)

