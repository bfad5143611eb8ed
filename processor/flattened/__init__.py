"""Read flattened, printed-to-PDF and scanned returns of our forms back into data, by the form's known boxes.

- :func:`read_flattened`: every box of the form a file is, with its value, where the value came from
  (:class:`Source`) and how sure the reading is (:class:`BoxRead`), and which page of which form each
  page of the file is (:class:`PageMatch`);
- :func:`as_raw_form`: the boxes read well enough as the fillable reader's :class:`RawForm`, so the same
  coercion and checks run on them;
- :func:`unreadable_problems`: a :class:`~brokerage.schema.Problem` for every box that could not be read.
"""

from brokerage.processor.flattened.as_raw import as_raw_form, unreadable_problems
from brokerage.processor.flattened.read import read_flattened
from brokerage.processor.flattened.results import READABLE, BoxRead, FlattenedRead, PageMatch, Source

__all__ = [
    "READABLE",
    "BoxRead",
    "FlattenedRead",
    "PageMatch",
    "Source",
    "as_raw_form",
    "read_flattened",
    "unreadable_problems",
]
