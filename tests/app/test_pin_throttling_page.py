"""The unlock form counts wrong PINs per source (ui.client_source): a guesser on one device is
slowed down and told so, while another device unlocks with the right PIN at once."""
from conftest import DEMO_CODE, DEMO_PIN

from orgkit.domain import UNLOCK_FREE_TRIES
from orgkit.storage import open_store
from orgkit.workshop import service as workshops


def _try(at, pin):
    at.text_input(key="unlock_pin").set_value(pin)
    at.button(key="unlock_submit").click()
    return at.run()


def test_a_guessing_device_is_slowed_and_the_facilitator_still_unlocks(open_page, app_env):
    at = open_page("pages/3_facilitate.py", code=DEMO_CODE)
    for _ in range(UNLOCK_FREE_TRIES):
        at = _try(at, "wrong-pin")
    at = _try(at, "wrong-pin")
    assert any("from this device. Try again in" in e.value for e in at.error), \
        [e.value for e in at.error]
    store = open_store(app_env)  # the facilitator's own laptop: another source
    workshop_id = store.workshops.by_code(DEMO_CODE)["id"]
    assert workshops.unlock(store, workshop_id, DEMO_PIN,
                            source="facilitator-laptop").is_facilitator
    store.close()
