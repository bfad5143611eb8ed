"""What the signature library refuses, as :class:`~brokerage.errors.BrokerageError` subclasses.

Every message is a sentence for the officer: what is wrong, with which file, and what to do.
"""

from __future__ import annotations

from brokerage.errors import ExitCode, InputFileError, SignatureError


class CertificateError(InputFileError):
    """A certificate file (PKCS#12 or trusted authorities) or its password cannot be used."""

    exit_code = ExitCode.bad_arguments


class NotAnIpaError(SignatureError):
    """The PDF is not an Individual Placement Agreement made by this toolkit."""

    exit_code = ExitCode.not_our_form


class CountersignRefused(SignatureError):
    """The IPA cannot be countersigned as it is (base of the reasons below)."""


class ProviderBlockIncomplete(CountersignRefused):
    """The provider has not filled in every box of their block."""


class BrokenSignatureError(CountersignRefused):
    """An earlier signature (the service's certification or the provider's) is no longer intact,
    or the file was changed after it in a way it does not allow."""

    def __init__(self, message: str, *, rewritten: bool) -> None:
        super().__init__(message)
        self.rewritten = rewritten
        """True when the cause is a program that saved the whole file again (a full rewrite)."""


class AlreadyCountersignedError(CountersignRefused):
    """The officer's block is already filled in or signed."""


class CertifyRefused(SignatureError):
    """The file cannot be certified (already signed, or not a freshly issued IPA)."""
