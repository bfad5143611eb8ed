"""Guidance sheets beside the forms: one data model, rendered as HTML (Jinja2) and PDF (platypus).

The model is built from the schema (each part's sections, every box's label, hint, format and
whether it is required) plus the general points and process (:mod:`brokerage.generator.guidance_text`)
with the policy's numbers and dates, so the guidance cannot drift from the form.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from xml.sax.saxutils import escape

from jinja2 import Environment, FunctionLoader, StrictUndefined
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from brokerage import __version__
from brokerage.generator import guidance_text
from brokerage.generator.widgets import widget_for
from brokerage.schema import FORMS, SCHEMA_VERSION, Leaf, load_schema, resolve
from brokerage.schema.catalogue import container_title

KINDS = ("referral", "provider")


@dataclass(frozen=True)
class FieldGuide:
    label: str
    guidance: str
    answer: str
    """How to answer: a format (dd/mm/yyyy), the options, "tick", "digital signature"."""
    required: bool
    repeats: str
    """Empty, or e.g. "one for each of up to 3" for boxes inside repeats."""


@dataclass(frozen=True)
class SectionGuide:
    title: str
    description: str
    fields: tuple[FieldGuide, ...]


@dataclass(frozen=True)
class PartGuide:
    title: str
    description: str
    notes_title: str
    notes: tuple[str, ...]
    sections: tuple[SectionGuide, ...]


@dataclass(frozen=True)
class Guidance:
    kind: str
    title: str
    intro: str
    contact: dict[str, str]
    points: tuple[tuple[str, str], ...]
    process: tuple[str, ...]
    parts: tuple[PartGuide, ...]
    facts: tuple[tuple[str, str], ...]
    """Policy values printed in a small table (response windows, summer scheme dates and caps)."""
    footer: str
    forms: tuple[str, ...] = field(default_factory=tuple)


def policy_values(policy_path: Path | None = None) -> dict[str, str]:
    """The policy values the guidance prints. The one place that knows where they come from."""
    from brokerage.rules.policy import load_policy

    return load_policy(policy_path).template_values()


def _answer(leaf: Leaf) -> str:
    widget = widget_for(leaf.node, leaf.pointer)
    if widget.kind in ("radio", "choice"):
        return "One of: " + "; ".join(leaf.enum or ())
    if widget.kind == "checkbox":
        return "Tick box"
    if widget.kind == "signature":
        return "Digital signature"
    if widget.kind == "multiline":
        return "Text (several lines)"
    return widget.placeholder.capitalize() if widget.placeholder else "Text"


def _repeats(leaf: Leaf, in_table: bool) -> str:
    out = [f"up to {n}" for n in leaf.slots]
    if in_table:
        out.append("one for each day")
    return "; ".join(out)


def _generic(pointer: str) -> tuple[str, str]:
    """The pointer with each table row replaced by ``*``, and the title of the table (if any)."""
    node = resolve(load_schema())
    tokens, table = [], ""
    for token in pointer.strip("/").split("/"):
        if token == "*":
            node = resolve(node.get("items", {}))
        else:
            if node.get("x-widget") == "timetable":
                table = node.get("title", "")
                tokens.append("*")
                node = resolve(node.get("properties", {}).get(token, {}))
                continue
            node = resolve(node.get("properties", {}).get(token, {}))
        tokens.append(token)
    return "/" + "/".join(tokens), table


def _part(part: str) -> PartGuide:
    node = resolve(load_schema()["properties"][part])
    sections: dict[str, list[FieldGuide]] = {}
    seen: set[str] = set()
    for leaf in FORMS_BY_PART()[part]:
        key, table = _generic(leaf.pointer)
        if key in seen:
            continue
        seen.add(key)
        parent = leaf.pointer.rsplit("/", 1)[0] if not leaf.pointer.endswith("/*") else leaf.pointer
        array_title = container_title(parent[:-2]) if parent.endswith("/*") else ""
        if table:
            title = f"{table}: {leaf.title}"
        elif array_title and array_title not in leaf.section:
            title = f"{array_title}: {leaf.title}"
        else:
            title = leaf.title
        sections.setdefault(leaf.section, []).append(
            FieldGuide(title, leaf.description, _answer(leaf), leaf.required, _repeats(leaf, bool(table)))
        )
    descriptions = _section_descriptions(node)
    notes = tuple(node.get("x-notes-for-parents", ()))
    return PartGuide(
        title=node.get("title", part),
        description=node.get("description", ""),
        notes_title="Points to tell the parents or carers" if notes else "",
        notes=notes,
        sections=tuple(SectionGuide(title, descriptions.get(title, ""), tuple(items))
                       for title, items in sections.items()),
    )


@cache
def FORMS_BY_PART() -> dict[str, tuple[Leaf, ...]]:
    out: dict[str, list[Leaf]] = {}
    for form in FORMS.values():
        for leaf in form.leaves():
            out.setdefault(leaf.part, []).append(leaf)
    return {k: tuple(v) for k, v in out.items()}


def _section_descriptions(node: dict) -> dict[str, str]:
    out: dict[str, str] = {}

    def walk(n: dict) -> None:
        n = resolve(n)
        if n.get("x-section") and n.get("description"):
            out.setdefault(n["x-section"], n["description"])
        for child in n.get("properties", {}).values():
            walk(child)
        if isinstance(n.get("items"), dict):
            walk(n["items"])

    walk(node)
    return out


def build_guidance(kind: str, values: dict[str, str] | None = None) -> Guidance:
    """The guidance for ``kind``: ``referral`` (Parts A and Annex 1) or ``provider`` (Parts B and C)."""
    values = policy_values() if values is None else values
    fmt: Callable[[str], str] = lambda text: text.format(**values)  # noqa: E731
    if kind == "referral":
        parts, points, intro = ("part_a", "annex_1"), guidance_text.REFERRAL_POINTS, guidance_text.REFERRAL_INTRO
        title, forms = "Guidance: making a referral to the brokerage service", ("referral.pdf",)
    elif kind == "provider":
        parts, points, intro = ("part_b", "part_c"), guidance_text.PROVIDER_POINTS, guidance_text.PROVIDER_INTRO
        title, forms = "Guidance for providers: responding to a referral", ("provider-response.pdf", "ipa.pdf")
    else:
        raise ValueError(f"Unknown guidance kind {kind!r}; use one of {KINDS}")
    facts = (
        ("Brokerage duty line", values["duty_line"]),
        ("Brokerage email", values["email"]),
        ("Provider response window", f"{values['working_days']} working days"),
        ("Response window for urgent referrals", f"{values['urgent_working_days']} working days"),
    )
    if kind == "referral":
        facts += (
            (f"Summer play scheme {values['scheme_year']}: most days per child", values["day_cap"]),
            ("Summer play scheme: closing date for open cases", values["closing_date_open_cases"]),
            ("Summer play scheme: new cases processed until", values["new_case_cut_off"]),
            ("Summer play scheme dates", f"{values['season_start']} to {values['season_end']}"),
        )
    return Guidance(
        kind=kind,
        title=title,
        intro=intro,
        contact={"duty_line": values["duty_line"], "email": values["email"]},
        points=tuple((t, fmt(text)) for t, text in points),
        process=tuple(fmt(p) for p in guidance_text.PROCESS),
        parts=tuple(_part(p) for p in parts),
        facts=facts,
        footer=f"Generated from form version {SCHEMA_VERSION} by brokerage-forms {__version__}.",
        forms=forms,
    )


# HTML ------------------------------------------------------------------------------------------

def _template_source(name: str) -> str:
    return files("brokerage.templates").joinpath(name).read_text(encoding="utf-8")


@cache
def _environment() -> Environment:
    return Environment(loader=FunctionLoader(_template_source), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


def render_html(guidance: Guidance) -> str:
    return _environment().get_template("guidance.html.j2").render(g=guidance)


# PDF -------------------------------------------------------------------------------------------

def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    navy = colors.HexColor("#1F3A5F")
    return {
        "title": ParagraphStyle("t", parent=base["Title"], fontSize=17, textColor=navy, alignment=0, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontSize=12.5, textColor=navy, spaceBefore=8),
        "h3": ParagraphStyle("h3", parent=base["Heading3"], fontSize=10.5, textColor=navy, spaceBefore=6),
        "body": ParagraphStyle("b", parent=base["BodyText"], fontSize=9, leading=11.5),
        "small": ParagraphStyle("s", parent=base["BodyText"], fontSize=7.8, leading=9.5),
        "cell": ParagraphStyle("c", parent=base["BodyText"], fontSize=7.8, leading=9.3),
        "cellb": ParagraphStyle("cb", parent=base["BodyText"], fontSize=7.8, leading=9.3, fontName="Helvetica-Bold"),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def render_pdf(guidance: Guidance) -> bytes:
    s = _styles()
    story: list = [_p(guidance.title, s["title"]), _p(guidance.intro, s["body"]), Spacer(1, 4)]
    facts = Table([[_p(k, s["cellb"]), _p(v, s["cell"])] for k, v in guidance.facts], colWidths=[70 * mm, 100 * mm])
    facts.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#F2F6FB")),
                               ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#7F8FA6")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [facts, _p("General points", s["h2"])]
    story.append(ListFlowable(
        [ListItem(Paragraph(f"<b>{escape(t)}.</b> {escape(text)}", s["body"])) for t, text in guidance.points],
        bulletType="1", leftIndent=14,
    ))
    story.append(_p("What happens during the brokerage process", s["h2"]))
    story.append(ListFlowable([ListItem(_p(p, s["body"])) for p in guidance.process], bulletType="bullet",
                              leftIndent=14))
    for part in guidance.parts:
        story += [_p(part.title, s["h2"]), _p(part.description, s["body"])]
        if part.notes:
            story.append(_p(part.notes_title, s["h3"]))
            story.append(ListFlowable([ListItem(_p(n, s["body"])) for n in part.notes], bulletType="bullet",
                                      leftIndent=14))
        for section in part.sections:
            rows = [[_p("Box", s["cellb"]), _p("What to write", s["cellb"]), _p("How", s["cellb"])]]
            for f in section.fields:
                label = f.label + (" (required)" if f.required else "")
                how = f.answer + (f"; {f.repeats}" if f.repeats else "")
                rows.append([_p(label, s["cellb"]), _p(f.guidance, s["cell"]), _p(how, s["cell"])])
            table = Table(rows, colWidths=[48 * mm, 90 * mm, 42 * mm], repeatRows=1)
            table.setStyle(TableStyle([
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DCE6F2")),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#C5CED9")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]))
            head = [_p(section.title, s["h3"])]
            if section.description:
                head.append(_p(section.description, s["small"]))
            story += [KeepTogether([*head, Spacer(1, 2), table]) if len(rows) < 12 else KeepTogether(head), ]
            if len(rows) >= 12:
                story.append(table)
    story += [Spacer(1, 8), _p(guidance.footer, s["small"])]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=guidance.title, author="Brokerage service",
                            subject=guidance.intro, lang="en-GB", invariant=True)

    def footer(canvas, doc_) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.HexColor("#4D4D4D"))
        canvas.drawString(15 * mm, 9 * mm, f"{guidance.title} – form version {SCHEMA_VERSION}")
        canvas.drawRightString(A4[0] - 15 * mm, 9 * mm, f"Page {doc_.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
