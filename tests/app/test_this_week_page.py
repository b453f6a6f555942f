"""The lead's "This week" page (AppTest): the facilitator (whole workshop, or one map), the
holder of a map's private link (that map), and a participant (refused)."""
from conftest import DEMO_MAP_TOKEN

from orgkit.storage import open_store


def texts(at) -> str:
    return "\n".join(m.value for m in [*at.markdown, *at.subheader, *at.success, *at.info,
                                       *at.caption])


def links(at) -> list:
    return at.get("page_link")


def test_a_map_link_holder_sees_its_map_due_gaps_and_what_moved(open_page, app_env):
    at = open_page("pages/7_this_week.py", map=DEMO_MAP_TOKEN)
    assert not at.exception and not at.error
    shown = texts(at)
    assert "Our map: Northside Family Services" in shown
    assert "Overdue" in shown and "Call back about the parents' meeting" in " ".join(
        link.proto.label for link in links(at))
    assert "The gaps that matter most now" in shown and "What moved since" in shown
    # one click to the entry: the map page with the entry selected
    store = open_store(app_env)
    ernesto = store.db.one("SELECT id FROM entries WHERE name = 'Ernesto Villalobos'")["id"]
    link = next(x for x in links(at) if "Call back about" in x.proto.label)
    assert "map" in link.proto.page and f"entry={ernesto}" in link.proto.query_string
    assert len(at.get("plotly_chart")) == 4 and len(at.dataframe) == 4  # each with its table


def test_mark_reviewed_records_the_review_and_since_starts_there(open_page, app_env):
    at = open_page("pages/7_this_week.py", map=DEMO_MAP_TOKEN)
    at.button(key="week_mark_reviewed").click().run()
    assert not at.exception and not at.error
    assert "Marked reviewed" in texts(at)
    store = open_store(app_env)
    team_map = store.maps.by_token(DEMO_MAP_TOKEN)
    (review,) = store.followup.reviews(team_map["workshop_id"], team_map["id"])
    assert review["role"] == "team_member"
    (since,) = [r for r in at.radio if r.key.startswith(f"week_since_{team_map['id']}_")]
    assert "the last review" in since.options[0] and since.value == "review"
    assert since.key == f"week_since_{team_map['id']}_{int(review['reviewed_at'])}"
    assert "Nothing moved in this time." in texts(at)


def test_the_facilitator_sees_the_whole_workshop_and_can_pick_one_map(open_page):
    at = open_page("pages/7_this_week.py", facilitator=True)
    assert not at.exception and not at.error
    shown = texts(at)
    assert "Due" in shown and "The gaps that matter most now" in shown
    labels = " ".join(link.proto.label for link in links(at))
    assert "Northside Family Services" in labels and "Riverbend Tenants Union" in labels
    choice = at.selectbox(key="week_map")
    northside = next(o for o in choice.options if "Northside" in o)
    choice.select(northside).run()
    assert not at.exception and "Riverbend Tenants Union" not in " ".join(
        link.proto.label for link in links(at))


def test_a_participant_is_refused(open_page):
    at = open_page("pages/7_this_week.py", participant=True)
    assert not at.exception
    assert "leads' screen" in texts(at)
    assert not at.get("plotly_chart")
    assert not [x for x in links(at) if "entry=" in x.proto.query_string]


def _demo_commitments(app_env):
    """Two commitments naming Northside's Ernesto Villalobos, made a week ago by two phones at
    its table: one past its date (missed) with a name shown, one due in three days without."""
    import datetime as dt

    from orgkit.commitments import service as commitments
    from orgkit.demo import ensure_demo
    from orgkit.domain import Actor, Role
    from orgkit.map import service as maps
    from orgkit.workshop.service import join

    store = open_store(app_env)
    ensure_demo(store)
    team_map = store.maps.by_token(DEMO_MAP_TOKEN)
    ernesto = store.db.one("SELECT id FROM entries WHERE name = 'Ernesto Villalobos'")["id"]
    code = store.workshops.get(team_map["workshop_id"])["join_code"]
    handout = maps.handout(store, Actor(Role.FACILITATOR, team_map["workshop_id"]),
                           team_map["id"])["short_code"]
    today = dt.date.today()
    made = []
    for due, name, show in ((today - dt.timedelta(days=2), "Marisol", True),
                            (today + dt.timedelta(days=3), "Tomás", False)):
        phone = join(store, code)[1]
        maps.join_by_handout(store, phone, handout)
        made.append(commitments.add(store, phone, {
            "kind": "one_on_one", "entry_id": ernesto, "due_on": due.isoformat(),
            "name": name, "show_name": show}, today=today - dt.timedelta(days=7)))
    return store, made


def test_commitments_show_due_and_missed_and_a_lead_marks_one_kept_and_undoes_it(open_page,
                                                                                    app_env):
    store, (missed, due) = _demo_commitments(app_env)
    at = open_page("pages/7_this_week.py", map=DEMO_MAP_TOKEN)
    assert not at.exception and not at.error
    labels = [x.proto.label for x in links(at)]
    line = next(label for label in labels if "Commitment: One-on-one with Ernesto" in label
                and "Marisol" in label)
    assert "missed" in line
    hidden = next(label for label in labels if "Commitment: One-on-one" in label
                  and "Marisol" not in label)
    assert "Tomás" not in hidden and "did not show their name" in hidden
    at.button(key=f"week_kept_{missed}").click().run()
    assert not at.exception and not at.error
    assert "Marked kept" in texts(at)
    assert store.commitments.get(missed)["done_at"] is not None
    assert not [x for x in links(at) if "Marisol" in x.proto.label]  # no longer missed
    assert "Kept: Commitment: One-on-one with Ernesto Villalobos" in texts(at)
    at.button(key="week_kept_undo").click().run()
    assert not at.exception and store.commitments.get(missed)["done_at"] is None
    assert [x for x in links(at) if "Marisol" in x.proto.label and "missed" in x.proto.label]


def test_the_facilitator_sees_every_name(open_page, app_env):
    _demo_commitments(app_env)
    at = open_page("pages/7_this_week.py", facilitator=True)
    assert not at.exception and not at.error
    assert [x for x in links(at) if "made by Tomás" in x.proto.label]


def test_nudge_lists_per_person_with_their_calendar_and_every_list_as_csv(open_page, app_env):
    _demo_commitments(app_env)
    at = open_page("pages/7_this_week.py", map=DEMO_MAP_TOKEN)
    assert not at.exception and not at.error
    blocks = [c.value for c in at.code]
    marisol = next(b for b in blocks if b.startswith("Marisol, what is due for you"))
    assert "Commitment: One-on-one with Ernesto Villalobos · missed" in marisol
    assert not [b for b in blocks if b.startswith("Tomás")]  # his name is not shown to the team
    luis = next(b for b in blocks if b.startswith("Luis, what is due for you"))
    assert "Call back about the parents' meeting" in luis
    buttons = {b.proto.label: b for b in at.get("download_button")}
    assert "Every list (CSV)" in buttons and "Calendar of Northside Family Services (.ics)" \
        in buttons and "Luis's dates (.ics)" in buttons


def test_nudge_lists_read_in_spanish(open_page, app_env):
    _demo_commitments(app_env)
    at = open_page("pages/7_this_week.py", map=DEMO_MAP_TOKEN, lang="es")
    assert not at.exception and not at.error
    marisol = next(c.value for c in at.code if c.value.startswith("Marisol"))
    assert "Compromiso: Reunión uno a uno con Ernesto Villalobos · no cumplido" in marisol


def _follow(open_page, link, **role):
    """Open the page a page_link points at, with its query string, as `role`."""
    from urllib.parse import parse_qsl

    params = dict(parse_qsl(link.proto.query_string))
    assert link.proto.page.endswith("coverage")
    return open_page("pages/5_coverage.py", **role, **params)


def _opened(at) -> str:
    """The subject of the card under "The gap you opened" (the next markdown)."""
    values = [m.value for m in at.markdown]
    where = next(n for n, v in enumerate(values) if v.startswith("**The gap you opened**"))
    return values[where + 1]


def test_a_gap_line_opens_the_coverage_page_on_that_gap(open_page):
    at = open_page("pages/7_this_week.py", map=DEMO_MAP_TOKEN)
    gap_links = [x for x in links(at) if x.proto.label == "Open the gap"]
    assert len(gap_links) == 3
    third = gap_links[2]
    headings = [m.value for m in at.markdown if m.value.startswith("**3. ")]
    subject = headings[0].split("**")[1].removeprefix("3. ")
    landed = _follow(open_page, third)
    assert not landed.exception and not landed.error
    assert subject in _opened(landed)


def test_the_facilitator_lands_on_the_gaps_map_whatever_its_rank(open_page, app_env):
    from orgkit.coverage import service as coverage_service
    from orgkit.domain import Actor, Role

    at = open_page("pages/7_this_week.py", facilitator=True)
    link = next(x for x in links(at) if x.proto.label == "Open the gap")
    assert "m=" in link.proto.query_string and "gap=" in link.proto.query_string
    landed = _follow(open_page, link, facilitator=True)
    assert not landed.exception and not landed.error
    assert landed.selectbox(key="coverage_map").value is not None  # the gap's map, not all
    # a gap far down the list is shown first too, marked with its rank
    store = open_store(app_env)
    team_map = store.maps.by_token(DEMO_MAP_TOKEN)
    view = coverage_service.load_map(store, Actor(Role.FACILITATOR, team_map["workshop_id"]),
                                     team_map["id"])
    deep = view["gaps"][9]
    query = link.proto.query_string.split("&")
    params = dict(part.split("=", 1) for part in query)
    params.update(m=str(team_map["id"]), gap=deep.ref)
    landed = open_page("pages/5_coverage.py", facilitator=True, **params)
    assert not landed.exception and "(10 of" in "\n".join(
        m.value for m in landed.markdown)
    assert str(deep.subject) in _opened(landed)
    # a gap closed since the link was made: said so, no traceback
    params["gap"] = "0" * 12
    landed = open_page("pages/5_coverage.py", facilitator=True, **params)
    assert not landed.exception and "not on this map any more" in texts(landed)
