"""Write the three field-tree loop PDFs of ``tests/data`` (see README.md there).

    python tests/data/make_loop_forms.py

Each file is written here byte by byte, with no PDF library, so that what it holds is plain to read
(open one in a text editor). Each is a one-page provider response of ours in every other respect:
the hidden ``form_id`` field says ``provider-response 1.0``, the document information has
``/BrokerageForm``, and one text field, ``part_b`` → ``comments``, holds a value. Only its field tree
is broken:

- ``field-loop-kids.pdf``: ``comments`` lists ``part_b`` (its parent) among its ``/Kids``;
- ``field-loop-parent.pdf``: the ``/Kids`` are sound, but ``part_b``'s ``/Parent`` is ``comments``,
  so the ``/Parent`` chain up from the widget goes round for ever;
- ``field-self-kid.pdf``: ``comments`` lists itself in its own ``/Kids``.

:func:`build` with ``loop=False`` makes the same file without the fault: the tests read that one to
show the file is rejected for its loop and nothing else.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
KINDS = ("kids", "parent", "self")
FILES = {"kids": "field-loop-kids.pdf", "parent": "field-loop-parent.pdf", "self": "field-self-kid.pdf"}
VALUE = "We can meet all of the package."

# Object numbers
CATALOG, PAGES, PAGE, CONTENT, ACROFORM, FORM_ID, PART_B, COMMENTS, WIDGET, INFO, FONT = range(1, 12)


def _objects(kind: str, loop: bool) -> dict[int, bytes]:
    comments_kids = f"[{WIDGET} 0 R]"
    part_b_parent = ""
    if loop and kind == "kids":
        comments_kids = f"[{WIDGET} 0 R {PART_B} 0 R]"
    elif loop and kind == "self":
        comments_kids = f"[{COMMENTS} 0 R {WIDGET} 0 R]"
    elif loop and kind == "parent":
        part_b_parent = f" /Parent {COMMENTS} 0 R"
    content = b"BT /F1 12 Tf 72 770 Td (Brokerage provider response: field tree test file) Tj ET\n"
    return {
        CATALOG: f"<< /Type /Catalog /Pages {PAGES} 0 R /AcroForm {ACROFORM} 0 R >>".encode(),
        PAGES: f"<< /Type /Pages /Kids [{PAGE} 0 R] /Count 1 >>".encode(),
        PAGE: (
            f"<< /Type /Page /Parent {PAGES} 0 R /MediaBox [0 0 595 842] /Contents {CONTENT} 0 R "
            f"/Resources << /Font << /F1 {FONT} 0 R >> >> /Annots [{FORM_ID} 0 R {WIDGET} 0 R] >>"
        ).encode(),
        CONTENT: b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        ACROFORM: f"<< /Fields [{FORM_ID} 0 R {PART_B} 0 R] /DA (/F1 0 Tf 0 g) >>".encode(),
        FORM_ID: (
            f"<< /Type /Annot /Subtype /Widget /FT /Tx /T (form_id) /V (provider-response 1.0) /Ff 1 "
            f"/F 2 /Rect [0 0 1 1] /P {PAGE} 0 R >>"
        ).encode(),
        PART_B: f"<< /T (part_b) /Kids [{COMMENTS} 0 R]{part_b_parent} >>".encode(),
        COMMENTS: (
            f"<< /FT /Tx /T (comments) /V ({VALUE}) /DA (/F1 10 Tf 0 g) /Parent {PART_B} 0 R "
            f"/Kids {comments_kids} >>"
        ).encode(),
        WIDGET: (
            f"<< /Type /Annot /Subtype /Widget /Parent {COMMENTS} 0 R /Rect [72 600 523 700] /F 4 "
            f"/P {PAGE} 0 R >>"
        ).encode(),
        INFO: b"<< /Title (Field tree test file) /BrokerageForm (provider-response 1.0) >>",
        FONT: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }


def build(kind: str, *, loop: bool = True) -> bytes:
    """The PDF for ``kind`` (``kids``, ``parent`` or ``self``), with its loop or (``loop=False``) without."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    objects = _objects(kind, loop)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        size, CATALOG, INFO, xref
    )
    return bytes(out)


def main() -> None:
    for kind, name in FILES.items():
        (HERE / name).write_bytes(build(kind))
        print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main()
