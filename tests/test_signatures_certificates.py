"""The signer's certificate (PKCS#12 with its password from a file or the environment), the trusted
authorities, and the test certificates an officer makes to try the toolkit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from brokerage.processor.signatures import (
    CertificateError,
    SelfSignedAuthority,
    load_signer,
    load_trust_roots,
    make_test_certificate,
    read_password,
)

PASSWORD = "s3cret phrase"
ENV = {"BROKERAGE_P12_PASSWORD": PASSWORD}


@pytest.fixture(scope="module")
def authority() -> SelfSignedAuthority:
    return SelfSignedAuthority.create("Test authority")


@pytest.fixture()
def officer_p12(tmp_path: Path, authority: SelfSignedAuthority) -> Path:
    path = tmp_path / "officer.p12"
    path.write_bytes(authority.issue("Priya Shah", password=PASSWORD))
    return path


def test_the_password_comes_from_a_file_its_line_break_dropped(tmp_path: Path, officer_p12: Path) -> None:
    secret = tmp_path / "password.txt"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    signer = load_signer(officer_p12, password_file=secret, environ={})
    assert signer.common_name == "Priya Shah"
    assert signer.source == officer_p12
    assert read_password(password_file=secret) == PASSWORD.encode()


def test_the_password_comes_from_the_environment_when_no_file_is_given(officer_p12: Path) -> None:
    assert load_signer(officer_p12, environ=ENV).common_name == "Priya Shah"
    assert load_signer(officer_p12, password_env="OFFICER_P12", environ={"OFFICER_P12": PASSWORD}).common_name


def test_a_wrong_password_is_named_with_where_it_came_from(tmp_path: Path, officer_p12: Path) -> None:
    secret = tmp_path / "password.txt"
    secret.write_text("not it\n", encoding="utf-8")
    with pytest.raises(CertificateError) as caught:
        load_signer(officer_p12, password_file=secret, environ={})
    assert str(caught.value) == (
        f"The password for the certificate file {officer_p12} is wrong (it came from the file {secret}). "
        "Check the password and try again."
    )
    with pytest.raises(CertificateError, match="wrong \\(it came from the environment variable BROKERAGE_P12_PASSWORD"):
        load_signer(officer_p12, environ={"BROKERAGE_P12_PASSWORD": "nope"})


def test_no_password_at_all_says_where_to_put_it(officer_p12: Path) -> None:
    with pytest.raises(CertificateError) as caught:
        load_signer(officer_p12, environ={})
    assert "needs its password" in str(caught.value)
    assert "--p12-password-file" in str(caught.value) and "BROKERAGE_P12_PASSWORD" in str(caught.value)


def test_a_missing_certificate_or_password_file_is_named(tmp_path: Path, officer_p12: Path) -> None:
    with pytest.raises(CertificateError, match=f"The certificate file {tmp_path / 'nope.p12'} does not exist"):
        load_signer(tmp_path / "nope.p12", environ=ENV)
    with pytest.raises(CertificateError, match=f"The password file {tmp_path / 'nope.txt'} does not exist"):
        load_signer(officer_p12, password_file=tmp_path / "nope.txt")


def test_a_file_that_is_not_pkcs12_is_told_apart_from_a_wrong_password(tmp_path: Path,
                                                                       authority: SelfSignedAuthority) -> None:
    pem = tmp_path / "authority.pem"
    pem.write_bytes(authority.pem())
    with pytest.raises(CertificateError, match="is not a PKCS#12 certificate file"):
        load_signer(pem, environ=ENV)


def test_an_expired_certificate_is_refused_with_its_date(tmp_path: Path, authority: SelfSignedAuthority) -> None:
    path = tmp_path / "old.p12"
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    path.write_bytes(authority.issue("Old Officer", password=PASSWORD, not_before=start,
                                     not_after=dt.datetime(2025, 3, 1, tzinfo=dt.UTC)))
    with pytest.raises(CertificateError) as caught:
        load_signer(path, environ=ENV, now=dt.datetime(2026, 2, 13, tzinfo=dt.UTC))
    assert str(caught.value) == (
        f"The certificate of Old Officer in {path} expired on 1 March 2025; a signature made with it would not be "
        "valid. Ask for a new certificate."
    )
    assert load_signer(path, environ=ENV, now=dt.datetime(2025, 2, 1, tzinfo=dt.UTC)).common_name == "Old Officer"


def test_a_certificate_not_valid_yet_is_refused(tmp_path: Path, authority: SelfSignedAuthority) -> None:
    path = tmp_path / "future.p12"
    path.write_bytes(authority.issue("New Officer", password=PASSWORD,
                                     not_before=dt.datetime.now(dt.UTC) + dt.timedelta(days=10)))
    with pytest.raises(CertificateError, match="is valid only from"):
        load_signer(path, environ=ENV)


def test_a_certificate_that_may_not_sign_documents_is_refused(tmp_path: Path, authority: SelfSignedAuthority) -> None:
    path = tmp_path / "authority.p12"  # the authority's own key: it may sign certificates, not documents
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"ca", authority.key, authority.certificate, None, serialization.BestAvailableEncryption(PASSWORD.encode())))
    with pytest.raises(CertificateError, match="is not allowed to sign documents"):
        load_signer(path, environ=ENV)


def test_a_certificate_without_its_key_cannot_sign(tmp_path: Path, authority: SelfSignedAuthority) -> None:
    path = tmp_path / "nokey.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"x", None, None, [authority.certificate], serialization.BestAvailableEncryption(PASSWORD.encode())))
    with pytest.raises(CertificateError, match="holds no private key"):
        load_signer(path, environ=ENV)


def test_make_test_certificate_writes_a_private_p12_and_its_authority(tmp_path: Path) -> None:
    made = make_test_certificate(tmp_path / "officer.p12", common_name="Priya Shah", password=PASSWORD)
    assert made.p12.stat().st_mode & 0o777 == 0o600
    assert made.authority_pem == tmp_path / "officer-authority.pem"
    signer = load_signer(made.p12, environ=ENV)
    assert signer.common_name == "Priya Shah"
    assert signer.not_valid_after - dt.datetime.now(dt.UTC) > dt.timedelta(days=360)
    roots = load_trust_roots(made.authority_pem)
    assert roots.names == ("Priya Shah test authority",)
    assert signer.chain == roots.certificates


def test_trusted_authorities_files_that_cannot_be_used_are_named(tmp_path: Path) -> None:
    with pytest.raises(CertificateError, match=r"trusted authorities file .*missing\.pem does not exist"):
        load_trust_roots(tmp_path / "missing.pem")
    junk = tmp_path / "junk.pem"
    junk.write_bytes(b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    with pytest.raises(CertificateError, match="holds no certificate this toolkit can read"):
        load_trust_roots(junk)
