"""A load client that speaks Streamlit's own WebSocket protocol and behaves like a browser tab.

Measuring a poll by timing our own function undercounts it: the server also builds Streamlit's
`new_session` message, runs the fragment, serialises every element it emits and sends it. This
client makes the server do exactly what a browser makes it do, and times what the person waits for:

- it opens `/_stcore/stream`, asks for a page by name with its query string (as a browser that
  opened `/join?code=...` does) and follows the page the server reports in its `navigation`
  message (with a `pages/` folder `new_session` names the home script, not the page shown);
- it reruns each fragment the server marks with `auto_rerun` at the asked interval, stops on
  `stop_auto_rerun`, and clears its timers when a full run starts (as the frontend does);
- it keeps the query string the page sets (`page_info_changed`), so a phone keeps its token;
- a poll is timed from the request to the `script_finished` that ends it; a run stopped early for
  `st.rerun` (`FINISHED_EARLY_FOR_RERUN`) does not end it: the run the server starts next does.

A tab has at most one request in flight, like a browser whose script is running: a timer that
fires meanwhile is an asked poll that goes unanswered. Widget states are not sent (the load is
pure watching; the writer posts through the core).

A poll counts as asked when its timer fires while `Stats.counting` is on, and as answered when
that same poll ends, even just after the window: at `until` a tab asks nothing more and waits up
to `grace` seconds for the poll it has in flight. So "answered = asked" means every poll asked in
the window was answered, with none lost at the window's edges (a poll asked before the window
and answered in it is not counted either).
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN


@dataclass
class Stats:
    """What every tab of one kind (phones, the projector) saw, summed."""

    asked: int = 0              # polls the tabs' timers asked for
    answered: int = 0           # polls that ended with script_finished
    poll_ms: list[float] = field(default_factory=list)
    full_ms: list[float] = field(default_factory=list)   # full page runs (a join, a rerun)
    stopped_early: int = 0      # runs the server stopped for st.rerun
    full_runs_in_polls: int = 0  # full page runs a poll caused
    errors: list[str] = field(default_factory=list)
    deltas: int = 0
    bytes: int = 0
    counting: bool = True       # off during the ramp-up, on in the measured window

    def reset(self) -> None:
        self.asked = self.answered = self.stopped_early = self.full_runs_in_polls = 0
        self.deltas = self.bytes = 0
        self.poll_ms.clear()
        self.full_ms.clear()
        self.errors.clear()


class Tab:
    """One browser tab on one page of the app."""

    def __init__(self, ws_base: str, page: str, query: str, stats: Stats, *,
                 cookie: str | None = None, on_delta=None, keep_runs: bool = False):
        self.url = f"{ws_base}/_stcore/stream"
        self.page, self.query, self.stats = page, query, stats
        self.headers = {"Cookie": cookie} if cookie else {}
        self.on_delta = on_delta  # called with each delta's bytes as it arrives
        self.http = ws_base.replace("ws://", "http://")
        self.page_hash = ""
        self.timers: dict[str, asyncio.Task] = {}
        self.sent_at: float | None = None  # a request in flight (a poll or the first load)
        self.is_poll = False
        self.poll_counted = False  # the poll in flight was asked in the window
        self.until = float("inf")  # no poll is asked from then on
        self.full_started: float | None = None
        self.loaded = asyncio.Event()
        self.ws = None
        self.run_deltas: list[bytes] = []  # the deltas of the run under way
        # (was a poll, its deltas) for each ended run, kept only when asked (tests compare them;
        # a 300-phone benchmark would only grow with them)
        self.keep_runs = keep_runs
        self.runs: list[tuple[bool, list[bytes]]] = []

    def _back(self, fragment_id: str = "") -> bytes:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        if not self.page_hash:
            state.page_name = self.page
        state.context_info.url = f"{self.http}/{self.page}?{self.query}"
        state.context_info.timezone = "UTC"
        if fragment_id:
            state.fragment_id = fragment_id
            state.is_auto_rerun = True
        return msg.SerializeToString()

    async def run(self, until: float, grace: float = 10.0) -> None:
        """Load the page and poll until `until`, then wait up to `grace` s for a poll in flight."""
        self.until = until
        try:
            async with websockets.connect(self.url, subprotocols=["streamlit"], max_size=None,
                                          open_timeout=30, ping_interval=None,
                                          additional_headers=self.headers) as ws:
                self.ws = ws
                self.sent_at, self.is_poll = time.monotonic(), False
                await ws.send(self._back())
                while True:
                    now = time.monotonic()
                    stop = until if now < until else until + grace
                    if now >= stop or (now >= until and self.sent_at is None):
                        break
                    try:
                        raw = await asyncio.wait_for(ws.recv(), max(0.05, stop - now))
                    except asyncio.TimeoutError:
                        continue
                    self._receive(raw)
        except Exception as exc:  # a refused or dropped connection is a figure, not a crash
            self.stats.errors.append(f"{type(exc).__name__}: {exc}"[:200])
        finally:
            for task in self.timers.values():
                task.cancel()
            self.timers.clear()

    def _receive(self, raw: bytes) -> None:
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if self.stats.counting:
            self.stats.bytes += len(raw)
        if kind == "delta":
            if self.keep_runs or self.on_delta:
                raw_delta = msg.delta.SerializeToString()
                if self.keep_runs:
                    self.run_deltas.append(raw_delta)
                if self.on_delta:
                    self.on_delta(raw_delta)
            if self.stats.counting:
                self.stats.deltas += 1
        elif kind == "new_session":
            self.run_deltas = []
            if not msg.metadata.run.fragment_ids:  # a full run: the frontend drops its timers
                for task in self.timers.values():
                    task.cancel()
                self.timers.clear()
                self.full_started = time.monotonic()
                if self.is_poll and self.stats.counting:
                    self.stats.full_runs_in_polls += 1
        elif kind == "navigation":
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "auto_rerun":
            fragment, interval = msg.auto_rerun.fragment_id, msg.auto_rerun.interval
            if fragment in self.timers:
                self.timers[fragment].cancel()
            self.timers[fragment] = asyncio.ensure_future(self._tick(fragment, interval))
        elif kind == "stop_auto_rerun":
            for fragment in msg.stop_auto_rerun.fragment_ids:
                if task := self.timers.pop(fragment, None):
                    task.cancel()
        elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
            self.stats.errors.append("script compilation error")
        elif kind == "script_finished":
            self._finished(msg.script_finished)

    def _finished(self, status) -> None:
        now = time.monotonic()
        if status == EARLY:
            if self.stats.counting:
                self.stats.stopped_early += 1
            return
        if status not in FINISHED:
            self.stats.errors.append(f"script finished with status {status}")
        if self.full_started is not None and status == ForwardMsg.FINISHED_SUCCESSFULLY:
            if self.stats.counting:
                self.stats.full_ms.append(1000 * (now - self.full_started))
            self.full_started = None
        if self.keep_runs:
            self.runs.append((self.is_poll, self.run_deltas))
        self.run_deltas = []
        if self.sent_at is not None:
            if self.is_poll and self.poll_counted:
                self.stats.answered += 1
                self.stats.poll_ms.append(1000 * (now - self.sent_at))
            self.sent_at, self.poll_counted = None, False
        self.loaded.set()

    async def _tick(self, fragment: str, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            if time.monotonic() >= self.until:
                return
            counted = self.stats.counting
            if counted:
                self.stats.asked += 1
            if self.sent_at is not None:  # still waiting for the last answer
                continue
            self.sent_at, self.is_poll, self.poll_counted = time.monotonic(), True, counted
            try:
                await self.ws.send(self._back(fragment))
            except websockets.ConnectionClosedOK:  # the run ended while this timer fired
                return
            except Exception as exc:
                self.stats.errors.append(f"send: {type(exc).__name__}")
                return


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]
