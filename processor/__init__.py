"""The batch processor: read returned PDFs, check them, route them, write the outputs."""
