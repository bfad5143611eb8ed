"""From the blank page to the returned page: scale and offset on each axis, by least squares.

A printer (or "print to PDF") may scale a page (fit to paper, 97 %) and shift it (margins). The fixed
labels of the blank page are found again on the returned page; each matched label gives two points
(its start and its end on the baseline). ``x' = sx·x + tx`` and ``y' = sy·y + ty`` are fitted
separately, points that do not fit are dropped (a label typed again inside a box, a repeated word)
and the fit is refitted; the mean distance of the points kept says how well the page is aligned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Point = tuple[float, float]

MAX_RESIDUAL = 1.5
"""Points (1/72 inch) a matched label may sit away from where the fit puts it: more is an outlier."""


@dataclass(frozen=True)
class Transform:
    sx: float = 1.0
    tx: float = 0.0
    sy: float = 1.0
    ty: float = 0.0
    residual: float = 0.0
    """Mean distance in points between the matched labels and where the fit puts them."""
    matched: int = 0
    """How many label points the fit stands on."""

    def point(self, x: float, y: float) -> Point:
        return self.sx * x + self.tx, self.sy * y + self.ty

    def rect(self, rect: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        x0, y0 = self.point(rect[0], rect[1])
        x1, y1 = self.point(rect[2], rect[3])
        return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)

    def inverse_point(self, x: float, y: float) -> Point:
        return (x - self.tx) / self.sx, (y - self.ty) / self.sy

    @property
    def is_identity(self) -> bool:
        return abs(self.sx - 1) < 1e-3 and abs(self.sy - 1) < 1e-3 and abs(self.tx) < 0.05 and abs(self.ty) < 0.05


IDENTITY = Transform()


def _line(pairs: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """Least-squares ``b = s·a + t`` for (a, b) pairs; a pure shift when the a's do not spread."""
    n = len(pairs)
    mean_a = sum(a for a, _ in pairs) / n
    mean_b = sum(b for _, b in pairs) / n
    var = sum((a - mean_a) ** 2 for a, _ in pairs)
    if var < 100.0:  # the points span less than ~10 pt: no scale can be told
        return 1.0, mean_b - mean_a
    scale = sum((a - mean_a) * (b - mean_b) for a, b in pairs) / var
    return scale, mean_b - scale * mean_a


def fit(pairs: Sequence[tuple[Point, Point]], *, max_residual: float = MAX_RESIDUAL) -> Transform | None:
    """The transform taking the blank points to the returned points, or ``None`` with fewer than 3 pairs
    left after outliers are dropped."""
    kept = list(pairs)
    while len(kept) >= 3 and len(kept) * 2 >= len(pairs):
        sx, tx = _line([(b[0], r[0]) for b, r in kept])
        sy, ty = _line([(b[1], r[1]) for b, r in kept])
        errors = [((sx * b[0] + tx - r[0]) ** 2 + (sy * b[1] + ty - r[1]) ** 2) ** 0.5 for b, r in kept]
        worst = max(errors)
        if worst <= max_residual:
            return Transform(sx, tx, sy, ty, residual=sum(errors) / len(errors), matched=len(kept))
        limit = max(max_residual, sorted(errors)[len(errors) // 2] * 3)
        if worst <= limit:
            limit = worst - 1e-9  # nothing stands out: drop the worst point alone
        kept = [pair for pair, error in zip(kept, errors, strict=True) if error <= limit]
    return None
