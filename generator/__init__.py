"""Fillable PDF forms and guidance sheets, generated from the schema alone.

- :func:`generate`: every form (``referral.pdf``, ``provider-response.pdf``, ``ipa.pdf``) and the
  guidance sheets (``guidance-referral``/``guidance-provider``, ``.pdf`` and ``.html``) in a folder;
- :func:`build_form`: one form's PDF bytes;
- :func:`list_fields`: every field of a PDF form with its pointer, type, options, page, requiredness;
- :func:`fill_pdf` / :func:`fill_file`: prefill a form from a JSON instance, with visible appearances.
"""

from __future__ import annotations

from pathlib import Path

from brokerage.generator.build import PART_PAGE_KEY, build_form, form_id, part_pages
from brokerage.generator.fill import fill_file, fill_pdf
from brokerage.generator.inspect import FieldInfo, FormFields, list_fields
from brokerage.generator.output import write_atomic
from brokerage.schema import FORM_ID_FIELD, FORM_ID_INFO_KEY, Catalogue, default_catalogue

__all__ = [
    "FORM_ID_FIELD",
    "FORM_ID_INFO_KEY",
    "PART_PAGE_KEY",
    "FieldInfo",
    "FormFields",
    "build_form",
    "fill_file",
    "fill_pdf",
    "form_id",
    "generate",
    "list_fields",
    "part_pages",
    "write_atomic",
]


def generate(out_dir: Path, *, policy_path: Path | None = None, catalogue: Catalogue | None = None) -> list[Path]:
    """Write every form and guidance sheet into ``out_dir``; returns the paths written.

    ``policy_path`` is the ``--policy`` file (default: the shipped policy); it is loaded once, before any
    file is written, so a bad policy file stops the run early. ``catalogue`` is the schema the forms come
    from (default: the shipped one).
    """
    from brokerage.generator.guidance import KINDS, build_guidance, render_html, render_pdf
    from brokerage.rules import load_policy

    out_dir = Path(out_dir)
    catalogue = catalogue or default_catalogue()
    policy = load_policy(policy_path)  # once: the facts, the points and the rules' sentences all use it
    written: list[Path] = []
    for form in catalogue.forms.values():
        path = out_dir / form.filename
        write_atomic(path, build_form(form))
        written.append(path)
    for kind in KINDS:
        guidance = build_guidance(kind, policy, catalogue)
        for suffix, data in ((".pdf", render_pdf(guidance)), (".html", render_html(guidance).encode("utf-8"))):
            path = out_dir / f"guidance-{kind}{suffix}"
            write_atomic(path, data)
            written.append(path)
    return written
