"""A name cannot disguise itself: direction controls (U+202A-U+202E, U+2066-U+2069) are refused
in one-line fields, with the field named; right-to-left names are welcome."""
import pytest

from orgkit.domain import ValidationError
from orgkit.validation import clean_text


@pytest.mark.parametrize("control", [chr(c) for c in (*range(0x202A, 0x202F),
                                                      *range(0x2066, 0x206A))])
def test_a_direction_control_in_a_one_line_field_is_refused_with_the_field_named(control):
    with pytest.raises(ValidationError, match=f"^Display name: contains a direction control "
                                              f"\\(U\\+{ord(control):04X}\\)") as caught:
        clean_text(f"Ana {control}exe.lagel", "Display name", max_len=60)
    assert caught.value.field == "Display name"


@pytest.mark.parametrize("name", ["سارة", "דוד כהן", "Ana María", "李雷"])
def test_right_to_left_and_other_scripts_are_kept_as_typed(name):
    assert clean_text(name, "Display name", max_len=60) == name
