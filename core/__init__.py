"""The open toolkit for commissioned short breaks and home care for disabled children.

Layers point one way: ``brokerage.schema`` (the form's data model) is imported by
``brokerage.rules`` (the guidance as checks), and both by ``brokerage.generator`` (PDF forms and
guidance sheets) and ``brokerage.processor`` (the batch reader). Only ``brokerage.cli`` imports
typer and rich.
"""

__version__ = "0.1.0"
