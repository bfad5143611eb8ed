"""Policy settings: the guidance's year-dependent numbers and dates, read from a TOML file.

The default file, ``policy-default.toml``, ships with the package and holds the guidance's values.
A file given with ``--policy FILE`` overrides only the keys it names. Every value is checked
(type, range, dates in the scheme year and in order); a bad file raises
:class:`brokerage.errors.PolicyError` naming the file and the key.
"""

from __future__ import annotations

import contextlib
import itertools
import tomllib
from dataclasses import dataclass, fields
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

from brokerage.errors import PolicyError

DEFAULT_POLICY_FILE = "policy-default.toml"


@dataclass(frozen=True)
class Contact:
    duty_line: str
    email: str


@dataclass(frozen=True)
class ResponseWindows:
    working_days: int
    urgent_working_days: int


@dataclass(frozen=True)
class SummerScheme:
    day_cap: int
    kept_on_file_before: date
    closing_date_open_cases: date
    new_case_cut_off: date
    care_plan_route_until: date
    care_plan_review_months: int
    season_start: date
    season_end: date


@dataclass(frozen=True)
class ServiceDateBounds:
    start_max_days_past: int
    start_max_days_ahead: int
    max_years_after_start: int


@dataclass(frozen=True)
class Policy:
    """The policy in force. ``source`` names the file it was read from (``default`` for the shipped one)."""

    policy_version: str
    scheme_year: int
    source: str
    brokerage: Contact
    response: ResponseWindows
    summer_scheme: SummerScheme
    service_dates: ServiceDateBounds
    path: str = "default"
    register: str = ""
    """The provider register file (relative to this policy file's folder); empty for the bundled sample."""

    def settings(self) -> list[PolicySetting]:
        """Every setting with a label for a person and its value as printed (dates dd/mm/yyyy)."""
        s, r, b, d = self.summer_scheme, self.response, self.brokerage, self.service_dates
        rows = [
            ("policy_version", "Policy version", self.policy_version),
            ("scheme_year", "Summer play scheme year", self.scheme_year),
            ("brokerage.duty_line", "Brokerage duty line", b.duty_line),
            ("brokerage.email", "Brokerage email", b.email),
            ("response.working_days", "Provider response window (working days)", r.working_days),
            ("response.urgent_working_days", "Provider response window for urgent cases (working days)",
             r.urgent_working_days),
            ("summer_scheme.day_cap", "Summer play scheme: maximum days per child", s.day_cap),
            ("summer_scheme.kept_on_file_before",
             "Summer play scheme: referrals received before this date are kept on file until January",
             s.kept_on_file_before),
            ("summer_scheme.closing_date_open_cases", "Summer play scheme: closing date for cases already open",
             s.closing_date_open_cases),
            ("summer_scheme.new_case_cut_off", "Summer play scheme: new cases processed until",
             s.new_case_cut_off),
            ("summer_scheme.care_plan_route_until",
             "Summer play scheme: direct referral on a reviewed care plan accepted until", s.care_plan_route_until),
            ("summer_scheme.care_plan_review_months", "Summer play scheme: care plan reviewed within (months)",
             s.care_plan_review_months),
            ("summer_scheme.season_start", "Summer play scheme: first possible date", s.season_start),
            ("summer_scheme.season_end", "Summer play scheme: last possible date", s.season_end),
            ("service_dates.start_max_days_past", "Start of service: at most this many days before receipt",
             d.start_max_days_past),
            ("service_dates.start_max_days_ahead", "Start of service: at most this many days after receipt",
             d.start_max_days_ahead),
            ("service_dates.max_years_after_start", "End of service: at most this many years after the start",
             d.max_years_after_start),
            ("register", "Provider register", self.register or "the bundled sample (fictional providers)"),
        ]
        return [PolicySetting(key, label, format_value(value)) for key, label, value in rows]

    def template_values(self) -> dict[str, str]:
        """Values the rule catalogue's sentences name, formatted for a person (``{day_cap}`` …)."""
        s = self.summer_scheme
        return {
            "scheme_year": str(self.scheme_year),
            "duty_line": self.brokerage.duty_line,
            "email": self.brokerage.email,
            "working_days": str(self.response.working_days),
            "urgent_working_days": str(self.response.urgent_working_days),
            "day_cap": str(s.day_cap),
            "kept_on_file_before": long_date(s.kept_on_file_before),
            "closing_date_open_cases": long_date(s.closing_date_open_cases),
            "new_case_cut_off": long_date(s.new_case_cut_off),
            "care_plan_route_until": long_date(s.care_plan_route_until),
            "care_plan_review_months": str(s.care_plan_review_months),
            "season_start": long_date(s.season_start),
            "season_end": long_date(s.season_end),
            "start_max_days_past": str(self.service_dates.start_max_days_past),
            "start_max_days_ahead": str(self.service_dates.start_max_days_ahead),
            "max_years_after_start": str(self.service_dates.max_years_after_start),
        }


@dataclass(frozen=True)
class PolicySetting:
    key: str
    label: str
    value: str


def format_value(value: object) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else str(value)


def long_date(value: date) -> str:
    return f"{value.day} {value.strftime('%B %Y')}"


_SECTIONS: dict[str, type] = {
    "brokerage": Contact,
    "response": ResponseWindows,
    "summer_scheme": SummerScheme,
    "service_dates": ServiceDateBounds,
}
_TOP = {"policy_version": str, "scheme_year": int, "source": str}


def _read(path: Path, label: str) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise PolicyError(f"Cannot read the policy file {label}: {error.strerror or error}.") from error
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(
            f"The policy file {label} is not valid TOML ({error}). Fix it or leave out --policy."
        ) from error


def _merge(base: dict[str, Any], override: dict[str, Any], label: str) -> dict[str, Any]:
    merged = {key: dict(value) if isinstance(value, dict) else value for key, value in base.items()}
    for key, value in override.items():
        if key not in merged:
            raise PolicyError(f"The policy file {label} has an unknown key '{key}'. Known keys: {', '.join(merged)}.")
        if isinstance(merged[key], dict):
            if not isinstance(value, dict):
                raise PolicyError(f"In the policy file {label}, '{key}' must be a table ([{key}]).")
            for sub in value:
                if sub not in merged[key]:
                    raise PolicyError(
                        f"The policy file {label} has an unknown key '{key}.{sub}'. "
                        f"Known keys in [{key}]: {', '.join(merged[key])}."
                    )
            merged[key].update(value)
        else:
            merged[key] = value
    return merged


def _typed(value: Any, kind: type, key: str, label: str) -> Any:
    if kind is date:
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = date.fromisoformat(value)
        if isinstance(value, date) and not hasattr(value, "hour"):
            return value
        raise PolicyError(f"In the policy file {label}, '{key}' must be a date like 2026-03-01, not {value!r}.")
    if kind is int:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        raise PolicyError(f"In the policy file {label}, '{key}' must be a whole number of 0 or more, not {value!r}.")
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise PolicyError(f"In the policy file {label}, '{key}' must be some text, not {value!r}.")


def _build(data: dict[str, Any], label: str, path: str) -> Policy:
    top = {key: _typed(data.get(key), kind, key, label) for key, kind in _TOP.items()}
    sections: dict[str, Any] = {}
    for name, cls in _SECTIONS.items():
        table = data.get(name, {})
        sections[name] = cls(
            **{
                f.name: _typed(table.get(f.name), date if f.type == "date" else int if f.type == "int" else str,
                               f"{name}.{f.name}", label)
                for f in fields(cls)
            }
        )
    register = data.get("register", "")
    if not isinstance(register, str):
        raise PolicyError(f"In the policy file {label}, 'register' must be a file name in quotes, not {register!r}.")
    policy = Policy(path=path, register=register.strip(), **top, **sections)
    _check(policy, label)
    return policy


def _check(policy: Policy, label: str) -> None:
    s, r = policy.summer_scheme, policy.response
    if not 2000 <= policy.scheme_year <= 2100:
        raise PolicyError(f"In the policy file {label}, 'scheme_year' must be a year like 2026.")
    for f in fields(s):
        value = getattr(s, f.name)
        if isinstance(value, date) and value.year != policy.scheme_year:
            raise PolicyError(
                f"In the policy file {label}, 'summer_scheme.{f.name}' is {value.isoformat()} but scheme_year is "
                f"{policy.scheme_year}: every summer scheme date must be in the scheme year."
            )
    order = ["kept_on_file_before", "closing_date_open_cases", "new_case_cut_off", "season_start", "season_end"]
    for earlier, later in itertools.pairwise(order):
        if getattr(s, earlier) > getattr(s, later):
            raise PolicyError(
                f"In the policy file {label}, 'summer_scheme.{earlier}' must not be after 'summer_scheme.{later}'."
            )
    if s.day_cap < 1:
        raise PolicyError(f"In the policy file {label}, 'summer_scheme.day_cap' must be at least 1.")
    if not 1 <= r.urgent_working_days <= r.working_days:
        raise PolicyError(
            f"In the policy file {label}, 'response.urgent_working_days' must be at least 1 and not more than "
            "'response.working_days'."
        )
    if "@" not in policy.brokerage.email:
        raise PolicyError(f"In the policy file {label}, 'brokerage.email' must be an email address.")


def _default_data() -> dict[str, Any]:
    text = files("brokerage.rules").joinpath(DEFAULT_POLICY_FILE).read_text(encoding="utf-8")
    return tomllib.loads(text)


def load_policy(path: Path | None = None) -> Policy:
    """The shipped default policy, or the default overridden by the keys in ``path``."""
    data = _default_data()
    if path is None:
        return _build(data, f"{DEFAULT_POLICY_FILE} (the shipped default)", "default")
    label = str(path)
    return _build(_merge(data, _read(Path(path), label), label), label, label)
