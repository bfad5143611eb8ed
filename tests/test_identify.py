"""Identify: the embedded kind and version first, the field names when a viewer stripped them."""

from __future__ import annotations

import pytest

from brokerage.errors import NotOurFormError, WrongVersionError
from brokerage.processor.identify import identify, kind_from_names
from brokerage.schema import default_catalogue

SCHEMA_VERSION = default_catalogue().version


def test_embedded_kind_and_version() -> None:
    got = identify(f"referral {SCHEMA_VERSION}", ["part_a__referral__urgent"], source="a.pdf")
    assert (got.kind, got.version, got.from_names) == ("referral", SCHEMA_VERSION, False)
    assert identify(f"ipa {SCHEMA_VERSION}", []).kind == "ipa"


@pytest.mark.parametrize(
    ("names", "kind"),
    [
        (["part_a__referral__urgent", "annex_1__parents_informed", "form_id"], "referral"),
        (["part_b__can_meet", "Print"], "provider-response"),
        (["part_c__reference"], "ipa"),
    ],
)
def test_field_names_decide_when_metadata_was_stripped(names: list[str], kind: str) -> None:
    got = identify(None, names, source="x.pdf")
    assert got.kind == kind
    assert got.from_names


def test_other_version_is_refused_with_the_expected_version() -> None:
    with pytest.raises(WrongVersionError) as caught:
        identify("referral 0.9", ["part_a__referral__urgent"], source="old.pdf")
    message = caught.value.message
    assert "'old.pdf'" in message and "version 0.9" in message and f"version {SCHEMA_VERSION}" in message


def test_newer_version_says_to_update_the_toolkit() -> None:
    with pytest.raises(WrongVersionError) as caught:
        identify("provider-response 9.1", ["part_b__can_meet"], source="new.pdf")
    assert "newer than version" in caught.value.message and "Update the brokerage toolkit" in caught.value.message


@pytest.mark.parametrize(
    "names",
    [["Name", "Address"], [], ["part_a__referral__urgent", "part_b__can_meet"], ["part_z__x"]],
)
def test_not_our_form(names: list[str]) -> None:
    with pytest.raises(NotOurFormError) as caught:
        identify(None, names, source="tax-return.pdf")
    assert "'tax-return.pdf' is a PDF form but not a brokerage form" in caught.value.message
    assert not isinstance(caught.value, WrongVersionError)


def test_foreign_form_id_is_not_ours() -> None:
    with pytest.raises(NotOurFormError) as caught:
        identify("invoice 2.0", ["Total"], source="inv.pdf")
    assert "'invoice 2.0'" in caught.value.message


def test_kind_from_names_ignores_names_that_are_not_pointers() -> None:
    assert kind_from_names(["Text1", "part_b__provider__name"]) == "provider-response"
    assert kind_from_names(["Text1"]) is None
