"""Read what a person typed into a box as the schema's value, never guessing.

One parser per kind of value: UK dates to ISO, times of day to ``hh:mm``, hours and money to
numbers, choices to their exact option, ticks to ``True``. A value that cannot be read without a
guess ("31/02/2026", "next Tuesday", "3 or 4") raises :class:`CoercionError`, whose ``reason``
completes a sentence about the box and whose ``advice`` says what to type instead. Which parser a box
uses is a fact of its kind (:mod:`brokerage.schema.boxes`).
"""

from __future__ import annotations

import re
from datetime import date

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
    """The option ``text`` names (case, spacing and a final full stop aside)."""
    wanted = _squash(text)
    for option in options:
        if _squash(option) == wanted:
            return option
    listed = ", ".join(f"'{o}'" for o in options)
    raise CoercionError("is not one of the choices", f"Choose one of {listed}.")


def parse_yes_no(text: str, options: tuple[str, ...] = ("Yes", "No")) -> str:
    """``Yes`` or ``No``: the option itself, or a word a viewer writes for a button ("y", "on", "off" …)."""
    wanted = _squash(text)
    if not any(_squash(option) == wanted for option in options):
        if wanted in _TRUE:
            return "Yes"
        if wanted in _FALSE:
            return "No"
    return parse_choice(text, options)


def parse_boolean(value: str | bool) -> bool | None:
    if isinstance(value, bool):
        return value or None
    word = _squash(value)
    if word in _TRUE:
        return True
    if word in _FALSE:
        return None
    raise CoercionError("is not a tick", "Tick the box, or leave it empty.")
