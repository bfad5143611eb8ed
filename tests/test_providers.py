"""The provider register: the bundled sample, the filter (lot × area × framework × active), bad files
named by line and key, and how the register in force is found."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from brokerage.errors import InputFileError
from brokerage.processor.providers import (
    COUNTY_DISTRICTS,
    Lot,
    RegisterError,
    load_register,
    parse_register,
    postcode_district,
    read_register,
    register_path,
    sample_register,
    select_providers,
    why_not,
)
from brokerage.rules import load_policy

SB, DC = Lot.SHORT_BREAKS, Lot.DOMICILIARY_CARE

REGISTER = """\
[[provider]]
name = "Alpha Play"
email = "a@alpha.example"
telephone = "0116 496 0101"
lots = ["short-breaks"]
areas = ["LE11", "LE12"]
framework = true

[[provider]]
name = "Beta Care"
email = "b@beta.example"
telephone = "0116 496 0102"
lots = ["domiciliary-care"]
areas = ["LE11"]
framework = true

[[provider]]
name = "Gamma Both"
email = "g@gamma.example"
telephone = "0116 496 0103"
lots = ["short-breaks", "domiciliary-care"]
areas = ["all"]
framework = true

[[provider]]
name = "Delta Off"
email = "d@delta.example"
telephone = "0116 496 0104"
lots = ["short-breaks", "domiciliary-care"]
areas = ["LE11", "LE65"]
framework = false

[[provider]]
name = "Epsilon Asleep"
email = "e@epsilon.example"
telephone = "0116 496 0105"
lots = ["short-breaks", "domiciliary-care"]
areas = ["all"]
framework = true
active = false

[[provider]]
name = "Zeta Off Care"
email = "z@zeta.example"
telephone = "0116 496 0106"
lots = ["domiciliary-care"]
areas = ["LE65"]
framework = false
"""


@pytest.fixture(scope="module")
def register():  # type: ignore[no-untyped-def]
    return parse_register(REGISTER, "providers.toml")


@pytest.mark.parametrize(
    ("lots", "districts", "framework", "expected"),
    [
        ({SB}, ["LE11"], True, ["Alpha Play", "Gamma Both"]),
        ({SB}, ["LE11"], False, ["Delta Off"]),
        ({SB}, ["LE11"], None, ["Alpha Play", "Gamma Both", "Delta Off"]),  # framework first
        ({DC}, ["LE11"], True, ["Beta Care", "Gamma Both"]),
        ({DC}, ["LE11"], False, ["Delta Off"]),
        ({DC}, ["LE65"], False, ["Delta Off", "Zeta Off Care"]),
        ({DC}, ["LE65"], True, ["Gamma Both"]),
        ({SB, DC}, ["LE11"], True, ["Alpha Play", "Beta Care", "Gamma Both"]),  # any lot asked
        ({SB}, ["LE12"], True, ["Alpha Play", "Gamma Both"]),
        ({SB}, ["LE12"], False, []),
        ({SB}, ["LE11", "LE12"], True, ["Alpha Play", "Gamma Both"]),  # siblings in two districts: both served
        ({DC}, ["LE11", "LE12"], True, ["Gamma Both"]),
        ({SB}, ["CV13"], True, ["Gamma Both"]),  # "all" covers the border districts
        ({SB}, ["le11"], True, ["Alpha Play", "Gamma Both"]),  # districts compared in capitals
    ],
)
def test_filter_picks_exactly_the_right_providers(register, lots, districts, framework, expected) -> None:  # type: ignore[no-untyped-def]
    assert [p.name for p in select_providers(register, lots, districts, framework)] == expected


def test_an_inactive_provider_is_never_chosen_and_says_why(register) -> None:  # type: ignore[no-untyped-def]
    asleep = register.find("epsilon asleep")
    for lots in ({SB}, {DC}, {SB, DC}):
        for framework in (True, False, None):
            assert asleep not in select_providers(register, lots, ["LE11"], framework)
    assert why_not(asleep, {SB}, ["LE11"], True) == "not active in the register"
    assert why_not(register.find("Alpha Play"), {DC}, ["LE11"], True).startswith("not contracted for Domiciliary")
    assert why_not(register.find("Alpha Play"), {SB}, ["LE65"], True) == "does not serve LE65"
    assert why_not(register.find("Delta Off"), {SB}, ["LE11"], True) == "off-framework (this is a framework round)"


def test_a_named_provider_gets_the_referral_alone(register) -> None:  # type: ignore[no-untyped-def]
    chosen = select_providers(register, {DC}, ["LE12"], True, named="  zeta   off care ")
    assert [p.name for p in chosen] == ["Zeta Off Care"]  # area and framework do not narrow a named provider
    assert select_providers(register, {SB}, ["LE12"], True, named="Zeta Off Care") == ()  # not contracted for it
    assert select_providers(register, {SB}, ["LE12"], True, named="Epsilon Asleep") == ()  # inactive


def test_bundled_sample_is_realistic_and_marked_fictional() -> None:
    sample = sample_register()
    assert sample.sample is True
    assert 12 <= len(sample.providers) <= 20
    assert {p.framework for p in sample.providers} == {True, False}
    assert {p.active for p in sample.providers} == {True, False}
    assert all(p.email.endswith(".example") for p in sample.providers)  # RFC 2606: nobody's real address
    assert all(re.fullmatch(r"0116 496 0[0-9]{3}", p.telephone) for p in sample.providers)  # Ofcom drama range
    text = (Path(__file__).parents[1] / "processor/providers/sample-register.toml").read_text(encoding="utf-8")
    assert "FICTIONAL" in text.splitlines()[0]
    # every case the demo and the examples use finds at least one framework provider in the sample
    for lots, district in (({SB}, "LE1"), ({DC}, "LE1"), ({SB, DC}, "LE11"), ({SB}, "LE67"), ({DC}, "LE13")):
        assert select_providers(sample, lots, [district], True), (lots, district)


def test_sample_lines_point_at_the_headers() -> None:
    sample = sample_register()
    text = (Path(__file__).parents[1] / "processor/providers/sample-register.toml").read_text(encoding="utf-8")
    lines = text.splitlines()
    for provider in sample.providers:
        assert lines[provider.line - 1].strip() == "[[provider]]"
        assert lines[provider.line] == f'name = "{provider.name}"'


def one_provider(**changes: str | None) -> str:
    """A register of one good provider with some lines changed (``None`` removes a line)."""
    lines = {
        "name": '"Alpha Play"',
        "email": '"a@alpha.example"',
        "telephone": '"0116 496 0101"',
        "lots": '["short-breaks"]',
        "areas": '["LE11"]',
        "framework": "true",
    }
    lines.update(changes)
    body = "\n".join(f"{key} = {value}" for key, value in lines.items() if value is not None)
    return f"# a comment\nsample = false\n\n[[provider]]\n{body}\n"


@pytest.mark.parametrize(
    ("text", "line", "key", "words"),
    [
        (one_provider(framework='"yes"'), 10, "framework", "must be true or false without quotes, not text ('yes')"),
        (one_provider(lots='["short-breaks", "respite"]'), 8, "lots", "'respite' is not a lot this register knows"),
        (one_provider(email=None), 4, "email", 'the email is missing. Add a line such as email = '),
        (one_provider(email='"alpha at example"'), 6, "email", "is not one email address"),
        (one_provider(email='"a@alpha.example, b@beta.example"'), 6, "email", "is not one email address"),
        (one_provider(areas='["LE11", "LE99"]'), 9, "areas", "'LE99' is not a postcode district of the county"),
        (one_provider(areas='["Loughborough"]'), 9, "areas", "'LOUGHBOROUGH' is not a postcode district"),
        (one_provider(areas='"LE11"'), 9, "areas", "must be a list of postcode districts"),
        (one_provider(areas='["all", "LE11"]'), 9, "areas", '"all" already means every district'),
        (one_provider(telephone='"call us"'), 7, "telephone", "is not a telephone number"),
        (one_provider(telephone="1161234567"), 7, "telephone", "must be some text in quotes, not a number"),
        (one_provider(name='"Alpha\\nBcc: x@y.example"'), 5, "name", "must be one line of text"),
        (one_provider(name='""'), 5, "name", "must be some text in quotes"),
        (one_provider(colour='"blue"'), 11, "colour", "unknown key 'colour'"),
        (one_provider(active='"no"'), 11, "active", "must be true or false"),
        (one_provider(lots="[]"), 8, "lots", "must be a list of one or both of"),
    ],
)
def test_bad_value_names_file_line_provider_and_key(text: str, line: int, key: str, words: str) -> None:
    with pytest.raises(RegisterError) as caught:
        parse_register(text, "providers.toml")
    message = str(caught.value)
    assert message.startswith(f"providers.toml, line {line}, provider "), message
    assert f", {key}: " in message
    assert words in message
    assert message.endswith("Correct it and run again.")
    assert isinstance(caught.value, InputFileError)
    assert [(p.line, p.key) for p in caught.value.problems] == [(line, key)]


def test_duplicate_name_points_at_both_tables() -> None:
    text = one_provider() + "\n" + one_provider(name='"alpha  PLAY"').split("\n", 3)[3]
    with pytest.raises(RegisterError) as caught:
        parse_register(text, "providers.toml")
    message = str(caught.value)
    assert message.startswith("providers.toml, line 13, provider 'alpha  PLAY', name: ")
    assert "already used by the provider on line 4 ('Alpha Play')" in message


def test_every_mistake_is_listed_once_in_file_order() -> None:
    text = one_provider(framework='"yes"') + "\n" + one_provider(name='"Beta"', lots='["respite"]').split("\n", 3)[3]
    with pytest.raises(RegisterError) as caught:
        parse_register(text, "providers.toml")
    assert [(p.line, p.key) for p in caught.value.problems] == [(10, "framework"), (16, "lots")]
    assert str(caught.value).startswith("The provider register providers.toml has 2 mistakes")


def test_a_multiline_string_holding_a_header_does_not_shift_lines() -> None:
    text = one_provider(address='"""\n[[provider]]\nname = "x"\n"""', telephone='"nope"')
    with pytest.raises(RegisterError) as caught:
        parse_register(text, "providers.toml")
    assert caught.value.problems[0].line == 7


def test_top_level_mistakes() -> None:
    with pytest.raises(RegisterError, match=r"line 1, colour: unknown key 'colour' outside the providers"):
        parse_register('colour = "blue"\n' + one_provider(), "providers.toml")
    with pytest.raises(RegisterError, match="lists no providers"):
        parse_register("sample = true\n", "providers.toml")
    with pytest.raises(RegisterError, match=r"providers.toml is not valid TOML \(.*line 3"):
        parse_register('[[provider]]\nname = "x"\nemail = \n', "providers.toml")


def test_inline_tables_still_get_a_sentence_without_lines() -> None:
    text = 'provider = [{name = "Alpha", email = "nope", telephone = "0116 496 0101", lots = ["short-breaks"], ' \
           'areas = ["LE11"], framework = true}]\n'
    with pytest.raises(RegisterError) as caught:
        parse_register(text, "providers.toml")
    assert "provider 'Alpha', email: 'nope' is not one email address" in str(caught.value)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(RegisterError, match=r"Cannot read the provider register .*missing\.toml"):
        read_register(tmp_path / "missing.toml")
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'[[provider]]\nname = "Caf\xe9"\n')
    with pytest.raises(RegisterError, match=r"latin.toml, line 2, is not UTF-8"):
        read_register(latin)


def test_postcode_district() -> None:
    assert postcode_district("12 Example Street\nLeicester\nLE1 1AA") == "LE1"
    assert postcode_district("Flat 2, 5 Mill Lane, Coalville le67 3tu") == "LE67"
    assert postcode_district("Moved from NG13 0AB to LE11 3TU") == "LE11"  # the last one is the current
    assert postcode_district("Leicester") is None
    assert postcode_district(None) is None
    assert {"LE1", "LE19", "LE65", "LE67", "CV13", "DE74"} <= COUNTY_DISTRICTS
    assert not {"LE20", "LE21", "LE99", "NG1"} & COUNTY_DISTRICTS


def test_which_register_is_in_force(tmp_path: Path) -> None:
    own = tmp_path / "council" / "providers.toml"
    own.parent.mkdir()
    own.write_text(REGISTER, encoding="utf-8")
    policy_file = tmp_path / "council" / "policy.toml"
    policy_file.write_text('register = "providers.toml"\n', encoding="utf-8")
    policy = load_policy(policy_file)
    assert policy.register == "providers.toml"
    assert register_path(None, policy) == own  # relative to the policy file's folder
    assert register_path(tmp_path / "other.toml", policy) == tmp_path / "other.toml"  # --register wins
    assert register_path(None, load_policy()) is None
    rows = {row.key: row.value for row in policy.settings()}
    assert rows["register"] == "providers.toml"
    assert {row.key: row.value for row in load_policy().settings()}["register"].startswith("the bundled sample")

    loaded = load_register(None, policy)
    assert loaded.warning is None and len(loaded.register.providers) == 6
    default = load_register(None, load_policy())
    assert default.register.sample and "fictional" in default.warning
    marked = tmp_path / "copied-sample.toml"
    marked.write_text("sample = true\n" + REGISTER, encoding="utf-8")
    assert "sample = true" in load_register(marked).warning


def test_policy_register_must_be_text(tmp_path: Path) -> None:
    from brokerage.errors import PolicyError

    bad = tmp_path / "policy.toml"
    bad.write_text("register = 3\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="'register' must be a file name"):
        load_policy(bad)
