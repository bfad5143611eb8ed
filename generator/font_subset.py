"""Development tool: make the form font, a subset of DejaVu Sans, once.

Run ``python -m brokerage.generator.font_subset`` after changing :data:`RANGES`; commit the
result (``generator/fonts/BrokerageSans.ttf``). At run time the generator only reads the
committed file, so fonttools is needed here and nowhere else: it is the ``dev`` extra
(``pip install -e '.[dev]'``), not a dependency of the package.

The subset covers the scripts of names a council meets on referrals written in Latin script:
Latin-1, Latin Extended A and B (Polish Ł, Romanian ș ț, Welsh ŵ ŷ), Latin Extended Additional
(Vietnamese ễ, Welsh ẁ ỳ), combining accents for decomposed input, general punctuation (’ – …)
and the currency signs £ €.
"""

from __future__ import annotations

import sys
from pathlib import Path

SOURCE = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
TARGET = Path(__file__).with_name("fonts") / "BrokerageSans.ttf"

RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x0100, 0x017F),  # Latin Extended-A
    (0x0180, 0x024F),  # Latin Extended-B (ș ț at 0218-021B)
    (0x02B0, 0x02FF),  # Spacing modifier letters
    (0x0300, 0x036F),  # Combining diacritical marks
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese, Welsh)
    (0x2000, 0x206F),  # General punctuation
    (0x20A0, 0x20BF),  # Currency symbols (€)
    (0x2100, 0x2122),  # Letterlike symbols (№, ™)
    (0x2713, 0x2714),  # Check marks
    (0xFFFD, 0xFFFD),  # Replacement character
)


def codepoints() -> list[int]:
    return [cp for start, end in RANGES for cp in range(start, end + 1)]


def main() -> int:
    from fontTools import subset  # development-time dependency only: the dev extra

    options = subset.Options()
    options.hinting = False
    options.desubroutinize = True
    options.layout_features = []  # PDF appearance streams place glyphs one by one: no GSUB/GPOS
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_legacy = True
    options.name_languages = ["*"]
    options.glyph_names = False
    font = subset.load_font(str(SOURCE), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints())
    subsetter.subset(font)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(TARGET), options)
    print(f"{TARGET}: {TARGET.stat().st_size} bytes, {len(font.getGlyphOrder())} glyphs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
