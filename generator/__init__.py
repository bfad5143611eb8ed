"""Fillable PDF forms and guidance sheets, produced from the schema alone."""
