"""Turn what people typed into the schema's types, one leaf at a time, never guessing.

Each field's value is coerced by its schema node (:func:`brokerage.schema.leaf_for_pointer`):
dates to ISO, times to ``hh:mm``, hours and money to numbers, choices to their exact option,
tick boxes to ``true``. A value that cannot be read without a guess ("31/02/2026", "next Tuesday",
"3 or 4") is a :class:`~brokerage.schema.Problem` on that field and is left out of the instance,
so validation then reports nothing further about it that would confuse the reader.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from brokerage.processor.pdf_read import RawField
from brokerage.schema import FORMS, Leaf, Problem, Severity, leaf_for_pointer, pointer_from_name, set_at
from brokerage.schema.catalogue import container_title
from brokerage.schema.loader import load_schema, resolve
from brokerage.schema.pointers import compact

SKIPPED_NAMES = frozenset({"form_id"})

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*,?\s+"


class CoercionError(ValueError):
    """A value that cannot be read as its field's type; ``reason`` completes a sentence."""

    def __init__(self, reason: str, advice: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.advice = advice


# --- dates ---------------------------------------------------------------------------------------

_DATE_ADVICE = "Type the date as dd/mm/yyyy, for example 01/03/2026."
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2,4})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+([a-z]+)\.?,?\s+(\d{2,4})$")
_MONTH_DAY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{2,4})$")


def _make_date(year: str, month: int, day: int) -> str:
    if len(year) != 4:
        raise CoercionError("has a year of only two digits", "Type the year in full, for example 01/03/2026.")
    try:
        return date(int(year), month, day).isoformat()
    except ValueError:
        raise CoercionError("is not a real date", _DATE_ADVICE) from None


def _month(word: str) -> int:
    month = _MONTHS.get(word.lower())
    if month is None:
        raise CoercionError("is not a date that can be read", _DATE_ADVICE)
    return month


def parse_date(text: str) -> str:
    """A UK date as typed (``1/3/2026``, ``01.03.2026``, ``1 March 2026``, ``1st Mar 2026``, ISO) → ISO."""
    value = " ".join(text.strip().lower().split())
    value = re.sub(rf"^{_WEEKDAY}", "", value)
    if match := _ISO.match(value):
        return _make_date(match[1], int(match[2]), int(match[3]))
    if match := _NUMERIC.match(value):
        return _make_date(match[3], int(match[2]), int(match[1]))
    if match := _DAY_MONTH.match(value):
        return _make_date(match[3], _month(match[2]), int(match[1]))
    if match := _MONTH_DAY.match(value):
        return _make_date(match[3], _month(match[1]), int(match[2]))
    raise CoercionError("is not a date that can be read", _DATE_ADVICE)


# --- times ---------------------------------------------------------------------------------------

_TIME_ADVICE = "Type the time as hh:mm on the 24-hour clock, for example 09:30 or 14:00."
_CLOCK = re.compile(r"^(\d{1,2})(?:\s*[:.]\s*(\d{2}))?\s*(am|pm)?$")
_COMPACT_CLOCK = re.compile(r"^([01]\d|2[0-3])([0-5]\d)$")


def parse_time(text: str) -> str:
    """A time of day as typed (``9:30``, ``09:30``, ``9.30am``, ``2pm``, ``1430``, ``noon``) → ``hh:mm``."""
    value = " ".join(text.strip().lower().split())
    value = value.replace("a.m.", "am").replace("p.m.", "pm").replace("a.m", "am").replace("p.m", "pm")
    if value in ("noon", "midday", "12 noon", "12noon"):
        return "12:00"
    if value == "midnight":
        return "00:00"
    if match := _COMPACT_CLOCK.match(value):
        return f"{match[1]}:{match[2]}"
    match = _CLOCK.match(value)
    if not match:
        raise CoercionError("is not a time that can be read", _TIME_ADVICE)
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if minute > 59:
        raise CoercionError("is not a real time", _TIME_ADVICE)
    if half:
        if not 1 <= hour <= 12:
            raise CoercionError("is not a real time", _TIME_ADVICE)
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match[2] is None:
        raise CoercionError(
            "does not say whether it is morning or afternoon",
            "Type the time as hh:mm on the 24-hour clock, for example 09:00 or 21:00.",
        )
    elif hour > 23:
        raise CoercionError("is not a real time", _TIME_ADVICE)
    return f"{hour:02d}:{minute:02d}"


# --- hours and money -----------------------------------------------------------------------------

_HOURS_ADVICE = "Type one number of hours, for example 3 or 3.5 (three and a half hours)."
_HOURS_DECIMAL = re.compile(r"^(\d+(?:\.\d+)?|\.\d+)\s*(½)?\s*(?:h|hr|hrs|hour|hours)?$")
_HOURS_CLOCK = re.compile(r"^(\d+)\s*(?::|h|hrs?\s|hours?\s)\s*(\d{1,2})\s*(?:m|min|mins|minutes)?$")
_MINUTES = re.compile(r"^(\d+)\s*(?:m|min|mins|minutes)$")


def _number(value: str) -> float | int:
    number = float(value)
    return int(number) if number.is_integer() else number


def parse_hours(text: str) -> float | int:
    """Hours as typed (``3``, ``3.5``, ``3½``, ``3:30``, ``3h 30m``, ``3 hours``, ``45 mins``) → a number."""
    value = " ".join(text.strip().lower().split())
    if match := _HOURS_DECIMAL.match(value):
        hours = float(match[1]) + (0.5 if match[2] else 0)
        return int(hours) if hours.is_integer() else hours
    if value.endswith("½") and value[:-1].strip() == "":
        return 0.5
    if match := _HOURS_CLOCK.match(value):
        minutes = int(match[2])
        if minutes > 59:
            raise CoercionError("is not a number of hours that can be read", _HOURS_ADVICE)
        return _number(str(int(match[1]) + minutes / 60))
    if match := _MINUTES.match(value):
        return _number(str(int(match[1]) / 60))
    raise CoercionError("is not one number of hours", _HOURS_ADVICE)


_MONEY_ADVICE = "Type one amount in pounds, for example 21.50."
_MONEY = re.compile(
    r"^(?:£|gbp)?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?\s*(?:gbp|pounds?)?"
    r"\s*(?:(?:per|an|a|/)\s*(?:hour|hr|h)|p/?h)?$"
)


def parse_money(text: str) -> float | int:
    """An amount as typed (``£21.50``, ``21.5``, ``£1,200``, ``£21.50 per hour``) → a number of pounds."""
    value = " ".join(text.strip().lower().split())
    match = _MONEY.match(value)
    if not match:
        raise CoercionError("is not one amount in pounds", _MONEY_ADVICE)
    return _number(match[1].replace(",", "") + (match[2] or ""))


_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[+-]?\.\d+$")


def parse_number(text: str, integer: bool = False) -> float | int:
    """A plain number (``3``, ``3.5``, ``1,200``); ``1,5`` is refused rather than read as 15."""
    value = text.strip()
    if not _NUMBER.match(value):
        raise CoercionError("is not a number", "Type digits only, for example 3 or 3.5.")
    number = float(value.replace(",", ""))
    if integer and not number.is_integer():
        raise CoercionError("is not a whole number", "Type a whole number, for example 3.")
    return int(number) if integer or number.is_integer() else number


# --- choices and tick boxes ----------------------------------------------------------------------

_TRUE = {"yes", "y", "on", "true", "1", "x", "ticked", "signed"}
_FALSE = {"no", "n", "off", "false", "0", ""}


def _squash(text: str) -> str:
    return " ".join(text.replace("’", "'").lower().split()).rstrip(".")


def parse_choice(text: str, options: tuple[str, ...]) -> str:
    wanted = _squash(text)
    for option in options:
        if _squash(option) == wanted:
            return option
    if set(options) == {"Yes", "No"}:
        if wanted in _TRUE:
            return "Yes"
        if wanted in _FALSE:
            return "No"
    listed = ", ".join(f"'{o}'" for o in options)
    raise CoercionError("is not one of the choices", f"Choose one of {listed}.")


def parse_boolean(value: str | bool) -> bool | None:
    if isinstance(value, bool):
        return value or None
    word = _squash(value)
    if word in _TRUE:
        return True
    if word in _FALSE:
        return None
    raise CoercionError("is not a tick", "Tick the box, or leave it empty.")


# --- one leaf ------------------------------------------------------------------------------------


def _is_hours(node: Mapping[str, Any]) -> bool:
    return node.get("multipleOf") == 0.25 or node.get("maximum") == 168


def _is_money(node: Mapping[str, Any]) -> bool:
    return node.get("multipleOf") == 0.01 or "£" in str(node.get("title", ""))


def _is_time(node: Mapping[str, Any]) -> bool:
    return node.get("x-widget") == "time" or node.get("format") == "time"


def normalise_text(text: str) -> str:
    """Line breaks from any engine (``\\r\\n`` PDFium, ``\\r``) as ``\\n``; outer white space removed."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def coerce_value(leaf: Leaf, value: str | bool | None) -> Any:
    """The schema-typed value of one field, ``None`` for blank; :class:`CoercionError` when unreadable."""
    if value is None:
        return None
    node = leaf.node
    if leaf.type == "boolean":
        return parse_boolean(value)
    if isinstance(value, bool):
        if leaf.enum and "Yes" in leaf.enum:
            return "Yes" if value else None
        return None if not value else "Yes"
    text = normalise_text(value)
    if text == "":
        return None
    if leaf.enum is not None:
        return parse_choice(text, leaf.enum)
    if leaf.type == "string":
        if leaf.format == "date":
            return parse_date(text)
        if _is_time(node):
            return parse_time(text)
        return text
    if leaf.type == "integer":
        return parse_number(text, integer=True)
    if _is_hours(node):
        return parse_hours(text)
    if _is_money(node):
        return parse_money(text)
    return parse_number(text)


# --- where a field is, in words ------------------------------------------------------------------


def field_context(pointer: str) -> str:
    """Which repeat and table row a concrete pointer is in, e.g. ``Details of the child 2, Saturday``.

    Empty for a field that is not inside a repeat or a titled group below its section.
    """
    tokens = pointer.strip("/").split("/")
    words: list[str] = []
    node: Mapping[str, Any] = load_schema()
    prefix = ""
    for position, token in enumerate(tokens[:-1]):
        node = resolve(node)
        prefix += "/" + token
        if token.isdigit():
            array_title = container_title(prefix.rsplit("/", 1)[0])
            if words and words[-1] == array_title:
                words.pop()
            words.append(f"{array_title} {int(token) + 1}")
            node = node.get("items", {})
            continue
        node = node.get("properties", {}).get(token, {})
        child = resolve(node)
        if position == 0 or "x-section" in child or child.get("type") == "array":
            if child.get("type") == "array":
                words.append(child.get("title", ""))
            continue
        if child.get("title"):
            words.append(child["title"])
    if tokens[-1].isdigit():
        array_title = container_title("/" + "/".join(tokens[:-1]))
        if words and words[-1] == array_title:
            words.pop()
        words.append(f"{array_title} {int(tokens[-1]) + 1}")
    return ", ".join(w for w in words if w)


def describe(leaf: Leaf, pointer: str, page: int | None) -> str:
    """``Section 2 – Details of the child, page 2: 'Date of birth' (Details of the child 2)``."""
    where = leaf.section + (f", page {page}" if page else "")
    context = field_context(pointer)
    return f"{where}: '{leaf.title}'" + (f" ({context})" if context else "")


# --- the whole form ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coerced:
    instance: dict[str, Any]
    """The coerced JSON instance (blank fields and blank repeat slots left out)."""
    problems: tuple[Problem, ...] = ()
    pages: Mapping[str, int] = field(default_factory=dict)
    """Page of every field of ours in the file, by concrete pointer (blank fields included)."""


def _quote(value: str, limit: int = 60) -> str:
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def coerce_form(fields: Mapping[str, RawField], kind: str) -> Coerced:
    """Coerce every field of a form of ``kind`` (``fields``: the reader's fields by name).

    Fields of other parts, names that are not pointers and the hidden ``form_id`` are ignored.
    """
    parts = set(FORMS[kind].parts)
    instance: dict[str, Any] = {}
    problems: list[Problem] = []
    pages: dict[str, int] = {}
    for name, raw in fields.items():
        if name in SKIPPED_NAMES:
            continue
        try:
            pointer = pointer_from_name(name)
        except ValueError:
            continue
        leaf = leaf_for_pointer(pointer)
        if leaf is None or leaf.part not in parts:
            continue
        if raw.page is not None:
            pages[pointer] = raw.page
        value = raw.value
        try:
            coerced = coerce_value(leaf, value)
        except CoercionError as error:
            shown = _quote(str(value))
            problems.append(
                Problem(
                    pointer=pointer,
                    field=leaf.title,
                    rule=f"coerce:{_rule_name(leaf)}",
                    severity=Severity.error,
                    message=f"{describe(leaf, pointer, raw.page)} says '{shown}', which {error.reason}. {error.advice}",
                    section=leaf.section,
                    page=raw.page,
                )
            )
            continue
        limit = leaf.node.get("maxLength")
        if isinstance(coerced, str) and isinstance(limit, int) and len(coerced) > limit:
            problems.append(
                Problem(
                    pointer=pointer,
                    field=leaf.title,
                    rule="coerce:max-length",
                    severity=Severity.error,
                    message=(
                        f"{describe(leaf, pointer, raw.page)} is {len(coerced)} characters long, more than the "
                        f"{limit} it can take. Shorten it; nothing was cut off."
                    ),
                    section=leaf.section,
                    page=raw.page,
                )
            )
        if isinstance(value, str) and raw.max_length and len(normalise_text(value)) >= raw.max_length > 0:
            problems.append(
                Problem(
                    pointer=pointer,
                    field=leaf.title,
                    rule="coerce:box-length",
                    severity=Severity.warning,
                    message=(
                        f"{describe(leaf, pointer, raw.page)} fills its box's limit of {raw.max_length} characters, "
                        "so the end may have been cut off. Check it and put anything that did not fit in the "
                        "additional notes."
                    ),
                    section=leaf.section,
                    page=raw.page,
                )
            )
        if coerced is not None:
            set_at(instance, pointer, coerced)
    return Coerced(instance=compact(instance), problems=tuple(problems), pages=pages)


def _rule_name(leaf: Leaf) -> str:
    if leaf.type == "boolean":
        return "boolean"
    if leaf.enum is not None:
        return "choice"
    if leaf.format == "date":
        return "date"
    if _is_time(leaf.node):
        return "time"
    if leaf.type in ("number", "integer"):
        if _is_hours(leaf.node):
            return "hours"
        if _is_money(leaf.node):
            return "money"
        return "number"
    return "text"
