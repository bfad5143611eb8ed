"""One error root for everything the toolkit raises at a person.

Every message says what is wrong, which file or field, and what to do next. The library raises;
``brokerage.cli`` turns these into exit codes and sentences. Catch third-party errors by type and
re-raise one of these with ``from``.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    ok = 0
    bad_arguments = 2
    input_file = 3
    not_our_form = 4
    output = 5
    internal = 15


class BrokerageError(Exception):
    """Base of every error the toolkit reports to a person."""

    exit_code: ExitCode = ExitCode.internal

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class SchemaError(BrokerageError):
    """The form schema (or a layout hint in it) is inconsistent: a developer's mistake."""


class PolicyError(BrokerageError):
    """The policy settings file cannot be read or has a wrong value."""

    exit_code = ExitCode.bad_arguments


class InputFileError(BrokerageError):
    """A file given to the toolkit cannot be used."""

    exit_code = ExitCode.input_file


class NotAPdfError(InputFileError):
    pass


class DamagedPdfError(InputFileError):
    pass


class EncryptedPdfError(InputFileError):
    pass


class TooLargeError(InputFileError):
    pass


class NotOurFormError(InputFileError):
    exit_code = ExitCode.not_our_form


class FlattenedFormError(NotOurFormError):
    pass


class WrongVersionError(NotOurFormError):
    pass


class SignatureError(InputFileError):
    pass


class DataFileError(InputFileError):
    """A JSON data file (for ``brokerage fill``) cannot be read or does not fit the form."""


class OutputError(BrokerageError):
    exit_code = ExitCode.output


class OurOutputError(NotOurFormError):
    """A document this toolkit made (a filed copy, a letter): never read as a returned form."""


class CannotFileError(InputFileError):
    """A file that passed the checks but whose outputs cannot be made from what it holds: a verdict
    (rejected, recorded), not a condition of the machine (:class:`OutputError`, retried)."""
