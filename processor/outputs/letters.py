"""The letter that goes back with a returned form: every problem, in page order, with the box's
label, its page and what to do.

One :class:`Letter` value feeds both renderings: HTML through ``templates/return-letter.html.j2``
(autoescaped) and PDF through reportlab platypus. Written to ``returned/<hash>-letter.html`` and
``.pdf`` (``returned/<reference>/…`` when the form carries a reference of ours); the hash is the
first 12 hex digits of the received file's sha256, never anything typed.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from brokerage.files import OWNER_ONLY, Permissions
from brokerage.generator.font import reportlab_font
from brokerage.processor.flattened.returns import copy_of, unreadable_needed
from brokerage.processor.outputs.canonical import canonical
from brokerage.processor.outputs.case_folder import write_outputs
from brokerage.processor.outputs.order import page_order
from brokerage.processor.outputs.paths import RETURNED, safe_reference, short_hash
from brokerage.processor.outputs.pdfwrite import finish
from brokerage.processor.outputs.render import render
from brokerage.processor.results import FileResult
from brokerage.schema import DOCUMENT_INFO_KEY, Catalogue, default_catalogue, get_at
from brokerage.text import printable

SENDER = "Brokerage service"


@dataclass(frozen=True)
class LetterItem:
    number: int
    page: str
    section: str
    field: str
    message: str
    must_fix: bool


@dataclass(frozen=True)
class Letter:
    title: str
    subject: str
    greeting: str
    dated: str
    reference: str | None
    source: str
    intro: str
    items: tuple[LetterItem, ...]
    closing: str
    sender: str = SENDER


def _initials(name: str) -> str:
    return "".join(part[0].upper() for part in re.split(r"[\s\-]+", name.strip()) if part)


def _child_label(child: Mapping[str, Any]) -> str:
    return " ".join(x for x in (_initials(str(child.get("name") or "")), str(child.get("mosaic_id") or "")) if x)


def case_subject(data: Mapping[str, Any] | None) -> str:
    """Guidance point 1: the children's initials and Mosaic IDs, as in the subject of case emails."""
    if not data:
        return ""
    for pointer in ("/part_a/children", "/annex_1/children"):
        found = [_child_label(c) for c in get_at(data, pointer) or [] if isinstance(c, Mapping) and c.get("name")]
        if found:
            return ", ".join(dict.fromkeys(found))
    child = get_at(data, "/part_c/child")
    return _child_label(child) if isinstance(child, Mapping) and child.get("name") else ""


def build_letter(result: FileResult, catalogue: Catalogue | None = None) -> Letter:
    """The letter for a returned file, from its result alone."""
    facts = result.kind.facts if result.kind is not None else None
    form = facts.in_letter if facts is not None else "form"
    data = canonical(result.data, catalogue) if result.data else None
    name = get_at(data, facts.addressee) if data is not None and facts is not None else None
    greeting = f"Dear {name.strip()}," if isinstance(name, str) and name.strip() else "Dear colleague,"
    problems = page_order(result.problems, catalogue)
    items = tuple(
        LetterItem(
            number=i,
            page=str(p.page) if p.page is not None else "–",
            section=p.section,
            field=p.field or "The whole form",
            message=p.message,
            must_fix=p.is_error,
        )
        for i, p in enumerate(problems, start=1)
    )
    errors = sum(1 for item in items if item.must_fix)
    warnings = len(items) - errors
    counted = f"{errors} thing{'s' if errors != 1 else ''} to correct"
    if warnings:
        counted += f" and {warnings} to check"
    subject = case_subject(data)
    intro = (
        f"We cannot take your {form} forward yet: it has {counted}, listed below in page order. "
        "Please correct each one in the same PDF form, save it and email it back to the brokerage service. "
        "Items marked “Please check” do not stop the form on their own."
    )
    copy = copy_of(result.problems)
    unread = unreadable_needed(result.problems)
    if copy is not None and unread:
        version = (catalogue or default_catalogue()).version
        intro = (
            f"We received {copy} of the {form}, form version {version} ('{result.source}'): a PDF with no fillable "
            f"boxes left, as printing to PDF, flattening or scanning makes. {unread} box{'es' if unread != 1 else ''} "
            f"the form needs could not be read on it, so we cannot take your {form} forward. Please send the "
            f"fillable {form} itself: fill in the PDF form (in Adobe Acrobat Reader, Chrome, Edge or another PDF "
            "reader), save it and email that file back, not a printed, flattened or scanned copy. Everything to "
            "correct or check is listed below in page order; items marked “Please check” do not stop the form "
            "on their own."
        )
    return Letter(
        title=f"Your {form} has been returned",
        subject=f"Returned {form}" + (f": {subject}" if subject else ""),
        greeting=greeting,
        dated=f"{result.received.day} {result.received:%B %Y}" if isinstance(result.received, date) else "",
        reference=safe_reference(result.reference),
        source=result.source,
        intro=intro,
        items=items,
        closing="If anything here is unclear, call the brokerage duty line before you resend the form.",
    )


def letter_html(letter: Letter) -> str:
    return render("return-letter.html.j2", letter=letter)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(printable(text, escapes=True)).replace("\n", "<br/>"), style)


def letter_pdf(letter: Letter, seed: str) -> bytes:
    """The letter as an A4 PDF, byte-identical for the same letter and seed (reportlab's invariant
    mode draws it; the ``/ID`` is then drawn from ``seed``, unique to the returned file)."""
    font = reportlab_font()
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=13.5, spaceAfter=6)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, spaceAfter=0)
    heading = ParagraphStyle("heading", parent=body, fontSize=15, leading=19, spaceAfter=10)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, invariant=1, title=letter.title, author=letter.sender,
        subject=printable(letter.subject, escapes=True),
        creator="brokerage-forms", leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm, bottomMargin=18 * mm,
    )
    story: list[Any] = [_p(letter.sender, small)]
    if letter.dated:
        story.append(_p(letter.dated, small))
    story += [Spacer(1, 6 * mm), _p(letter.title, heading), _p(letter.subject, body)]
    if letter.reference:
        story.append(_p(f"Brokerage reference: {letter.reference}", body))
    story += [_p(f"File received: {letter.source}", small), Spacer(1, 4 * mm), _p(letter.greeting, body)]
    story.append(_p(letter.intro, body))
    rows: list[list[Any]] = [[_p(h, small) for h in ("#", "Page", "Box on the form", "What to do", "")]]
    for item in letter.items:
        label = f"{item.section}: {item.field}" if item.section else item.field
        rows.append([
            _p(str(item.number), small), _p(item.page, small), _p(label, small), _p(item.message, small),
            _p("Must correct" if item.must_fix else "Please check", small),
        ])
    table = Table(rows, colWidths=[8 * mm, 13 * mm, 50 * mm, 81 * mm, 22 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#8a9aa9")),
    ]))
    story += [table, Spacer(1, 5 * mm), _p(letter.closing, body), _p("Yours sincerely,", body), _p(letter.sender, body)]
    doc.build(story)
    # reportlab's output, made just above: a plain reader, not open_pdf's checks for a file from outside.
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buffer.getvalue())))
    info = {"/Title": letter.title, "/Author": letter.sender, "/Subject": printable(letter.subject, escapes=True)}
    return finish(writer, seed, {**info, DOCUMENT_INFO_KEY: f"return-letter {seed.split(':')[0][:12]}"})


def letter_folder(result: FileResult) -> PurePosixPath:
    reference = safe_reference(result.reference)
    return RETURNED / reference if reference else RETURNED


def write_return_letter(
    result: FileResult, out_dir: Path, catalogue: Catalogue | None = None, *, permissions: Permissions = OWNER_ONLY
) -> list[str]:
    """Write the letter for a returned file as HTML and PDF; return their paths relative to ``out_dir``."""
    letter = build_letter(result, catalogue)
    stem = letter_folder(result) / f"{short_hash(result.sha256)}-letter"
    html_path, pdf_path = stem.with_suffix(".html"), stem.with_suffix(".pdf")
    outputs = {html_path: letter_html(letter).encode("utf-8"), pdf_path: letter_pdf(letter, f"{result.sha256}:letter")}
    write_outputs(out_dir, outputs, permissions, keep=frozenset(result.outputs))
    return sorted([str(html_path), str(pdf_path)])
