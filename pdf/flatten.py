"""Flatten a filled form: draw each widget's appearance into its page and remove the form.

What ``pdftk … flatten`` and ``qpdf --flatten-annotations=all`` do, with pypdf only (so ``brokerage demo``
can make a flattened return on a machine with nothing but ``pip install``): for every widget that is
shown, its normal appearance (``/AP /N``; for a tick box or radio button the state named by ``/AS``,
so an unchosen button draws its "off" look and never a chosen one, unlike pypdf's own flatten) is
drawn where the widget is (ISO 32000-1 §12.5.5: the appearance's ``/BBox``, after its ``/Matrix``, mapped
onto the ``/Rect``); then the widgets leave ``/Annots`` and ``/AcroForm`` leaves the catalogue. The
page's own content is wrapped in ``q … Q`` first, so what it leaves in the graphics state cannot move
the appearances. Other annotations (links, comments) are kept as they are. The document information is
kept (as pdftk and qpdf keep it).
"""

from __future__ import annotations

from collections.abc import Mapping

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

from brokerage.pdf._pypdf_compat import add_object, catalog
from brokerage.pdf.form import AnnotationFlag
from brokerage.pdf.objects import integer, is_dictionary, is_stream, rectangle, resolve
from brokerage.pdf.reader import OUR_FORM, Advice, open_pdf, reading
from brokerage.pdf.write import pdf_bytes, stamped_bytes

XOBJECT_PREFIX = "/BrkFlat"


def _appearance(widget: DictionaryObject) -> object | None:
    """The widget's normal appearance stream (the ``/AS`` state's for a button), or ``None``."""
    appearances = resolve(widget.get("/AP"))
    if not is_dictionary(appearances):
        return None
    normal = appearances.get("/N")
    resolved = resolve(normal)
    if is_stream(resolved):
        return normal
    if is_dictionary(resolved):
        state = resolve(widget.get("/AS"))
        return resolved.get(state) if state is not None and state in resolved else None
    return None


def _placement(stream: DictionaryObject, rect: tuple[float, float, float, float]) -> tuple[float, ...] | None:
    """The ``cm`` that maps the appearance's box (its ``/BBox`` after its ``/Matrix``) onto ``rect``."""
    bbox = rectangle(stream.get("/BBox"))
    if bbox is None:
        return None
    matrix = resolve(stream.get("/Matrix"))
    a, b, c, d, e, f = (float(resolve(v)) for v in matrix) if isinstance(matrix, list) and len(matrix) == 6 \
        else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    corners = [(x * a + y * c + e, x * b + y * d + f) for x in (bbox[0], bbox[2]) for y in (bbox[1], bbox[3])]
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    if width <= 0 or height <= 0:
        return None
    sx, sy = (rect[2] - rect[0]) / width, (rect[3] - rect[1]) / height
    return sx, 0.0, 0.0, sy, rect[0] - min(xs) * sx, rect[1] - min(ys) * sy


def _shown(widget: DictionaryObject) -> bool:
    flags = integer(widget.get("/F"))
    return not flags & (AnnotationFlag.hidden | AnnotationFlag.no_view)


def flatten_writer(writer: PdfWriter) -> None:
    """Flatten the form held by ``writer`` in place."""
    for page in writer.pages:
        annotations = resolve(page.get("/Annots"))
        if not isinstance(annotations, list):
            continue
        kept = ArrayObject()
        drawn: list[str] = []
        resources = resolve(page.get("/Resources"))
        if not is_dictionary(resources):
            resources = DictionaryObject()
            page[NameObject("/Resources")] = resources
        xobjects = resolve(resources.get("/XObject"))
        if not is_dictionary(xobjects):
            xobjects = DictionaryObject()
            resources[NameObject("/XObject")] = xobjects
        for ref in annotations:
            widget = resolve(ref)
            if not is_dictionary(widget) or widget.get("/Subtype") != "/Widget":
                kept.append(ref)
                continue
            rect = rectangle(widget.get("/Rect"))
            stream_ref = _appearance(widget)
            stream = resolve(stream_ref)
            if rect is None or stream is None or not _shown(widget):
                continue
            placement = _placement(stream, rect)
            if placement is None:
                continue
            name = f"{XOBJECT_PREFIX}{len(drawn)}"
            while NameObject(name) in xobjects:
                name += "x"
            xobjects[NameObject(name)] = stream_ref if stream_ref is not stream else add_object(writer, stream)
            numbers = " ".join(f"{v:.4f}".rstrip("0").rstrip(".") for v in placement)
            drawn.append(f"q {numbers} cm {name} Do Q")
        if kept:
            page[NameObject("/Annots")] = kept
        else:
            del page["/Annots"]
        contents = page.get_contents()
        body = contents.get_data() if contents is not None else b""
        stream = DecodedStreamObject()
        stream.set_data(b"q\n" + body + b"\nQ\n" + "\n".join(drawn).encode("ascii") + b"\n")
        page.replace_contents(stream)
    root = catalog(writer)
    if "/AcroForm" in root:
        del root["/AcroForm"]


def flatten_form(data: bytes, *, source: str = "", advice: Advice = OUR_FORM, seed: str | None = None,
                 info: Mapping[str, str] | None = None) -> bytes:
    """``data`` (a filled PDF form) flattened: the same pages, showing the same, with no fields.

    With ``seed`` the output has an ``/ID`` drawn from it and ``info`` as its whole document information
    (:func:`~brokerage.pdf.write.stamped_bytes`): the same input, the same bytes."""
    reader = open_pdf(data, source=source, advice=advice)
    with reading(source, advice):
        writer = PdfWriter(clone_from=reader)
        flatten_writer(writer)
        if seed is not None:
            return stamped_bytes(writer, seed, info or {})
        return pdf_bytes(writer)
