"""What the batch writes: case folders, return letters and summaries (issue 4, "Route and write").

- :func:`write_case` files an accepted form under ``cases/<reference>/``;
- :func:`write_return_letter` writes the letter for a returned form under ``returned/``;
- :func:`write_summaries` writes ``summary.json``, ``.csv``, ``.xlsx`` and ``.html``.

Every name is built from the brokerage reference, the file's hash and fixed words; every file is
written atomically; the same input gives the same bytes.
"""

from __future__ import annotations

from brokerage.processor.outputs.case_folder import write_case
from brokerage.processor.outputs.letters import write_return_letter
from brokerage.processor.outputs.summary import write_summaries

__all__ = ["write_case", "write_return_letter", "write_summaries"]
