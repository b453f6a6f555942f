"""The list of communities a team wants to reach: cleaning and limits (pure, no database)."""
import pytest

from orgkit.domain import ValidationError
from orgkit.map import communities


@pytest.mark.parametrize("raw, cleaned", [
    ("Veterans\nTenants", "Veterans; Tenants"),
    ("Veterans;  Tenants ,Artists | Farmworkers", "Veterans; Tenants; Artists; Farmworkers"),
    ("Veterans\r\n\r\n  veterans \nVETERANS\nTenants", "Veterans; Tenants"),  # repeats ignore case
    (["Veterans", " ", "Tenants"], "Veterans; Tenants"),
    ("", ""),
    (None, ""),
    ("\n".join(f"Group {i}" for i in range(30)), "; ".join(f"Group {i}" for i in range(30))),
    ("x" * 60, "x" * 60),
])
def test_wanted_communities_are_split_trimmed_and_deduplicated(raw, cleaned):
    assert communities.clean_wanted(raw) == cleaned


@pytest.mark.parametrize("raw, says", [
    ("\n".join(f"Group {i}" for i in range(31)), "has 31 communities; the limit is 30"),
    ("Veterans\n" + "y" * 61, "is 61 characters; the limit is 60"),
    ("Vet\x07erans", "control characters"),
])
def test_bad_wanted_communities_name_the_field_and_the_limit(raw, says):
    with pytest.raises(ValidationError) as caught:
        communities.clean_wanted(raw)
    assert str(caught.value).startswith("Communities we want to reach: ")
    assert says in str(caught.value)
