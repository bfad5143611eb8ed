"""Policy settings: the guidance's year-dependent numbers and dates, read from a TOML file.

The default file, ``policy-default.toml``, ships with the package and holds the guidance's values.
A file given with ``--policy FILE`` overrides only the keys it names. Every value is checked
(type, range, dates in the scheme year and in order); a bad file raises
:class:`brokerage.errors.PolicyError` naming the file and the key.
"""

from __future__ import annotations

import calendar
import contextlib
import itertools
import re
import tomllib
from dataclasses import dataclass, fields, replace
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


@dataclass(frozen=True, order=True)
class MonthDay:
    """A day of every year ("1 March"): the summer play scheme's dates are dates in the scheme year by rule."""

    month: int
    day: int

    def __post_init__(self) -> None:
        date(2024, self.month, self.day)  # a leap year: 29 February is a day of the year

    def in_year(self, year: int) -> date:
        """This day in ``year`` (29 February is the 28th in a year without it)."""
        return date(year, self.month, min(self.day, calendar.monthrange(year, self.month)[1]))

    def __str__(self) -> str:
        return f"{self.day} {calendar.month_name[self.month]}"

    @classmethod
    def of(cls, day: date) -> MonthDay:
        return cls(day.month, day.day)


DAY_SETTINGS = ("kept_on_file_before", "closing_date_open_cases", "new_case_cut_off", "care_plan_route_until")
"""The summer scheme's dates that fall on the same day of every scheme year unless a year says otherwise."""
SEASON_SETTINGS = ("season_start", "season_end")


@dataclass(frozen=True)
class SchemeYear:
    """What the policy says about one scheme year: its season (first and last possible date) and any date
    or cap that differs that year from the every-year values."""

    year: int
    season_start: date | None = None
    season_end: date | None = None
    dates: tuple[tuple[str, date], ...] = ()
    """Overrides of :data:`DAY_SETTINGS` for this year, as (setting, date)."""
    day_cap: int | None = None


@dataclass(frozen=True)
class SchemeDates:
    """The summer play scheme's dates and cap for one scheme year, worked out from the policy."""

    year: int
    day_cap: int
    kept_on_file_before: date
    closing_date_open_cases: date
    new_case_cut_off: date
    care_plan_route_until: date
    care_plan_review_months: int
    season_start: date | None
    season_end: date | None
    """``None`` when the policy does not hold that year's season (:attr:`has_season`)."""

    @property
    def has_season(self) -> bool:
        return self.season_start is not None and self.season_end is not None


@dataclass(frozen=True)
class SummerScheme:
    day_cap: int
    kept_on_file_before: MonthDay
    closing_date_open_cases: MonthDay
    new_case_cut_off: MonthDay
    care_plan_route_until: MonthDay
    care_plan_review_months: int
    years: tuple[SchemeYear, ...] = ()
    """The years whose season the policy holds (and their own dates), in year order."""

    def year(self, year: int) -> SchemeYear | None:
        return next((held for held in self.years if held.year == year), None)

    def dates(self, year: int) -> SchemeDates:
        """The scheme's dates in ``year``: each day of :data:`DAY_SETTINGS` in that year unless the year gives
        its own, the season when the policy holds it."""
        held = self.year(year) or SchemeYear(year)
        own = dict(held.dates)
        days = {name: own.get(name) or getattr(self, name).in_year(year) for name in DAY_SETTINGS}
        return SchemeDates(
            year=year,
            day_cap=held.day_cap if held.day_cap is not None else self.day_cap,
            care_plan_review_months=self.care_plan_review_months,
            season_start=held.season_start,
            season_end=held.season_end,
            **days,
        )


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

    @property
    def scheme(self) -> SchemeDates:
        """The summer play scheme's dates in :attr:`scheme_year`, the year the guidance sheets describe."""
        return self.summer_scheme.dates(self.scheme_year)

    def settings(self) -> list[PolicySetting]:
        """Every setting with a label for a person and its value as printed (dates dd/mm/yyyy, days of every
        year as "1 March every year"), then each scheme year the policy holds."""
        s, r, b, d = self.summer_scheme, self.response, self.brokerage, self.service_dates
        rows: list[tuple[str, str, object]] = [
            ("policy_version", "Policy version", self.policy_version),
            ("scheme_year", "Summer play scheme year the guidance sheets describe", self.scheme_year),
            ("brokerage.duty_line", "Brokerage duty line", b.duty_line),
            ("brokerage.email", "Brokerage email", b.email),
            ("response.working_days", "Provider response window (working days)", r.working_days),
            ("response.urgent_working_days", "Provider response window for urgent cases (working days)",
             r.urgent_working_days),
            ("summer_scheme.day_cap", "Summer play scheme: maximum days per child", s.day_cap),
            ("summer_scheme.kept_on_file_before",
             "Summer play scheme: referrals received before this day of the scheme year are kept on file until "
             "its first working day of January", s.kept_on_file_before),
            ("summer_scheme.closing_date_open_cases", "Summer play scheme: closing date for cases already open",
             s.closing_date_open_cases),
            ("summer_scheme.new_case_cut_off", "Summer play scheme: new cases processed until",
             s.new_case_cut_off),
            ("summer_scheme.care_plan_route_until",
             "Summer play scheme: direct referral on a reviewed care plan accepted until", s.care_plan_route_until),
            ("summer_scheme.care_plan_review_months", "Summer play scheme: care plan reviewed within (months)",
             s.care_plan_review_months),
        ]
        for held in s.years:
            key = f"summer_scheme.years.{held.year}"
            rows += [
                (f"{key}.season_start", f"Summer play scheme {held.year}: first possible date", held.season_start),
                (f"{key}.season_end", f"Summer play scheme {held.year}: last possible date", held.season_end),
            ]
            if held.day_cap is not None:
                rows.append((f"{key}.day_cap", f"Summer play scheme {held.year}: maximum days per child", held.day_cap))
            rows += [(f"{key}.{name}", f"Summer play scheme {held.year}: {name.replace('_', ' ')}", day)
                     for name, day in held.dates]
        rows += [
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
        """Values the rule catalogue's sentences name, formatted for a person (``{day_cap}`` …): the summer
        scheme's in :attr:`scheme_year`."""
        scheme = self.scheme
        return {
            "scheme_year": str(self.scheme_year),
            "duty_line": self.brokerage.duty_line,
            "email": self.brokerage.email,
            "working_days": str(self.response.working_days),
            "urgent_working_days": str(self.response.urgent_working_days),
            "day_cap": str(scheme.day_cap),
            "kept_on_file_before": long_date(scheme.kept_on_file_before),
            "closing_date_open_cases": long_date(scheme.closing_date_open_cases),
            "new_case_cut_off": long_date(scheme.new_case_cut_off),
            "care_plan_route_until": long_date(scheme.care_plan_route_until),
            "care_plan_review_months": str(scheme.care_plan_review_months),
            "season_start": long_date(scheme.season_start) if scheme.season_start else "(not set)",
            "season_end": long_date(scheme.season_end) if scheme.season_end else "(not set)",
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
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, MonthDay):
        return f"{value} every year"
    return "" if value is None else str(value)


def long_date(value: date) -> str:
    return f"{value.day} {value.strftime('%B %Y')}"


_SECTIONS: dict[str, type] = {
    "brokerage": Contact,
    "response": ResponseWindows,
    "summer_scheme": SummerScheme,
    "service_dates": ServiceDateBounds,
}
_TOP = {"policy_version": str, "scheme_year": int, "source": str}
_OTHER_TOP = ("register",)
"""Top-level keys read apart from :data:`_TOP` (the provider register file, which may be empty)."""
_SUMMER_KEYS = (
    "day_cap", *DAY_SETTINGS, "care_plan_review_months", "years",
    *SEASON_SETTINGS,  # the first policy files' way to give one year's season (scheme_year's)
)
_YEAR_KEYS = (*SEASON_SETTINGS, "day_cap", *DAY_SETTINGS)
_KNOWN: dict[str, tuple[str, ...]] = {
    "brokerage": tuple(f.name for f in fields(Contact)),
    "response": tuple(f.name for f in fields(ResponseWindows)),
    "summer_scheme": _SUMMER_KEYS,
    "service_dates": tuple(f.name for f in fields(ServiceDateBounds)),
}
_YEAR = re.compile(r"^[0-9]{4}$")
_MONTH_DAY = re.compile(r"^([0-9]{2})-([0-9]{2})$")


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
    """``base`` with the keys ``override`` names replaced; a scheme year in ``[summer_scheme.years.<year>]``
    is added to the years ``base`` holds, or changes only the keys it names."""
    merged = {key: dict(value) if isinstance(value, dict) else value for key, value in base.items()}
    for key, value in override.items():
        if key not in _TOP and key not in _KNOWN and key not in _OTHER_TOP:
            known = ", ".join([*_TOP, *_OTHER_TOP, *_KNOWN])
            raise PolicyError(f"The policy file {label} has an unknown key '{key}'. Known keys: {known}.")
        if key not in _KNOWN:
            merged[key] = value
            continue
        if not isinstance(value, dict):
            raise PolicyError(f"In the policy file {label}, '{key}' must be a table ([{key}]).")
        table = merged.setdefault(key, {})
        for sub, setting in value.items():
            if sub not in _KNOWN[key]:
                raise PolicyError(
                    f"The policy file {label} has an unknown key '{key}.{sub}'. "
                    f"Known keys in [{key}]: {', '.join(_KNOWN[key])}."
                )
            if sub == "years" and isinstance(setting, dict):
                years = {year: dict(held) if isinstance(held, dict) else held
                         for year, held in table.get("years", {}).items()}
                for year, held in setting.items():
                    if isinstance(held, dict) and isinstance(years.get(year), dict):
                        years[year].update(held)
                    else:
                        years[year] = held
                table["years"] = years
            else:
                table[sub] = setting
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


def _day(value: Any, key: str, label: str, scheme_year: int) -> MonthDay:
    """A day of every scheme year: ``"03-01"``, or a date in ``scheme_year`` (the first policy files' way)."""
    if isinstance(value, str) and (match := _MONTH_DAY.match(value.strip())):
        try:
            return MonthDay(int(match[1]), int(match[2]))
        except ValueError:
            pass
    elif isinstance(value, date) and not hasattr(value, "hour"):
        if value.year != scheme_year:
            raise PolicyError(
                f"In the policy file {label}, '{key}' is {value.isoformat()} but scheme_year is {scheme_year}: a "
                f'date given here must be in the scheme year. For the same day every year write "{value:%m-%d}"; '
                f"for one year's own date use [summer_scheme.years.{value.year}]."
            )
        return MonthDay.of(value)
    raise PolicyError(
        f"In the policy file {label}, '{key}' must be a date like 2026-03-01, or a day of every year like "
        f'"03-01" (1 March), not {value!r}.'
    )


def _year_in(value: Any, key: str, label: str, year: int) -> date:
    day = _typed(value, date, key, label)
    if day.year != year:
        raise PolicyError(f"In the policy file {label}, '{key}' is {day.isoformat()}: it must be a date in {year}.")
    return day


def _scheme_year(year: int, table: Any, label: str) -> SchemeYear:
    prefix = f"summer_scheme.years.{year}"
    if not isinstance(table, dict):
        raise PolicyError(f"In the policy file {label}, '{prefix}' must be a table ([{prefix}]).")
    unknown = [key for key in table if key not in _YEAR_KEYS]
    if unknown:
        raise PolicyError(
            f"The policy file {label} has an unknown key '{prefix}.{unknown[0]}'. "
            f"Known keys in [{prefix}]: {', '.join(_YEAR_KEYS)}."
        )
    own = tuple((name, _year_in(table[name], f"{prefix}.{name}", label, year)) for name in DAY_SETTINGS
                if name in table)
    return SchemeYear(
        year=year,
        season_start=_year_in(table["season_start"], f"{prefix}.season_start", label, year)
        if "season_start" in table else None,
        season_end=_year_in(table["season_end"], f"{prefix}.season_end", label, year)
        if "season_end" in table else None,
        dates=own,
        day_cap=_typed(table["day_cap"], int, f"{prefix}.day_cap", label) if "day_cap" in table else None,
    )


def _summer_scheme(table: dict[str, Any], label: str, scheme_year: int) -> SummerScheme:
    years: dict[int, SchemeYear] = {}
    for key, held in (table.get("years") or {}).items():
        if not _YEAR.match(str(key)) or not 2000 <= int(key) <= 2100:
            raise PolicyError(
                f"In the policy file {label}, 'summer_scheme.years.{key}' must be named by a year like 2026."
            )
        years[int(key)] = _scheme_year(int(key), held, label)
    if any(name in table for name in SEASON_SETTINGS):  # the first policy files: the scheme year's season here
        given = {name: table[name] for name in SEASON_SETTINGS if name in table}
        held = years.get(scheme_year)
        merged = {**({"season_start": held.season_start, "season_end": held.season_end} if held else {}), **given}
        years[scheme_year] = replace(
            held or SchemeYear(scheme_year),
            **{name: _year_in(value, f"summer_scheme.{name}", label, scheme_year)
               for name, value in merged.items() if value is not None},
        )
    return SummerScheme(
        day_cap=_typed(table.get("day_cap"), int, "summer_scheme.day_cap", label),
        care_plan_review_months=_typed(table.get("care_plan_review_months"), int,
                                       "summer_scheme.care_plan_review_months", label),
        years=tuple(years[year] for year in sorted(years)),
        **{name: _day(table.get(name), f"summer_scheme.{name}", label, scheme_year) for name in DAY_SETTINGS},
    )


def _build(data: dict[str, Any], label: str, path: str) -> Policy:
    top = {key: _typed(data.get(key), kind, key, label) for key, kind in _TOP.items()}
    if not 2000 <= top["scheme_year"] <= 2100:
        raise PolicyError(f"In the policy file {label}, 'scheme_year' must be a year like 2026.")
    sections: dict[str, Any] = {}
    for name, cls in _SECTIONS.items():
        table = data.get(name, {})
        if cls is SummerScheme:
            sections[name] = _summer_scheme(table, label, top["scheme_year"])
            continue
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
    years = sorted({policy.scheme_year, *(held.year for held in s.years)})
    for year in years:
        dates = s.dates(year)
        if year == policy.scheme_year and not dates.has_season:
            raise PolicyError(
                f"In the policy file {label}, there are no summer play scheme dates for scheme_year {year}: give "
                f"season_start and season_end under [summer_scheme.years.{year}]."
            )
        if (dates.season_start is None) != (dates.season_end is None):
            raise PolicyError(
                f"In the policy file {label}, [summer_scheme.years.{year}] needs both season_start and season_end."
            )
        order = [*DAY_SETTINGS[:1], "closing_date_open_cases", "new_case_cut_off", *SEASON_SETTINGS]
        for earlier, later in itertools.pairwise(order):
            first, then = getattr(dates, earlier), getattr(dates, later)
            if first is not None and then is not None and first > then:
                where = f" in {year}" if len(years) > 1 else ""
                raise PolicyError(
                    f"In the policy file {label}, 'summer_scheme.{earlier}' must not be after "
                    f"'summer_scheme.{later}'{where}."
                )
        if dates.day_cap < 1:
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
