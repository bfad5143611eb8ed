"""Jinja2 templates (guidance sheets, reports, summaries), shipped as package data."""
