"""Core input rules: every bad value gets a message naming the field and the limit."""
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orgkit import security
from orgkit.domain import CODE_TYPED_MAX, JOIN_CODE_ALPHABET, ValidationError
from orgkit.spreadsheet import FORMULA_START, neutralise, unneutralise
from orgkit.workshop.model import clean_map_code
from orgkit.validation import (clean_choice, clean_date, clean_int, clean_join_code, clean_pin,
                               clean_text, clean_token)


@pytest.mark.parametrize("value, message", [
    ("", "is required"),
    ("   \t ", "is required"),
    ("x" * 121, "is 121 characters; the limit is 120"),
    ("bell\x07", "control characters"),
    ("new\nline", "control characters"),
])
def test_title_rejects_bad_text_with_field_and_limit(value, message):
    with pytest.raises(ValidationError, match=message) as info:
        clean_text(value, "Workshop title", max_len=120, required=True)
    assert info.value.field == "Workshop title"
    assert str(info.value).startswith("Workshop title:")


def test_text_is_trimmed_and_spaces_folded():
    assert clean_text("  Tenants \t union  ", "Name", max_len=40) == "Tenants union"
    assert clean_text("a\r\nb", "Notes", max_len=40, multiline=True) == "a\nb"


def test_text_limit_counts_characters_not_bytes():
    assert clean_text("é" * 120, "Title", max_len=120) == "é" * 120


@pytest.mark.parametrize("pin", ["", "12345", "x" * 65, "abc\x00def"])
def test_short_long_or_binary_pins_are_refused(pin):
    with pytest.raises(ValidationError, match="PIN"):
        clean_pin(pin)


def test_pin_is_kept_exactly_as_typed():
    assert clean_pin(" 123456 ") == " 123456 "


@pytest.mark.parametrize("typed, expected", [("k7px3m", "K7PX3M"), (" K7P-X3M ", "K7PX3M")])
def test_join_code_is_normalised(typed, expected):
    assert clean_join_code(typed) == expected


@pytest.mark.parametrize("typed", ["", "K7PX3", "K7PX3MM", "K0PX3M", "KOPX3M", "K1PX3M",
                                   "KIPX3M", "KLPX3M", "<scri>", "K7PX3M'--"])
def test_malformed_join_codes_are_refused(typed):
    with pytest.raises(ValidationError, match="Join code"):
        clean_join_code(typed)


@pytest.mark.parametrize("clean, code", [(clean_join_code, "K7PX3M"), (clean_map_code, "K7PX3MQR")])
def test_a_code_padded_past_the_typed_limit_is_refused_before_it_is_cleaned(clean, code):
    # Spaces and dashes are allowed up to the limit (the code fields' max_chars), not beyond.
    assert clean(code.center(CODE_TYPED_MAX)) == code
    with pytest.raises(ValidationError, match="must be"):
        clean(code.center(CODE_TYPED_MAX + 1))


@pytest.mark.parametrize("token", ["", "a b c d", "x" * 65, "<img src=x>", "../../etc"])
def test_malformed_tokens_are_refused(token):
    with pytest.raises(ValidationError, match="Map link"):
        clean_token(token, "Map link")


def test_choice_accepts_value_or_label():
    levels = {"decision_maker": "Decision-makers"}
    assert clean_choice("Decision-makers", "Level", levels) == "decision_maker"
    assert clean_choice(" decision_maker ", "Level", levels) == "decision_maker"
    with pytest.raises(ValidationError, match="Level: 'mayor' is not one of"):
        clean_choice("mayor", "Level", levels)


@pytest.mark.parametrize("value", ["3", 3, 3.0, "  3 "])
def test_int_accepts_whole_numbers(value):
    assert clean_int(value, "Influence", low=1, high=5) == 3


@pytest.mark.parametrize("value", ["six", 6, 0, 2.5, None])
def test_int_outside_range_names_the_range(value):
    with pytest.raises(ValidationError, match="Influence: .*from 1 to 5"):
        clean_int(value, "Influence", low=1, high=5)


@pytest.mark.parametrize("value", [2**63 - 1, str(2**63 - 1), " 9007199254740993 "])
def test_whole_numbers_past_float_precision_are_kept_exactly(value):
    assert clean_int(value, "Board", low=1, high=2**63 - 1) == int(str(value))


@pytest.mark.parametrize("value", [2**63, "9" * 40, pytest.param(10**400, id="10**400"), "1e400",
                                   "-1", "nan"])
def test_numbers_out_of_range_are_refused_not_overflowed(value):
    with pytest.raises(ValidationError, match="Board: must be a whole number from 1 to"):
        clean_int(value, "Board", low=1, high=2**63 - 1)


def test_dates_are_iso_or_blank():
    assert clean_date("2026-05-14", "Date") == "2026-05-14"
    assert clean_date("", "Date") is None
    with pytest.raises(ValidationError, match="Date: '14/05/2026' is not a date"):
        clean_date("14/05/2026", "Date")


def test_join_codes_use_only_the_unambiguous_alphabet():
    codes = {security.new_join_code() for _ in range(500)}
    assert len(codes) > 490
    assert all(len(code) == 6 and set(code) <= set(JOIN_CODE_ALPHABET) for code in codes)
    assert not set("0O1IL") & set(JOIN_CODE_ALPHABET)


def test_pin_hash_is_salted_and_verifies():
    first, second = security.hash_pin("secret-pin"), security.hash_pin("secret-pin")
    assert first != second and "secret-pin" not in first
    assert security.verify_pin("secret-pin", first)
    assert not security.verify_pin("secret-pim", first)
    assert not security.verify_pin("secret-pin", "garbage")


@given(st.text(max_size=300))
def test_any_text_is_either_clean_within_the_limit_or_refused_by_name(raw):
    try:
        cleaned = clean_text(raw, "Item", max_len=280)
    except ValidationError as exc:
        assert str(exc).startswith("Item: ")
        return
    assert len(cleaned) <= 280 and cleaned == cleaned.strip()
    assert not any(unicodedata.category(ch) == "Cc" for ch in cleaned)


@given(st.text(max_size=50))
def test_no_exported_cell_starts_like_a_formula(raw):
    cell = neutralise(raw)
    assert not cell.startswith(FORMULA_START)
    if not raw.startswith("'"):
        assert unneutralise(cell) == raw
