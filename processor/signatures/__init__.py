"""Signing and verifying the Individual Placement Agreement (Part C, ``ipa.pdf``) with pyHanko.

Bytes in, bytes or plain values out; no pyHanko object leaves this package, and it never imports
the CLI toolkit. Every change to a file goes in as an incremental update, so earlier signatures
stay valid.

- :func:`certify`: the service certifies the issued IPA (form filling and signing only).
- :func:`countersign`: the duty brokerage officer countersigns a returned IPA, with a certificate
  (a PAdES signature) or without (a visible countersignature and the boxes locked).
- :func:`verify`: each signature in words (who, when, intact, trusted, whole file or not, what
  changed after it) and the verdicts: certified, the provider's block and signature, countersigned.
- :func:`load_signer` / :class:`SignerConfig`: a PKCS#12 certificate whose password comes from a
  file or an environment variable; :func:`load_trust_roots`: the trusted authorities.
- :func:`make_test_certificate` / :class:`SelfSignedAuthority`: certificates for trying it out.
"""

from brokerage.processor.signatures.certificates import (
    NO_TRUST,
    PASSWORD_ENV,
    SelfSignedAuthority,
    SignerConfig,
    TestCertificate,
    TrustRoots,
    load_signer,
    load_trust_roots,
    make_test_certificate,
    read_password,
)
from brokerage.processor.signatures.countersign import countersign
from brokerage.processor.signatures.errors import (
    AlreadyCountersignedError,
    BrokenSignatureError,
    CertificateError,
    CertifyRefused,
    CountersignRefused,
    NotAnIpaError,
    ProviderBlockIncomplete,
)
from brokerage.processor.signatures.ipa import CERTIFICATION_FIELD, OFFICER_SIGNATURE, PROVIDER_SIGNATURE
from brokerage.processor.signatures.signing import certify
from brokerage.processor.signatures.verify import SignatureReport, Verification, verify

__all__ = [
    "CERTIFICATION_FIELD",
    "NO_TRUST",
    "OFFICER_SIGNATURE",
    "PASSWORD_ENV",
    "PROVIDER_SIGNATURE",
    "AlreadyCountersignedError",
    "BrokenSignatureError",
    "CertificateError",
    "CertifyRefused",
    "CountersignRefused",
    "NotAnIpaError",
    "ProviderBlockIncomplete",
    "SelfSignedAuthority",
    "SignatureReport",
    "SignerConfig",
    "TestCertificate",
    "TrustRoots",
    "Verification",
    "certify",
    "countersign",
    "load_signer",
    "load_trust_roots",
    "make_test_certificate",
    "read_password",
    "verify",
]
