"""Shared makings for the outputs tests: filled forms, results, and independent leak searches.

| maker | what it is |
|---|---|
| :func:`filled` | an example instance filled into the generator's blank form with the generator's fill |
| :func:`accepted` / :func:`returned` | a :class:`FileResult` as the pipeline hands it to the outputs |
| :func:`personal_needles` | the personal values of an example, listed by hand from the guidance |
| :func:`qpdf_inflated` | the file rewritten by qpdf with every stream decompressed, font programs cut out |
| :func:`mutool_text` | the text MuPDF draws on every page, form field appearances included |
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import subprocess
from collections.abc import Iterator, Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from engines import require_tool
from pypdf import PdfReader
from pypdf.generic import encode_pdfdocencoding

from brokerage.processor.demo import sample_instance
from brokerage.processor.outputs.forms import blank_form, fill_form, kind_of
from brokerage.processor.results import FileResult, Status
from brokerage.schema import Problem

EXAMPLES = Path(__file__).parent / "examples"
REFERRALS = ("referral-summer-scheme", "referral-two-children", "referral-domiciliary-only")


def example(name: str) -> dict[str, Any]:
    """An instance from ``tests/examples`` or, failing that, a bundled demo sample."""
    path = EXAMPLES / f"{name}.json"
    if not path.exists():
        return sample_instance(name)
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _filled(name: str) -> bytes:
    instance = example(name)
    return fill_form(blank_form(kind_of(instance)), instance)


def filled(name: str, instance: Mapping[str, Any] | None = None) -> bytes:
    """The example (or ``instance``) filled into our blank form of its kind."""
    if instance is None:
        return _filled(name)
    return fill_form(blank_form(kind_of(instance)), instance)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def accepted(name: str, pdf: bytes, reference: str, data: Mapping[str, Any] | None = None) -> FileResult:
    instance = example(name) if data is None else data
    return FileResult(
        source=f"{name}.pdf", sha256=sha(pdf), kind=kind_of(instance), status=Status.accepted,
        reference=reference, data=instance, received=date(2026, 2, 3),
    )


def returned(
    data: Mapping[str, Any] | None, problems: tuple[Problem, ...], *, reference: str | None = "BRK-2026-0007",
    kind: str = "referral", source: str = "referral.pdf", digest: str = "ab" * 32,
) -> FileResult:
    return FileResult(
        source=source, sha256=digest, kind=kind, status=Status.returned, reference=reference,
        problems=problems, data=data, received=date(2026, 2, 3),
    )


def uk(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def personal_needles(instance: Mapping[str, Any]) -> list[str]:
    """Names (whole and each part), dates of birth (ISO and dd/mm/yyyy), address lines, Mosaic IDs,
    the principal contact's details, and the worker's and manager's names and numbers."""
    out: set[str] = set()
    part_a = instance.get("part_a", {})
    children = [*part_a.get("children", []), *instance.get("annex_1", {}).get("children", [])]
    for child in children:
        out.update({child["name"], *child["name"].replace("-", " ").split(), child["mosaic_id"]})
        out.update({child["date_of_birth"], uk(child["date_of_birth"])})
        contact = child.get("principal_contact", {})
        for key in ("name", "telephone", "email"):
            if key in contact:
                out.add(contact[key])
        if "name" in contact:
            out.update(contact["name"].split())
        for address in (child.get("address"), contact.get("address")):
            if address:
                out.update(line for line in address.splitlines() if line != "Leicester")
    worker = part_a.get("allocated_worker", {})
    out.update(v for v in worker.values())
    out.add(part_a.get("manager_approval", {}).get("manager_name", "Jo Bloggs"))
    out.discard("Mum")
    return sorted(n for n in out if n)


def spellings(text: str) -> Iterator[bytes]:
    """``text`` as UTF-8, UTF-16 (with and without BOM), PDFDocEncoding, and each as hex."""
    forms = [text.encode("utf-8"), text.encode("utf-16-be"), b"\xfe\xff" + text.encode("utf-16-be")]
    with contextlib.suppress(UnicodeEncodeError, KeyError, ValueError):
        forms.append(encode_pdfdocencoding(text))
    for form in forms:
        yield form
        yield form.hex().encode()
        yield form.hex().upper().encode()


def leaks(blobs: list[bytes], needles: list[str]) -> set[str]:
    return {n for n in needles if any(s in b for s in spellings(n) for b in blobs)}


def _font_program_ids(reader: PdfReader) -> set[int]:
    ids: set[int] = set()
    for idnum in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(idnum)
        except Exception:
            continue
        if hasattr(obj, "get") and obj.get("/Type") == "/FontDescriptor":
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                ref = obj.get_raw(key) if hasattr(obj, "get_raw") else None
                ref = ref if ref is not None else obj.get(key)
                if ref is not None and hasattr(ref, "idnum"):
                    ids.add(ref.idnum)
    return ids


def qpdf_inflated(pdf: bytes, tmp_path: Path) -> bytes:
    """The file as qpdf writes it in QDF mode (every stream decoded, no object streams), with the
    bodies of embedded font programs removed (their tables hold digit runs like "1234567")."""
    qpdf = require_tool("qpdf")
    source, target = tmp_path / "in.pdf", tmp_path / "qdf.pdf"
    source.write_bytes(pdf)
    subprocess.run([qpdf, "--qdf", "--object-streams=disable", str(source), str(target)], check=False)
    data = target.read_bytes()
    fonts = _font_program_ids(PdfReader(target))
    pattern = re.compile(rb"\n(\d+) 0 obj\n.*?\nendobj", re.DOTALL)
    return pattern.sub(lambda m: b"\n" if int(m.group(1)) in fonts else m.group(0), data)


def mutool_text(pdf: bytes, tmp_path: Path) -> str:
    """Every page's text as MuPDF draws it, widget appearances included."""
    mutool = require_tool("mutool")
    source = tmp_path / "text.pdf"
    source.write_bytes(pdf)
    done = subprocess.run([mutool, "draw", "-q", "-F", "txt", "-o", "-", str(source)], capture_output=True, check=True)
    return done.stdout.decode("utf-8")
