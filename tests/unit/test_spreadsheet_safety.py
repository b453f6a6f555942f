"""Every export neutralises cells a spreadsheet would run as formulas; imports undo it."""
import pytest

from orgkit.spreadsheet import neutralise, unneutralise


@pytest.mark.parametrize("value, expected", [
    ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'), ("+1", "'+1"), ("-2", "'-2"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\t=1+1", "'\t=1+1"), ("\r=1", "'\r=1"),
    ("plain", "plain"), ("a=b", "a=b"), ("", ""), (3, 3), (None, None)])
def test_formula_cells_get_a_leading_apostrophe(value, expected):
    assert neutralise(value) == expected


@pytest.mark.parametrize("value", ["=1+1", "+1", "-2", "@x", "plain", "'quoted", "'", 3])
def test_import_gives_back_what_export_wrote(value):
    assert unneutralise(neutralise(value)) == value


@pytest.mark.parametrize("text", ["=x", "'=x", "''=x", "'plain", "plain", "-1", "'", "'@"])
def test_neutralised_cells_come_back_exactly(text):
    assert unneutralise(neutralise(text)) == text
    assert not str(neutralise(text)).startswith(("=", "+", "-", "@"))
