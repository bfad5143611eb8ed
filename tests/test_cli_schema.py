"""`brokerage schema` prints the field catalogue as a table and as JSON."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from brokerage.cli import app
from brokerage.schema import default_catalogue

runner = CliRunner()


def test_schema_json_lists_every_leaf_with_type_title_required() -> None:
    result = runner.invoke(app, ["schema", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["schema_version"] == "1.0"
    rows = {row["pointer"]: row for row in data["fields"]}
    assert len(rows) == len(default_catalogue().leaves)
    assert rows["/part_a/children/*/behaviours_that_challenge"] == {
        "pointer": "/part_a/children/*/behaviours_that_challenge",
        "type": "string",
        "title": "Details of behaviours that challenge",
        "required": True,
        "section": "Section 2 – Details of the child",
        "slots": [3],
    }
    assert rows["/part_a/referral/urgent_reason"]["required"] is False


def test_schema_table_shows_pointers_and_labels() -> None:
    result = runner.invoke(app, ["schema", "--part", "part_b"])
    assert result.exit_code == 0, result.output
    assert "/part_b/can_meet" in result.output
    assert "Can you meet the package?" in result.output
    assert "/part_a/" not in result.output


def test_every_command_has_help() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    commands = [c.name for c in app.registered_commands]
    assert "schema" in commands
    for name in commands:
        sub = runner.invoke(app, [name, "--help"])
        assert sub.exit_code == 0, name
        assert "Usage" in sub.output, name
