"""Which register is in force: ``--register FILE``, else ``register`` in the policy file (relative to
the policy file's folder), else the bundled sample of fictional providers, with a warning."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from brokerage.processor.providers.register import Register, parse_register, read_register
from brokerage.rules.policy import Policy

SAMPLE_FILE = "sample-register.toml"
SAMPLE_SOURCE = "the bundled sample register (fictional providers)"


@dataclass(frozen=True)
class LoadedRegister:
    register: Register
    warning: str | None
    """A sentence for the officer when the providers are fictional, else ``None``."""


def sample_register() -> Register:
    text = files("brokerage.processor.providers").joinpath(SAMPLE_FILE).read_text(encoding="utf-8")
    return parse_register(text, SAMPLE_SOURCE)


def register_path(option: Path | None, policy: Policy | None) -> Path | None:
    """The register file named by ``--register`` or by the policy, or ``None`` for the bundled sample."""
    if option is not None:
        return Path(option)
    named = policy.register if policy is not None else ""
    if not named:
        return None
    path = Path(named).expanduser()
    if not path.is_absolute() and policy is not None and policy.path != "default":
        path = Path(policy.path).parent / path
    return path


def load_register(option: Path | None = None, policy: Policy | None = None) -> LoadedRegister:
    """The register in force (see the module's description); raises
    :class:`~brokerage.processor.providers.register.RegisterError` for a bad file."""
    path = register_path(option, policy)
    if path is None:
        return LoadedRegister(
            sample_register(),
            "No provider register is named, so the bundled sample of fictional providers is used: nothing "
            "made with it may be sent. Name the council's register with --register FILE or register = "
            "\"FILE\" in the policy file.",
        )
    register = read_register(path)
    warning = None
    if register.sample:
        warning = (f"The provider register {path} says sample = true: its providers are fictional. Remove that "
                   "line once the file lists the council's real providers.")
    return LoadedRegister(register, warning)
