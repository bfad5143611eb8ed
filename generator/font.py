"""The form font: an embedded subset of DejaVu Sans covering the Latin scripts of names councils see.

Every text field's default appearance (``/DA``) and every appearance stream we write uses it, as a
``Type0`` / ``CIDFontType2`` font with ``Identity-H`` encoding (two bytes per glyph id) and a
``ToUnicode`` map, so any engine can draw ``Nguyễn`` with the embedded glyphs and extract it again.

The subset is made once at development time (:mod:`brokerage.generator.font_subset`); here we only
read its metrics with reportlab's TrueType parser (already a dependency).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import cache
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFile

from brokerage.pdf import add_object

FONT_FILE = "BrokerageSans.ttf"
RESOURCE_NAME = "Wingdings"
"""The font's resource name in ``/DR``, in every field's ``/DA`` and in our appearance streams.

It is only a key (the font itself is DejaVu Sans, ``/BaseFont /BRKSAN+DejaVuSans``), chosen for
PDFium (Chrome, Edge). When a person types, PDFium's ``CPDF_BAFontMap`` uses the ``/DA`` font only
for characters of its own "charset"; an embedded font counts as ANSI, so for Ł, ș, ễ, ’ and – it
adds a non-embedded system font that other engines cannot draw (measured: ễ, ș, ț, ŵ, ŷ, ’ and “
vanished). A ``/DA`` font *named* ``Wingdings`` (or ``Webdings``) counts as "symbol", and PDFium
then uses it for every character it has a glyph for: the embedded subset draws everything.
Poppler and MuPDF (checked) look the name up in ``/DR`` and draw the font it names; pdf.js and Acrobat
were not checked here.
``tests/test_generator_render.py`` fails for PDFium with any other name."""
SUBSET_TAG = "BRKSAN+"
REPORTLAB_NAME = "BrokerageSans"
"""The font's name in reportlab, for the documents we draw with it (letters, banners, flowing documents)."""


def font_resource() -> Traversable:
    """The committed font file inside the installed package."""
    return files("brokerage.generator").joinpath("fonts", FONT_FILE)


def font_bytes() -> bytes:
    return font_resource().read_bytes()


@dataclass(frozen=True)
class FormFont:
    """Metrics of the embedded font: glyph ids and advance widths (in 1/1000 em)."""

    base_name: str
    glyph_of: dict[int, int]
    advance: tuple[float, ...]
    ascent: float
    descent: float
    cap_height: float
    bbox: tuple[float, float, float, float]
    stem_v: int
    flags: int

    def covers(self, char: str) -> bool:
        return ord(char) in self.glyph_of

    def missing(self, text: str) -> set[str]:
        """Characters of ``text`` the font has no glyph for (they are drawn as an empty box)."""
        return {c for c in text if c not in "\r\n\t" and not self.covers(c)}

    def glyph(self, char: str) -> int:
        return self.glyph_of.get(ord(char), 0)

    def width(self, text: str, size: float) -> float:
        """Width of ``text`` in points at ``size``."""
        return sum(self.advance[self.glyph(c)] for c in text) * size / 1000.0

    def encode(self, text: str) -> str:
        """``text`` as a PDF hex string of two-byte glyph ids (for ``Tj`` with Identity-H)."""
        return "<" + "".join(f"{self.glyph(c):04X}" for c in text) + ">"


@cache
def reportlab_font() -> str:
    """Register the font with reportlab (once) and return its name: every document we draw with reportlab
    (return letters, the banner on case copies, the flowing prints) embeds the same subset, so "Nguyễn"
    and "Łukasz-O’Brien" show as typed; reportlab's built-in fonts cannot draw them."""
    with as_file(font_resource()) as path:
        pdfmetrics.registerFont(TTFont(REPORTLAB_NAME, str(path)))
    return REPORTLAB_NAME


@cache
def form_font() -> FormFont:
    ttf = TTFontFile(str(font_resource()))
    scale = 1000.0 / ttf.unitsPerEm
    advance = tuple(round(ttf.hmetrics[g][0] * scale, 1) for g in range(ttf.numGlyphs))
    name = ttf.name.decode("ascii") if isinstance(ttf.name, bytes) else str(ttf.name)
    return FormFont(
        base_name=SUBSET_TAG + name,
        glyph_of=dict(ttf.charToGlyph),
        advance=advance,
        ascent=ttf.ascent,
        descent=ttf.descent,
        cap_height=ttf.capHeight,
        bbox=tuple(ttf.bbox),  # type: ignore[arg-type]
        stem_v=int(ttf.stemV),
        flags=32,  # non-symbolic
    )


def _to_unicode_cmap(font: FormFont) -> bytes:
    by_glyph: dict[int, int] = {}
    for code, gid in sorted(font.glyph_of.items()):
        by_glyph.setdefault(gid, code)
    entries = sorted(by_glyph.items())
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    for start in range(0, len(entries), 100):
        chunk = entries[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        for gid, code in chunk:
            text = chr(code).encode("utf-16-be").hex().upper()
            lines.append(f"<{gid:04X}> <{text}>")
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


def _stream(writer: PdfWriter, data: bytes, extra: dict[str, object] | None = None) -> IndirectObject:
    stream = StreamObject()
    stream.set_data(zlib.compress(data, 9))
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    for key, value in (extra or {}).items():
        stream[NameObject(key)] = value  # type: ignore[assignment]
    return add_object(writer, stream)


def add_font(writer: PdfWriter) -> IndirectObject:
    """Add the embedded form font to ``writer`` and return a reference to its ``Type0`` dictionary."""
    font = form_font()
    data = font_bytes()
    file_ref = _stream(writer, data, {"/Length1": NumberObject(len(data))})
    descriptor = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/FontDescriptor"),
            NameObject("/FontName"): NameObject("/" + font.base_name),
            NameObject("/Flags"): NumberObject(font.flags),
            NameObject("/FontBBox"): ArrayObject(FloatObject(round(v, 1)) for v in font.bbox),
            NameObject("/ItalicAngle"): NumberObject(0),
            NameObject("/Ascent"): FloatObject(round(font.ascent, 1)),
            NameObject("/Descent"): FloatObject(round(font.descent, 1)),
            NameObject("/CapHeight"): FloatObject(round(font.cap_height, 1)),
            NameObject("/StemV"): NumberObject(font.stem_v),
            NameObject("/FontFile2"): file_ref,
        }
    )
    widths = ArrayObject([NumberObject(0), ArrayObject(NumberObject(round(w)) for w in font.advance)])
    cid_font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/CIDFontType2"),
            NameObject("/BaseFont"): NameObject("/" + font.base_name),
            NameObject("/CIDSystemInfo"): DictionaryObject(
                {
                    NameObject("/Registry"): TextStringObject("Adobe"),
                    NameObject("/Ordering"): TextStringObject("Identity"),
                    NameObject("/Supplement"): NumberObject(0),
                }
            ),
            NameObject("/FontDescriptor"): add_object(writer, descriptor),
            NameObject("/DW"): NumberObject(600),
            NameObject("/W"): widths,
            NameObject("/CIDToGIDMap"): NameObject("/Identity"),
        }
    )
    type0 = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type0"),
            NameObject("/BaseFont"): NameObject("/" + font.base_name),
            NameObject("/Encoding"): NameObject("/Identity-H"),
            NameObject("/DescendantFonts"): ArrayObject([add_object(writer, cid_font)]),
            NameObject("/ToUnicode"): _stream(writer, _to_unicode_cmap(font)),
        }
    )
    return add_object(writer, type0)
