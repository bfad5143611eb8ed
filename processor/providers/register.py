"""The provider register: who the brokerage service sends referrals to.

A TOML file with one ``[[provider]]`` table per provider::

    [[provider]]
    name = "Bright Days Play Ltd"
    email = "referrals@brightdays.example"
    telephone = "0116 496 0001"
    lots = ["short-breaks"]                   # and/or "domiciliary-care"
    areas = ["LE2", "LE8", "LE18"]            # postcode districts of the county, or ["all"]
    framework = true                          # false for an off-framework provider
    active = true                             # optional (true); false keeps it on file, sends nothing
    address = "1 Provider Road\\nLeicester"    # optional, for the Individual Placement Agreement

A top-level ``sample = true`` marks a file of fictional providers (the bundled one). Every value is
checked; a bad file raises :class:`RegisterError`, whose sentence names the file, the line, the
provider and the key, and says what to write instead. ``tomllib`` keeps no positions, so lines are
found in the text: each ``[[provider]]`` header in order, and a key's line inside its table.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from brokerage.errors import InputFileError
from brokerage.processor.providers.districts import (
    ALL_DISTRICTS,
    COUNTY_DISTRICTS,
    DISTRICT,
    describe,
    normalise_district,
)


class Lot(StrEnum):
    """What a provider is contracted for, as written in the register."""

    SHORT_BREAKS = "short-breaks"
    DOMICILIARY_CARE = "domiciliary-care"

    @property
    def label(self) -> str:
        return _LOT_LABELS[self]


_LOT_LABELS = {
    Lot.SHORT_BREAKS: "Short breaks (specialist play and leisure, Lot 1)",
    Lot.DOMICILIARY_CARE: "Domiciliary care",
}

EMAIL = re.compile(r"^[^@\s\"<>,;]+@[^@\s\"<>,;]+\.[^@\s\"<>,;]+$")
TELEPHONE = re.compile(r"^\+?[0-9 ()-]{10,20}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


@dataclass(frozen=True)
class Provider:
    name: str
    email: str
    telephone: str
    lots: frozenset[Lot]
    areas: frozenset[str]
    """Postcode districts served (every county district when the file says ``["all"]``)."""
    framework: bool
    active: bool = True
    address: str = ""
    line: int | None = field(default=None, compare=False)
    """Line of the provider's ``[[provider]]`` header in the register file."""

    @property
    def kind(self) -> str:
        return "framework" if self.framework else "off-framework"

    def offers(self, lots: Iterable[Lot]) -> bool:
        """True when the provider is contracted for at least one of ``lots``."""
        return bool(self.lots & set(lots))

    def serves(self, district: str) -> bool:
        return normalise_district(district) in self.areas

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "email": self.email,
            "telephone": self.telephone,
            "lots": sorted(lot.value for lot in self.lots),
            "areas": describe(self.areas).split(", "),
            "framework": self.framework,
            "active": self.active,
            "address": self.address,
            "line": self.line,
        }


@dataclass(frozen=True)
class Register:
    source: str
    """The file it was read from, as a person would name it (the bundled sample says so)."""
    providers: tuple[Provider, ...]
    sample: bool = False
    """The file says ``sample = true``: fictional providers, for trying the toolkit out."""

    def find(self, name: str) -> Provider | None:
        """The provider called ``name`` (case and spacing ignored), or ``None``."""
        key = name_key(name)
        return next((p for p in self.providers if name_key(p.name) == key), None)

    def as_json(self) -> dict[str, Any]:
        return {"source": self.source, "sample": self.sample, "providers": [p.as_json() for p in self.providers]}


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class RegisterProblem:
    line: int | None
    provider: str
    """The provider's name when known, else its position (``provider 3``)."""
    key: str
    message: str

    def sentence(self, source: str) -> str:
        where = f"line {self.line}" if self.line else "a line tomllib could not place"
        subject = f", {self.provider}" if self.provider else ""
        key = f", {self.key}" if self.key else ""
        return f"{source}, {where}{subject}{key}: {self.message}"


class RegisterError(InputFileError):
    """The provider register cannot be used; :attr:`problems` holds every mistake found."""

    def __init__(self, message: str, problems: Sequence[RegisterProblem] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


# -- where things are in the text -------------------------------------------------------------------

_HEADER = re.compile(r"^\s*\[\[\s*provider\s*\]\]\s*(?:#.*)?$")
_TABLE = re.compile(r"^\s*\[")
_TRIPLE = re.compile(r'"""|\'\'\'')


def _code_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) of each line that does not start inside a multi-line string."""
    out: list[tuple[int, str]] = []
    inside: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if inside is None:
            out.append((number, line))
        for match in _TRIPLE.finditer(line):
            quote = match.group(0)
            if inside is None:
                inside = quote
            elif inside == quote:
                inside = None
    return out


@dataclass(frozen=True)
class _Layout:
    code: list[tuple[int, str]]
    headers: list[int]
    """Line of each ``[[provider]]`` header, in file order."""

    def table_range(self, index: int) -> tuple[int, int] | None:
        if index >= len(self.headers):
            return None
        start = self.headers[index]
        end = next((n for n, line in self.code if n > start and _TABLE.match(line)), 10**9)
        return start, end

    def key_line(self, key: str, within: tuple[int, int] | None = None) -> int | None:
        pattern = re.compile(rf"""^\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*=""")
        first, last = within if within else (0, self.headers[0] if self.headers else 10**9)
        return next((n for n, line in self.code if first < n < last and pattern.match(line)), None)


def _layout(text: str) -> _Layout:
    code = _code_lines(text)
    return _Layout(code, [n for n, line in code if _HEADER.match(line)])


# -- checking -------------------------------------------------------------------------------------

_REQUIRED = ("name", "email", "telephone", "lots", "areas", "framework")
_OPTIONAL = ("active", "address")
_TOP_KEYS = ("sample", "provider")
_LOT_LIST = ", ".join(f'"{lot.value}"' for lot in Lot)


def _what(value: object) -> str:
    return {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)


class _Checker:
    def __init__(self, layout: _Layout) -> None:
        self.layout = layout
        self.problems: list[RegisterProblem] = []

    def add(self, line: int | None, provider: str, key: str, message: str) -> None:
        self.problems.append(RegisterProblem(line, provider, key, message))

    def provider(self, index: int, table: object, seen: dict[str, tuple[str, int | None]]) -> Provider | None:
        within = self.layout.table_range(index)
        header = within[0] if within else None
        if not isinstance(table, Mapping):
            self.add(header, f"provider {index + 1}", "", "each provider must be a [[provider]] table.")
            return None
        raw_name = table.get("name")
        label = f"provider {raw_name.strip()!r}" if isinstance(raw_name, str) and raw_name.strip() \
            else f"provider {index + 1}"
        count = len(self.problems)

        def line_of(key: str) -> int | None:
            return self.layout.key_line(key, within) if within else None

        def bad(key: str, message: str) -> None:
            self.add(line_of(key) or header, label, key, message)

        for key in table:
            if key not in _REQUIRED + _OPTIONAL:
                bad(key, f"unknown key '{key}'. A provider has {', '.join(_REQUIRED + _OPTIONAL)}; "
                         "correct the spelling or remove the line.")
        for key in _REQUIRED:
            if key not in table:
                self.add(header, label, key, f"the {key} is missing. Add a line such as {_EXAMPLES[key]} "
                                             "to this provider's table.")

        name = self._text(table, "name", bad, one_line=True)
        email = self._text(table, "email", bad, one_line=True)
        if email is not None and not EMAIL.match(email):
            bad("email", f"{email!r} is not one email address. Write it like \"referrals@provider.example\".")
            email = None
        telephone = self._text(table, "telephone", bad, one_line=True)
        if telephone is not None and not TELEPHONE.match(telephone):
            bad("telephone", f"{telephone!r} is not a telephone number. Write digits and spaces, like "
                             "\"0116 496 0001\".")
        lots = self._lots(table, bad)
        areas = self._areas(table, bad)
        framework = self._flag(table, "framework", bad, default=None)
        active = self._flag(table, "active", bad, default=True)
        address = self._text(table, "address", bad, one_line=False) or ""
        if name is not None:
            key = name_key(name)
            if key in seen:
                first, first_line = seen[key]
                where = f"line {first_line}" if first_line else "earlier in the file"
                bad("name", f"the name {name!r} is already used by the provider on {where} ({first!r}). "
                            "Each provider is listed once: merge the two tables or correct the name.")
            else:
                seen[key] = (name, header)
        if len(self.problems) > count or None in (name, email, telephone, lots, areas, framework, active):
            return None
        return Provider(name=name, email=email, telephone=telephone, lots=lots, areas=areas,  # type: ignore[arg-type]
                        framework=framework, active=active, address=address, line=header)  # type: ignore[arg-type]

    @staticmethod
    def _text(table: Mapping[str, Any], key: str, bad: Any, *, one_line: bool) -> str | None:
        if key not in table:
            return None
        value = table[key]
        if not isinstance(value, str) or not value.strip():
            bad(key, f"must be some text in quotes, not {_what(value)} ({value!r}).")
            return None
        if one_line and _CONTROL.search(value):
            bad(key, "must be one line of text, with no line breaks or control characters.")
            return None
        return value.strip()

    @staticmethod
    def _flag(table: Mapping[str, Any], key: str, bad: Any, default: bool | None) -> bool | None:
        if key not in table:
            return default
        value = table[key]
        if not isinstance(value, bool):
            bad(key, f"must be true or false without quotes, not {_what(value)} ({value!r}).")
            return None
        return value

    @staticmethod
    def _lots(table: Mapping[str, Any], bad: Any) -> frozenset[Lot] | None:
        if "lots" not in table:
            return None
        value = table["lots"]
        if not isinstance(value, list) or not value:
            bad("lots", f"must be a list of one or both of {_LOT_LIST}, like lots = [\"short-breaks\"].")
            return None
        lots: set[Lot] = set()
        for item in value:
            try:
                lots.add(Lot(item.strip().lower() if isinstance(item, str) else item))
            except ValueError:
                bad("lots", f"{item!r} is not a lot this register knows. Use {_LOT_LIST}.")
                return None
        return frozenset(lots)

    @staticmethod
    def _areas(table: Mapping[str, Any], bad: Any) -> frozenset[str] | None:
        if "areas" not in table:
            return None
        value = table["areas"]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            bad("areas", "must be a list of postcode districts in quotes, like areas = [\"LE11\", \"LE12\"], "
                         "or [\"all\"] for the whole county.")
            return None
        districts = [normalise_district(v) for v in value]
        if ALL_DISTRICTS.upper() in districts:
            if len(districts) > 1:
                bad("areas", "\"all\" already means every district of the county: write it alone.")
                return None
            return COUNTY_DISTRICTS
        for district in districts:
            if not DISTRICT.match(district):
                bad("areas", f"{district!r} is not a postcode district. Write the first half of a postcode, "
                             "like \"LE11\".")
                return None
            if district not in COUNTY_DISTRICTS:
                bad("areas", f"{district!r} is not a postcode district of the county. The county's districts "
                             f"are {describe(COUNTY_DISTRICTS)}.")
                return None
        return frozenset(districts)


_EXAMPLES = {
    "name": 'name = "Bright Days Play Ltd"',
    "email": 'email = "referrals@provider.example"',
    "telephone": 'telephone = "0116 496 0001"',
    "lots": 'lots = ["short-breaks"]',
    "areas": 'areas = ["LE11", "LE12"]',
    "framework": "framework = true",
}


def parse_register(text: str, source: str) -> Register:
    """The register in ``text`` (read from ``source``, used in messages); raises :class:`RegisterError`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RegisterError(
            f"The provider register {source} is not valid TOML ({error}). Correct that line; each provider "
            "is a [[provider]] table of key = value lines."
        ) from error
    layout = _layout(text)
    checker = _Checker(layout)
    for key in data:
        if key not in _TOP_KEYS:
            checker.add(layout.key_line(key), "", key,
                        f"unknown key '{key}' outside the providers. Put it inside a [[provider]] table or remove it.")
    sample = data.get("sample", False)
    if not isinstance(sample, bool):
        checker.add(layout.key_line("sample"), "", "sample", "must be true or false without quotes.")
        sample = False
    tables = data.get("provider")
    if not isinstance(tables, list) or not tables:
        checker.add(None, "", "provider", "the file lists no providers. Add one [[provider]] table per provider.")
        tables = []
    if tables and len(layout.headers) != len(tables):
        layout = _Layout(layout.code, [])  # written another way (inline tables): no lines to give
        checker.layout = layout
    providers: list[Provider] = []
    seen: dict[str, tuple[str, int | None]] = {}
    for index, table in enumerate(tables):
        provider = checker.provider(index, table, seen)
        if provider is not None:
            providers.append(provider)
    if checker.problems:
        problems = checker.problems
        sentences = [p.sentence(source) for p in problems]
        head = (f"The provider register {source} has {len(problems)} mistakes; correct each and run again:\n"
                if len(problems) > 1 else "")
        tail = "" if len(problems) > 1 else " Correct it and run again."
        raise RegisterError(head + "\n".join(sentences) + tail, problems)
    return Register(source=source, providers=tuple(providers), sample=sample)


def read_register(path: Path) -> Register:
    """The register in the file at ``path``; raises :class:`RegisterError`."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise RegisterError(
            f"Cannot read the provider register {path}: {error.strerror or error}. Check the path given with "
            "--register or as register in the policy file."
        ) from error
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise RegisterError(
            f"The provider register {path}, line {line}, is not UTF-8 text. Save the file as UTF-8 and run again."
        ) from error
    return parse_register(text, str(path))
