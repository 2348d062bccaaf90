"""YAML syntax errors in plain words (the corpus in tests/cases/invalid/syntax-*.yaml holds the
common ones with exact messages); here: quoting advice and that explaining never fails."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeymap.source.loader import YamlError, load_bytes
from journeymap.source.resources import templates_dir

STARTER = (templates_dir() / "init" / "journey.yaml").read_text(encoding="utf-8")


def _error(text: str) -> str:
    with pytest.raises(YamlError) as caught:
        load_bytes(text.encode(), "f.yaml")
    d = caught.value.diagnostic
    return f"{d.line}:{d.col} {d.message}"


def test_text_holding_double_quotes_is_quoted_with_single_quotes() -> None:
    assert _error('journeymap: 1\nquote: She said "no": twice\n') == (
        "2:8 the text of 'quote' holds ': ', which YAML reads as the start of another key; "
        "quote the text: quote: 'She said \"no\": twice'"
    )


def test_a_colon_in_a_list_item_value() -> None:
    assert _error("goals:\n  - text: Fast: always\n").startswith(
        "2:11 the text of 'text' holds ': '"
    )


def test_a_one_space_list_item() -> None:
    assert _error("a:\n  - x: 1\n - x: 2\n") == (
        "3:2 this '-' is indented 1 space; its siblings use 2 (the '-' on line 2); line them up"
    )


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, len(STARTER)),
    st.sampled_from([":", '"', "'", " ", "- ", "#", "{", "[", "\n ", ""]),
    st.booleans(),
)
def test_explaining_a_damaged_starter_never_fails(at: int, junk: str, cut: bool) -> None:
    """Insert a character that breaks YAML, or cut the file there (``cut``)."""
    text = STARTER[:at] + junk + ("" if cut else STARTER[at:])
    try:
        load_bytes(text.encode(), "f.yaml")
    except YamlError as exc:
        d = exc.diagnostic
        assert 1 <= d.line <= text.count("\n") + 2 and d.col >= 1, str(d)
        assert d.message


def test_a_file_cut_inside_a_flow_mapping() -> None:
    assert _error("a:\n  - {") == (
        "3:1 YAML syntax error: did not find expected node content (while parsing a flow node)"
    )


def test_text_after_a_quoted_flow_item_says_to_quote_the_whole_item() -> None:
    """docs/format.md had ``evidence: [Upload screen, "Thanks, we're checking" e-mail]``;
    libyaml said only "did not find expected ',' or ']'" at the word after the quote."""
    text = 'evidence: [Upload screen, "Thanks, we\'re checking" e-mail]\n'
    assert _error(text) == (
        '1:27 a quoted text ends at its closing ", so no text may follow it inside [ ] or { }; '
        "put the whole item in quotes: '\"Thanks, we''re checking\" e-mail'"
    )
    assert _error("x: {name: 'Pay' now, emotion: 0}\n").startswith(
        "1:11 a quoted text ends at its closing ', so no text may follow it"
    )
    fixed = "evidence: [Upload screen, '\"Thanks, we''re checking\" e-mail']\n"
    assert load_bytes(fixed.encode(), "f.yaml").data == {
        "evidence": ["Upload screen", '"Thanks, we\'re checking" e-mail']
    }
