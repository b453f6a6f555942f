"""The team map filled in from a phone at 360×740 (Chromium as a touch phone): the first screen
says what to add next against its target and starts the form; every tab is on screen; each
confirmation shows beside its button on the first tap; and the taps are counted: a full
decision-maker in at most 8 (was about 15), a link in at most 4 (was 7: from the entry itself),
an action in at most 5 (was about 10: planned from a next step)."""
from __future__ import annotations

import re

import pytest

from orgkit.storage import open_store

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
MAP = "demo-st-brigid"


class Phone:
    """A finger on the page: every tap is counted (typing follows a tap on its field)."""

    def __init__(self, page, run_waiter):
        self.page, self.wait, self.taps = page, run_waiter, 0

    def tap(self, target, wait: bool = True) -> None:
        """A tap, then (unless `wait` is false, a thumb faster than the server) the wait for a
        run to end; that run need not be the tap's own, so a check of what the tap stored waits
        for what the page says about it."""
        target.scroll_into_view_if_needed()
        target.tap()
        self.taps += 1
        if wait:
            self.wait(self.page)

    def type(self, field, text: str) -> None:
        self.tap(field)
        self.page.keyboard.type(text)

    def choose(self, combobox, option: str) -> None:
        """A select: a tap to open it, a few letters to narrow it, a tap on the option."""
        self.tap(combobox)
        self.page.keyboard.type(option[:6])
        self.tap(self.page.get_by_role("option", name=re.compile(re.escape(option))))

    def count(self) -> int:
        taps, self.taps = self.taps, 0
        return taps


def _key(page, fragment: str):
    """The widget whose Streamlit key contains `fragment` (its container carries st-key-<key>)."""
    return page.locator(f"[class*='st-key-'][class*='{fragment}']")


def _on_screen(box) -> bool:
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360 and \
        box["y"] >= 0 and box["y"] + box["height"] <= 740


def _beside(page, message, button_name):
    """The confirmation shows on screen, right by the button that caused it."""
    shown = page.get_by_text(message).first
    shown.wait_for()
    button = page.get_by_role("button", name=button_name).first
    near, at = shown.bounding_box(), button.bounding_box()
    assert _on_screen(near) and _on_screen(at), (near, at)
    assert abs(near["y"] - at["y"]) < 120, (near, at)


def test_a_phone_fills_in_the_map_in_half_the_taps(server, browser, run_waiter, keep_shot,
                                                   sqlite_url):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{server.base}/map?map={MAP}")
    run_waiter(page)
    page.get_by_role("button", name="Save entry").wait_for()
    phone = Phone(page, run_waiter)
    store = open_store(sqlite_url)
    team_map = store.maps.by_token(MAP)

    # The first screen: what to add next against its target, and the form.
    add_next = page.get_by_text(re.compile(r"^Add next: .+ · \d+ of \d+$")).first
    assert _on_screen(add_next.bounding_box())
    assert _on_screen(page.get_by_role("textbox", name="Name", exact=True).bounding_box())
    for tab in page.get_by_role("tab").all():  # every tab in reach, none behind the edge
        assert _on_screen(tab.bounding_box()), tab.inner_text()
    keep_shot(page, "map-phone-first-screen.png")

    # A full decision-maker: level, name, office, how well we know them, stance, influence.
    level = _key(page, "_form_level_None_").get_by_role("radio", name="Decision-makers")
    if level.get_attribute("aria-checked") != "true":
        phone.tap(level)
    phone.type(page.get_by_role("textbox", name="Name", exact=True), "Mayor Dora Lind")
    phone.type(page.get_by_role("textbox", name="Office", exact=True), "Mayor")
    phone.tap(_key(page, "_strength").get_by_role("radio", name="Weak", exact=True))
    phone.tap(_key(page, "_stance").get_by_role("radio", name=re.compile("leaning against")))
    phone.tap(_key(page, "_influence").get_by_role("radio", name="5", exact=True))
    phone.tap(page.get_by_role("button", name="Save entry"))
    decision_maker = phone.count()
    _beside(page, "Entry added.", "Save entry")
    keep_shot(page, "map-phone-entry-added.png")
    mayor = next(e for e in store.maps.entries(team_map["id"]) if e["name"] == "Mayor Dora Lind")
    assert (mayor["level"], mayor["office"], mayor["strength"], mayor["stance"],
            mayor["influence"]) == ("decision_maker", "Mayor", "weak", -1, 5)
    assert decision_maker <= 8, decision_maker

    # A link from the entry just added, to someone who is already one of ours.
    ours = next(e for e in store.maps.entries(team_map["id"])
                if e["strength"] != "none" and e["level"] == "leader")
    link_part = _key(page, f"_link_from_{mayor['id']}_kind")
    phone.tap(link_part.get_by_role("radio", name="has in their inner circle"))
    phone.choose(page.get_by_role("combobox", name="Who"), ours["name"])
    phone.tap(page.get_by_role("button", name="Add link").first)
    link = phone.count()
    _beside(page, "Linked: ", "Add link")
    assert any(li["source_id"] == ours["id"] and li["target_id"] == mayor["id"]
               and li["kind"] == "inner_circle" for li in store.maps.links(team_map["id"]))
    assert link <= 4, link

    # To someone we do not know yet: the link asks how well we know them (one more tap).
    stranger = next(e for e in store.maps.entries(team_map["id"])
                    if e["strength"] == "none" and e["level"] != "decision_maker")
    phone.tap(_key(page, f"_link_from_{mayor['id']}_kind").get_by_role(
        "radio", name="is funded by"))
    phone.choose(page.get_by_role("combobox", name="Who"), stranger["name"])
    asked = page.get_by_text(re.compile("How well does our team know"))
    asked.wait_for()
    keep_shot(page, "map-phone-link-asks-strength.png")
    # A fast thumb: "Add link" lands before the run of the strength's tap has begun, and the
    # strength still counts (the browser sends every widget's value with each click).
    phone.tap(_key(page, f"_link_from_{mayor['id']}_known").get_by_role(
        "radio", name="Working", exact=True), wait=False)
    phone.tap(page.get_by_role("button", name="Add link").first)
    assert phone.count() <= 5
    # The store is read once the link's confirmation shows: a wait for the end of a run, right
    # after a tap, can return before that tap's run has even started.
    _beside(page, re.compile(r"^Linked: .+ funds .+Mayor Dora Lind"), "Add link")
    assert store.maps.entry(stranger["id"])["strength"] == "working"

    # An action planned from a next step: the Actions tab, Plan it, its kind, Add action.
    before = len(store.maps.actions(team_map["id"]))
    phone.tap(page.get_by_role("tab", name="Actions"))
    phone.tap(page.get_by_role("button", name="Plan it").first)
    phone.tap(_key(page, "_action_form_1_kind").get_by_role("radio", name="Site visit"))
    phone.tap(page.get_by_role("button", name="Add action"))  # the first tap counts
    action = phone.count()
    _beside(page, "Action added.", "Add action")
    keep_shot(page, "map-phone-action-added.png")
    assert len(store.maps.actions(team_map["id"])) == before + 1
    assert max(store.maps.actions(team_map["id"]), key=lambda a: a["id"])["kind"] == "site_visit"
    assert action <= 5, action
    print(f"taps: decision-maker {decision_maker}, link {link}, action {action}")
    context.close()
