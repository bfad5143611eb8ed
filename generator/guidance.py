"""Guidance sheets beside the forms: one data model, rendered as HTML (Jinja2) and PDF (platypus).

The model is built from the schema (each part's sections, every box's label, hint, format and
whether it is required), the guidance rules (:func:`brokerage.rules.catalogue`: each rule's title,
severity and sentence, exactly as the rule states it) and the general points and process that are
not rules (:mod:`brokerage.generator.guidance_text`), all with the values of one policy, so the
guidance can drift neither from the form nor from the checks.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from itertools import groupby
from xml.sax.saxutils import escape

from jinja2 import Environment, FunctionLoader, StrictUndefined
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
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
from brokerage.generator.widgets import widget_of
from brokerage.rules import Policy, RuleInfo, load_policy
from brokerage.rules import catalogue as rule_catalogue
from brokerage.rules.registry import POINTS
from brokerage.schema import Catalogue, Leaf, Node, default_catalogue


@dataclass(frozen=True)
class Sheet:
    """What one guidance sheet says besides the forms it explains (the forms whose kind names it)."""

    title: str
    intro: str
    points: tuple[guidance_text.GeneralPoint, ...]
    checks: frozenset[str]
    """The guidance points whose rules the sheet lists under "What the brokerage service checks"."""
    summer_scheme_facts: bool = False


# The points of the rules registry: the referral guidance's 11 general points and its table for Part A and
# Annex 1 go on the referral sheet; "The brokerage process" (the IPA's stages and sums) on the provider sheet;
# "Completing the Brokerage Form" (dates that could be right) on both.
PROVIDER_CHECKS = frozenset({"The brokerage process", "Completing the Brokerage Form"})
SHEETS: dict[str, Sheet] = {
    "referral": Sheet("Guidance: making a referral to the brokerage service", guidance_text.REFERRAL_INTRO,
                      guidance_text.REFERRAL_POINTS, frozenset(POINTS) - {"The brokerage process"},
                      summer_scheme_facts=True),
    "provider": Sheet("Guidance for providers: responding to a referral", guidance_text.PROVIDER_INTRO,
                      guidance_text.PROVIDER_POINTS, PROVIDER_CHECKS),
}
KINDS = tuple(SHEETS)
CHECK_POINTS: dict[str, frozenset[str]] = {kind: sheet.checks for kind, sheet in SHEETS.items()}


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
class PointGuide:
    """A general point: its number, title, its own words, and the anchor of its checks (if it has any)."""

    number: int
    title: str
    text: str
    checks_anchor: str = ""
    checks_reference: str = ""
    """Where the point's rules are printed (``guidance_text.CHECKS_REFERENCE``); empty when it has none."""


@dataclass(frozen=True)
class CheckGuide:
    """One guidance rule as the sheet prints it."""

    id: str
    title: str
    severity: str
    """``error`` or ``warning``."""
    severity_words: str
    guidance: str
    """The rule's sentence exactly as :func:`brokerage.rules.catalogue` gives it (policy values filled in)."""


@dataclass(frozen=True)
class CheckGroup:
    """The rules of one guidance point, in catalogue order."""

    label: str
    anchor: str
    checks: tuple[CheckGuide, ...]


@dataclass(frozen=True)
class Guidance:
    kind: str
    title: str
    intro: str
    contact: dict[str, str]
    points: tuple[PointGuide, ...]
    checks: tuple[CheckGroup, ...]
    """Empty when the sheet lists no checks."""
    checks_title: str
    checks_intro: str
    process: tuple[str, ...]
    parts: tuple[PartGuide, ...]
    facts: tuple[tuple[str, str], ...]
    """Policy values printed in a small table (response windows, summer scheme dates and caps)."""
    footer: str
    forms: tuple[str, ...] = field(default_factory=tuple)
    version: str = ""
    """The schema version of the forms it explains."""


def policy_values(policy: Policy) -> dict[str, str]:
    """The policy values the guidance prints, from the same policy as the rules' sentences."""
    return policy.template_values()


def _anchor(point_label: str) -> str:
    return "checks-" + "".join(c if c.isalnum() else "-" for c in point_label.lower()).strip("-")


def _check_groups(rules: list[RuleInfo]) -> tuple[CheckGroup, ...]:
    """The rules grouped by guidance point (consecutive in catalogue order); a general point's group is
    headed with its number and title ("General point 6: Summer play schemes")."""
    groups = []
    points = guidance_text.REFERRAL_POINTS
    for point, infos in groupby(rules, key=lambda info: info.point):
        batch = list(infos)
        label = batch[0].point_label
        if point.isdigit() and 1 <= int(point) <= len(points):
            label = f"{label}: {points[int(point) - 1].title}"
        checks = tuple(CheckGuide(info.id, info.title, info.severity.value,
                                  guidance_text.SEVERITY_WORDS[info.severity.value], info.guidance) for info in batch)
        groups.append(CheckGroup(label, _anchor(batch[0].point_label), checks))
    return tuple(groups)


def _answer(leaf: Leaf) -> str:
    widget = widget_of(leaf)
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


def _generic(leaf: Leaf, catalogue: Catalogue) -> tuple[str, str]:
    """The leaf's pointer with its table row replaced by ``*``, and the title of the table (if any)."""
    row, _, name = leaf.pointer.rpartition("/")
    table_pointer, _, _ = row.rpartition("/")
    table = catalogue.node(table_pointer)
    if table is not None and table.is_table:
        return f"{table_pointer}/*/{name}", table.title
    return leaf.pointer, ""


def _part(part: Node, catalogue: Catalogue) -> PartGuide:
    sections: dict[str, list[FieldGuide]] = {}
    seen: set[str] = set()
    for leaf in catalogue.part_leaves(part.name):
        key, table = _generic(leaf, catalogue)
        if key in seen:
            continue
        seen.add(key)
        parent = leaf.pointer.rsplit("/", 1)[0] if not leaf.pointer.endswith("/*") else leaf.pointer
        array_title = catalogue.title(parent[:-2]) if parent.endswith("/*") else ""
        if table:
            title = f"{table}: {leaf.title}"
        elif array_title and array_title not in leaf.section:
            title = f"{array_title}: {leaf.title}"
        else:
            title = leaf.title
        sections.setdefault(leaf.section, []).append(
            FieldGuide(title, leaf.description, _answer(leaf), leaf.required, _repeats(leaf, bool(table)))
        )
    descriptions = _section_descriptions(part)
    notes = tuple(part.schema.get("x-notes-for-parents", ()))
    return PartGuide(
        title=part.label,
        description=part.description,
        notes_title="Points to tell the parents or carers" if notes else "",
        notes=notes,
        sections=tuple(SectionGuide(title, descriptions.get(title, ""), tuple(items))
                       for title, items in sections.items()),
    )


def _section_descriptions(part: Node) -> dict[str, str]:
    out: dict[str, str] = {}
    for node in part.walk():
        if node.own_section and node.description:
            out.setdefault(node.own_section, node.description)
    return out


def build_guidance(kind: str, policy: Policy | None = None, catalogue: Catalogue | None = None) -> Guidance:
    """The guidance for ``kind``: ``referral`` (Parts A and Annex 1) or ``provider`` (Parts B and C), the
    parts of the forms whose kind names the sheet (:attr:`brokerage.schema.KindFacts.guidance`).

    ``policy`` gives every number and date the sheet prints, in the facts, the general points and the
    rules' sentences alike; without it the shipped default is loaded. ``catalogue`` is the schema catalogue
    the boxes come from (the shipped schema's by default).
    """
    if kind not in SHEETS:
        raise ValueError(f"Unknown guidance kind {kind!r}; use one of {KINDS}")
    sheet = SHEETS[kind]
    catalogue = catalogue or default_catalogue()
    policy = load_policy() if policy is None else policy
    values = policy_values(policy)
    fmt: Callable[[str], str] = lambda text: text.format(**values)  # noqa: E731
    explained = [form for form in catalogue.forms.values() if form.kind.facts.guidance == kind]
    parts = [part for form in explained for part in form.parts]
    points, intro, title, forms = sheet.points, sheet.intro, sheet.title, tuple(form.filename for form in explained)
    rules = rule_catalogue(policy)
    checks = _check_groups([info for info in rules if info.point in sheet.checks])
    anchors = {group.anchor for group in checks}
    sentences = {info.id: info.guidance for info in rules}
    point_guides = []
    for number, point in enumerate(points, start=1):
        text = " ".join([*(sentences[rule_id] for rule_id in point.quotes), *([fmt(point.text)] if point.text else [])])
        anchor = _anchor(f"General point {number}")
        link = (anchor, guidance_text.CHECKS_REFERENCE) if anchor in anchors else ()
        point_guides.append(PointGuide(number, point.title, text, *link))
    facts = (
        ("Brokerage duty line", values["duty_line"]),
        ("Brokerage email", values["email"]),
        ("Provider response window", f"{values['working_days']} working days"),
        ("Response window for urgent referrals", f"{values['urgent_working_days']} working days"),
    )
    if sheet.summer_scheme_facts:
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
        points=tuple(point_guides),
        checks=checks,
        checks_title=guidance_text.CHECKS_TITLE,
        checks_intro=guidance_text.CHECKS_INTRO,
        process=tuple(fmt(p) for p in guidance_text.PROCESS),
        parts=tuple(_part(node, catalogue) for node in catalogue.root.children if node.name in parts),
        facts=facts,
        footer=f"Generated from form version {catalogue.version} by brokerage-forms {__version__}.",
        forms=forms,
        version=catalogue.version,
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
        "checkhead": ParagraphStyle("ch", parent=base["BodyText"], fontSize=9, leading=11.5, spaceBefore=0,
                                    spaceAfter=1),
        "check": ParagraphStyle("ck", parent=base["BodyText"], fontSize=9, leading=11.5, spaceBefore=0, spaceAfter=0),
        "small": ParagraphStyle("s", parent=base["BodyText"], fontSize=7.8, leading=9.5),
        "cell": ParagraphStyle("c", parent=base["BodyText"], fontSize=7.8, leading=9.3),
        "cellb": ParagraphStyle("cb", parent=base["BodyText"], fontSize=7.8, leading=9.3, fontName="Helvetica-Bold"),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _point(point: PointGuide, style: ParagraphStyle) -> Paragraph:
    text = f"<b>{escape(point.title)}.</b>" + (f" {escape(point.text)}" if point.text else "")
    if point.checks_anchor:
        text += f' <a href="#{point.checks_anchor}" color="#1F3A5F">{escape(point.checks_reference)}</a>'
    return Paragraph(text, style)


def _check(check: CheckGuide, s: dict[str, ParagraphStyle]) -> Table:
    """A rule: its title and what happens if it is not met, then its sentence, beside a rule line."""
    colour = "#8A1C1C" if check.severity == "error" else "#333333"
    head = Paragraph(f'<b>{escape(check.title)}</b> <font color="{colour}"><i>({escape(check.severity_words)})</i>'
                     "</font>", s["checkhead"])
    table = Table([[[head, _p(check.guidance, s["check"])]]], colWidths=[180 * mm])
    table.setStyle(TableStyle([
        ("LINEBEFORE", (0, 0), (0, 0), 1.5, colors.HexColor("#7F8FA6")),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ]))
    return table


def render_pdf(guidance: Guidance) -> bytes:
    s = _styles()
    story: list = [_p(guidance.title, s["title"]), _p(guidance.intro, s["body"]), Spacer(1, 4)]
    facts = Table([[_p(k, s["cellb"]), _p(v, s["cell"])] for k, v in guidance.facts], colWidths=[70 * mm, 100 * mm])
    facts.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#F2F6FB")),
                               ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#7F8FA6")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [facts, _p("General points", s["h2"])]
    story.append(ListFlowable([ListItem(_point(p, s["body"]), value=p.number) for p in guidance.points],
                              bulletType="1", leftIndent=18))
    if guidance.checks:
        story += [_p(guidance.checks_title, s["h2"]), _p(guidance.checks_intro, s["body"])]
        for group in guidance.checks:
            heading = Paragraph(f'<a name="{group.anchor}"/>{escape(group.label)}', s["h3"])
            blocks = [_check(c, s) for c in group.checks]
            story += [KeepTogether([heading, blocks[0]]), *blocks[1:]]
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
            if len(rows) < 12:
                story.append(KeepTogether([*head, Spacer(1, 2), table]))
            else:
                story += [KeepTogether(head), table]
    story += [Spacer(1, 8), _p(guidance.footer, s["small"])]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=guidance.title, author="Brokerage service",
                            subject=guidance.intro, lang="en-GB", invariant=True)

    def footer(canvas: Canvas, doc_: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.HexColor("#4D4D4D"))
        canvas.drawString(15 * mm, 9 * mm, f"{guidance.title} – form version {guidance.version}")
        canvas.drawRightString(A4[0] - 15 * mm, 9 * mm, f"Page {doc_.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
