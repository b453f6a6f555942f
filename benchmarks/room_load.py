"""The room at full size: phones and the projector on one server while ideas pour in.

Starts `streamlit run app.py` pinned to one core (the load client runs on the other), seeds a
workshop whose board already holds --items items, opens every phone as its own participant on
`/join?code=...&p=...` and the projector on `/projector?code=...&board=...` with the Streamlit-
protocol client in benchmarks/stclient.py (each tab reruns the fragments the server marks for
auto-rerun, at the app's own intervals), and, in the scenarios with items flowing, a writer that
posts through `boards.add_item` (Poisson arrivals). After a ramp-up the window is measured: polls
answered against polls asked, poll and full-run percentiles, the server's CPU time over the window
(utime + stime of the process, all threads) as a share of one core and per answered poll, the load
client's own CPU (it shares the machine), its peak RSS, and errors. After the still board the same
client and phones watch floor_app.py, Streamlit's floor for a poll of the same size, so the still
board's cost per poll is read against the floor measured in the same run.

The `follow` scenario runs a guided session: the phones poll the workshop's step while the
facilitator moves the room every --move-every seconds (welcome, definitions, brainstorm, reveal,
round again, through the core's `sessions.move`); each phone's deltas say which step it shows
(`data-room-step`), and the figure is, per move and phone, the seconds until the phone showed it
(goal: within the phone's poll interval + 2 s).

The `languages` scenario opens half the phones in Spanish and half in English, interleaved, on
one board in one session, and prints each language's median poll and whether they differ by
less than max(5 %, the spread): the spread is how far apart the medians of two halves of the same
language's polls are (alternate polls), so a difference inside it is noise, not Spanish.

Run: python benchmarks/room_load.py [--database sqlite|postgresql] [--seconds 60]
         [--scenario all|still|storm|flow100|flow300|trickle|follow|languages]
A benchmark prints figures next to their goal; it asserts nothing.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from stclient import Stats, Tab, percentile  # noqa: E402

from orgkit.board import service as boards  # noqa: E402
from orgkit.domain import Actor, Role  # noqa: E402
from orgkit.session import service as sessions  # noqa: E402
from orgkit.storage import open_store  # noqa: E402
from orgkit.ui.room import PHONE_POLL_S  # noqa: E402
from orgkit.workshop import service as workshops  # noqa: E402

GOALS = {"cpu": 30.0, "fragment_p95": 100.0, "projector_p95": 100.0, "rss": 300.0,
         "storm_p95": 2000.0, "shown_p95": 1.2, "floor_ratio": 2.0,
         "step_max": PHONE_POLL_S + 2.0}


@dataclass
class Scenario:
    name: str
    phones: int
    per_phone_s: float | None = None   # one item per phone every N s on average
    room_every_s: float | None = None  # or one item for the whole room every N s
    storm_s: float | None = None       # phones arrive over N s as new participants
    processes: int = 1                 # app processes behind nginx (scripts/serve_many.py)
    follows: bool = False              # a guided session: the facilitator moves the room
    languages: tuple[str, ...] = ("",)  # phone n reads languages[n % len]; "" = no lang hint


SCENARIOS = {
    "still": Scenario("300 phones, still board", 300),
    "storm": Scenario("join storm: 300 phones in 30 s", 300, storm_s=30),
    "flow100": Scenario("100 phones, items flowing", 100, per_phone_s=30),
    "flow300": Scenario("300 phones, items flowing", 300, per_phone_s=30),
    "trickle": Scenario("300 phones, one item per 10 s", 300, room_every_s=10),
    "proxy600": Scenario("600 phones on 2 processes behind nginx, items flowing", 600,
                         per_phone_s=30, processes=2),
    "follow": Scenario("300 phones follow the step the facilitator moves", 300, follows=True),
    "languages": Scenario("300 phones, Spanish and English interleaved, items flowing", 300,
                          per_phone_s=30, languages=("es", "en")),
}
STEP = re.compile(rb'data-room-step="(\d+)"')
REVISION = re.compile(rb'data-revision="(\d+)"')


def proc_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_mb(pid: int, key: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


class Writer(threading.Thread):
    """Posts items through the core at a Poisson rate, as the room's phones would."""

    def __init__(self, url: str, board_id: int, actors: list[Actor], rate: float, until: float):
        super().__init__(daemon=True)
        self.url, self.board_id, self.actors = url, board_id, actors
        self.rate, self.until = rate, until
        self.posted = 0
        self.errors: list[str] = []
        self.times: list[tuple[float, int]] = []  # (when a post returned, the revision it made)

    def run(self) -> None:
        store = open_store(self.url)
        rng = random.Random(7)
        try:
            while (now := time.monotonic()) < self.until:
                time.sleep(min(rng.expovariate(self.rate), max(0.0, self.until - now)))
                try:
                    boards.add_item(store, rng.choice(self.actors), self.board_id,
                                    f"Idea {self.posted}: house meetings before the vote")
                    self.times.append((time.monotonic(), store.boards.revision(self.board_id)))
                    self.posted += 1
                except Exception as exc:  # a refused post is a figure
                    self.errors.append(str(exc)[:120])
        finally:
            store.close()


class Mover(threading.Thread):
    """The facilitator moves the room every `every` seconds through the first four steps."""

    def __init__(self, url: str, facilitator: Actor, every: float, until: float):
        super().__init__(daemon=True)
        self.url, self.facilitator, self.every, self.until = url, facilitator, every, until
        self.moves: list[tuple[float, int]] = []  # (when the move returned, the step now on)
        self.errors: list[str] = []

    def run(self) -> None:
        store = open_store(self.url)
        steps = sessions.agenda(store, self.facilitator)[:4]
        try:
            while time.monotonic() + self.every < self.until:
                time.sleep(self.every)
                now = sessions.room(store, self.facilitator.workshop_id).step_id
                ids = [step.id for step in steps]
                to = ids[(ids.index(now) + 1) % len(ids)] if now in ids else ids[0]
                try:
                    sessions.move(store, self.facilitator, now, to)
                    self.moves.append((time.monotonic(), to))
                except Exception as exc:  # a refused move is a figure
                    self.errors.append(str(exc)[:120])
        finally:
            store.close()


def followed(moves: list[tuple[float, int]], shown: dict[int, list[tuple[float, int]]]
             ) -> tuple[list[float], int]:
    """Per move and phone, the seconds until the phone first showed the step (a later move
    ends the wait); and how many (move, phone) pairs never showed it."""
    delays, missed = [], 0
    for n, (moved_at, step) in enumerate(moves):
        until = moves[n + 1][0] if n + 1 < len(moves) else float("inf")
        for seen in shown.values():
            first = next((at for at, on in seen if on == step and moved_at <= at < until), None)
            if first is None:
                missed += 1
            else:
                delays.append(first - moved_at)
    return delays, missed


def seed(url: str, items: int, phones: int):
    store = open_store(url)
    workshop = workshops.create_workshop(store, "Room load", None, "bench-pin-123")
    facilitator = Actor(Role.FACILITATOR, workshop.id)
    board = boards.create_board(store, facilitator, "What makes organizing work?",
                                votes_per_participant=3)
    joined = [workshops.join(store, workshop.join_code) for _ in range(phones)]
    actors, tokens = [j[1] for j in joined], [j[2] for j in joined]
    for n in range(items):
        boards.add_item(store, actors[n % len(actors)], board.id,
                        f"Seed {n}: listening campaigns and one-on-ones")
    store.close()
    return workshop, board, actors, tokens


def device_cookie() -> str:
    """A browser's remembered-device cookie: behind nginx it picks the process."""
    return f"orgkit_device={secrets.token_urlsafe(24)}"


async def drive(ws_base: str, scenario: Scenario, code: str, board_id: int,
                tokens: list[str], seconds: float, ramp: float, window_started, window_ended,
                seen: list[tuple[float, int]], steps_seen: dict[int, list[tuple[float, int]]]
                ) -> tuple[dict[str, Stats], Stats]:
    languages = {language: Stats() for language in scenario.languages}
    projector = Stats()
    every = [*languages.values(), projector]
    for stats in every:
        stats.counting = False
    end = time.monotonic() + ramp + seconds

    def spot(delta: bytes) -> None:  # which revision of the board the projector shows, when
        for revision in REVISION.findall(delta):
            seen.append((time.monotonic(), int(revision)))

    tasks = [asyncio.ensure_future(Tab(ws_base, "projector", f"code={code}&board={board_id}",
                                       projector, cookie=device_cookie(),
                                       on_delta=spot).run(end))]
    spread = scenario.storm_s or ramp * 0.6
    if scenario.storm_s:  # a storm is measured from its first phone
        for stats in every:
            stats.counting = True
        window_started()
    for n in range(scenario.phones):
        query = f"code={code}" if scenario.storm_s else f"code={code}&p={tokens[n]}"
        language = scenario.languages[n % len(scenario.languages)]
        if language:  # the link's hint: a new device has chosen nothing else
            query += f"&lang={language}"
        tab = Tab(ws_base, "join", query, languages[language], cookie=device_cookie(),
                  on_delta=_step_spotter(steps_seen.setdefault(n, []))
                  if scenario.follows else None)
        tasks.append(asyncio.ensure_future(tab.run(end)))
        await asyncio.sleep(spread / scenario.phones)
    if not scenario.storm_s:  # the window opens once every phone is in
        await asyncio.sleep(max(0.0, end - seconds - time.monotonic()))
        for stats in every:
            stats.reset()
            stats.counting = True
        window_started()
    await _close_window(end, every, window_ended)
    await asyncio.gather(*tasks)  # the polls in flight at the window's end are answered
    return languages, projector


async def _close_window(end: float, every: list[Stats], window_ended) -> None:
    """At `end`: no poll is counted as asked from then on, and the window's CPU is read."""
    await asyncio.sleep(max(0.0, end - time.monotonic()))
    for stats in every:
        stats.counting = False
    window_ended()


def merged(groups: list[Stats]) -> Stats:
    """Every phone's figures as one, whatever language each read."""
    total = Stats()
    for stats in groups:
        for name, value in vars(stats).items():
            if name != "counting":
                setattr(total, name, getattr(total, name) + value)
    return total


def languages_compared(languages: dict[str, Stats]) -> list[str]:
    """Each language's median phone poll, and whether they differ by less than max(5 %, the
    spread between alternate polls of one language)."""
    medians = {name: percentile(stats.poll_ms, .5) for name, stats in languages.items()}
    spread = max((abs(percentile(s.poll_ms[::2], .5) - percentile(s.poll_ms[1::2], .5))
                  / max(percentile(s.poll_ms, .5), 1e-9) for s in languages.values()),
                 default=0.0)
    low, high = min(medians.values()), max(medians.values())
    differ = (high - low) / max(low, 1e-9)
    allowed = max(0.05, spread)
    lines = [f"| phone poll p50 ms, {name} | {fmt(ms)} | {len(languages[name].poll_ms)} polls |"
             for name, ms in medians.items()]
    lines.append(f"| languages differ by | {100 * differ:.1f} % | allowed max(5 %, spread "
                 f"{100 * spread:.1f} %) = {100 * allowed:.1f} %: "
                 f"{'yes, within' if differ < allowed else 'NO, beyond'} |")
    return lines


def _step_spotter(seen: list[tuple[float, int]]):
    def spot(delta: bytes) -> None:  # which step of the agenda a phone shows, when
        for step in STEP.findall(delta):
            seen.append((time.monotonic(), int(step)))
    return spot


def run_scenario(scenario: Scenario, args, url: str, ws_base: str, pids: list[int]) -> dict:
    workshop, board, actors, tokens = seed(url, args.items, scenario.phones)
    window: dict = {}
    facilitator = Actor(Role.FACILITATOR, workshop.id)
    if scenario.follows:  # the session is on its first step when the phones arrive
        store = open_store(url)
        sessions.move(store, facilitator, None, sessions.agenda(store, facilitator)[0].id)
        store.close()

    def started() -> None:
        window["cpu"] = [proc_cpu(pid) for pid in pids]
        window["client"] = proc_cpu(os.getpid())
        window["wall"] = time.monotonic()
        rate = (scenario.phones / scenario.per_phone_s if scenario.per_phone_s else
                1 / scenario.room_every_s if scenario.room_every_s else 0)
        if rate:
            window["writer"] = Writer(url, board.id, actors, rate, time.monotonic() + args.seconds)
            window["writer"].start()
        if scenario.follows:
            window["mover"] = Mover(url, facilitator, args.move_every,
                                    time.monotonic() + args.seconds)
            window["mover"].start()

    def ended() -> None:
        window["cpu"] = [proc_cpu(pid) - before for pid, before in zip(pids, window["cpu"])]
        window["client"] = proc_cpu(os.getpid()) - window["client"]
        window["wall"] = time.monotonic() - window["wall"]

    ramp = 0 if scenario.storm_s else args.ramp
    seconds = args.seconds if not scenario.storm_s else scenario.storm_s + 15
    seen: list[tuple[float, int]] = []
    steps_seen: dict[int, list[tuple[float, int]]] = {}
    languages, projector = asyncio.run(drive(ws_base, scenario, workshop.join_code, board.id,
                                             tokens, seconds, ramp, started, ended, seen,
                                             steps_seen))
    phones = merged(list(languages.values()))
    # The window the tabs polled in: the answers to its last polls and closing the tabs are not.
    cpu, client, wall = window["cpu"], window["client"], window["wall"]
    writer, mover = window.get("writer"), window.get("mover")
    if writer:
        writer.join()
    if mover:
        mover.join()
    store = open_store(url)
    # Phones that joined during the storm, as the projector counts the room (its poll).
    joined = store.boards.poll(board.id)[1] - len(tokens) if scenario.storm_s else None
    store.close()
    return {"scenario": scenario, "phones": phones, "projector": projector, "wall": wall,
            "cpu": [100 * c / wall for c in cpu], "client": 100 * client / wall,
            "rss": [proc_mb(pid, "VmHWM") for pid in pids],
            "latency": shown_after(writer.times if writer else [], seen),
            "posted": writer.posted if writer else 0,
            "writer_errors": (writer.errors if writer else []) + (mover.errors if mover else []),
            "joined": joined, "languages": languages,
            "follow": followed(mover.moves, steps_seen) + (len(mover.moves),) if mover else None}


def shown_after(posts: list[tuple[float, int]], seen: list[tuple[float, int]]) -> list[float]:
    """For each post, the seconds until the projector first drew a revision that includes it
    (on another process, when there are several)."""
    delays = []
    for posted_at, revision in posts:
        first = next((at for at, shown in seen if shown >= revision and at >= posted_at), None)
        if first is not None:
            delays.append(first - posted_at)
    return delays


def app_pid(port: str) -> int:
    """The app process listening on a port (started by scripts/serve_many.py)."""
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"streamlit" in b" ".join(cmd) and port.encode() in cmd:
                return int(proc.name)
    raise RuntimeError(f"no app process on port {port}")


def per_poll(result: dict) -> float:
    """Server CPU-milliseconds per answered poll (phones and projector), every server summed."""
    polls = result["phones"].answered + result["projector"].answered
    return 10 * sum(result["cpu"]) * result["wall"] / max(1, polls)


async def watch_floor(ws_base: str, phones: int, seconds: float, ramp: float,
                      window_started, window_ended) -> Stats:
    """The floor app (floor_app.py) watched by `phones` tabs: the same ramp, then the window."""
    stats = Stats(counting=False)
    end = time.monotonic() + ramp + seconds
    tasks = []
    for _ in range(phones):
        tasks.append(asyncio.ensure_future(Tab(ws_base, "", "", stats).run(end)))
        await asyncio.sleep(ramp * 0.6 / phones)
    await asyncio.sleep(max(0.0, end - seconds - time.monotonic()))
    stats.reset()
    stats.counting = True
    window_started()
    await _close_window(end, [stats], window_ended)
    await asyncio.gather(*tasks)
    return stats


def floor(args, phones: int, poll_bytes: int, folder: Path) -> float:
    """Streamlit's floor on this machine now: server CPU-ms per answered poll of a minimal
    fragment app emitting one block of our phone poll's size (floor_app.py), in the same window
    as the room's figures (the ramp's page loads are not in it)."""
    from e2e.conftest import StreamlitServer

    server = StreamlitServer("sqlite:///unused.db", folder, cpus="0", script=str(
        ROOT / "benchmarks" / "floor_app.py"), env={"FLOOR_BYTES": str(poll_bytes)})
    cpu: list[float] = []
    try:
        stats = asyncio.run(watch_floor(
            server.ws, phones, args.seconds, args.ramp,
            lambda: cpu.append(proc_cpu(server.proc.pid)),
            lambda: cpu.append(proc_cpu(server.proc.pid) - cpu.pop())))
        return 1000 * cpu[0] / max(1, stats.answered)
    finally:
        server.stop()


def fmt(ms: float) -> str:
    return "—" if ms != ms else f"{ms:.0f}"


def print_row(result: dict) -> None:
    sc, ph, pr, wall = result["scenario"], result["phones"], result["projector"], result["wall"]
    cpu = " + ".join(f"{c:.1f}" for c in result["cpu"])
    rss = " / ".join(f"{r:.0f}" for r in result["rss"])
    errors = ph.errors + pr.errors + result["writer_errors"]
    print(f"\n## {sc.name}  ({wall:.0f} s window, {result['posted']} items posted)")
    print(f"| polls answered / asked per s | phones {ph.answered / wall:.1f} / "
          f"{ph.asked / wall:.1f} | projector {pr.answered / wall:.2f} / {pr.asked / wall:.2f} |")
    print(f"| polls answered of asked in the window | phones {ph.answered} of {ph.asked} | "
          f"projector {pr.answered} of {pr.asked} | goal: every one |")
    print(f"| phone poll p50 / p95 ms | {fmt(percentile(ph.poll_ms, .5))} / "
          f"{fmt(percentile(ph.poll_ms, .95))} | goal p95 ≤ {GOALS['fragment_p95']:.0f} |")
    print(f"| projector poll p50 / p95 ms | {fmt(percentile(pr.poll_ms, .5))} / "
          f"{fmt(percentile(pr.poll_ms, .95))} | goal p95 ≤ {GOALS['projector_p95']:.0f} |")
    goal = f"goal p95 ≤ {GOALS['storm_p95']:.0f}" if sc.storm_s else ""
    print(f"| full page runs: {len(ph.full_ms)}, p50 / p95 ms | "
          f"{fmt(percentile(ph.full_ms, .5))} / "
          f"{fmt(percentile(ph.full_ms, .95))} | {goal} |")
    print(f"| full runs caused by a poll | {ph.full_runs_in_polls + pr.full_runs_in_polls} | "
          f"runs stopped early for a rerun: {ph.stopped_early + pr.stopped_early} |")
    for label, stats in (("phone", ph), ("projector", pr)):
        polls = max(1, stats.answered)
        print(f"| per {label} poll | {stats.deltas / polls:.1f} elements, "
              f"{stats.bytes / polls / 1024:.1f} kB |")
    print(f"| server CPU, % of one core | {cpu} | goal ≤ {GOALS['cpu']:.0f} per server |")
    print(f"| server CPU-ms per answered poll | {per_poll(result):.1f} | |")
    print(f"| load client (and writer) CPU, % of one core | {result['client']:.1f} | "
          "it shares the machine: past ~80 % the client, not the server, limits the run |")
    print(f"| peak RSS MB | {rss} | goal ≤ {GOALS['rss']:.0f} |")
    if result["latency"]:
        late = result["latency"]
        print(f"| posted → in the projector's board, p50 / p95 s | {percentile(late, .5):.2f} / "
              f"{percentile(late, .95):.2f} | {len(late)} of {result['posted']} | "
              f"goal p95 ≤ {GOALS['shown_p95']} |")
    if result["follow"] is not None:
        delays, missed, moves = result["follow"]
        print(f"| moved → the phone shows the step, p50 / p95 / max s | "
              f"{percentile(delays, .5):.1f} / {percentile(delays, .95):.1f} / "
              f"{max(delays, default=float('nan')):.1f} | {moves} moves × {sc.phones} phones, "
              f"{missed} never shown | goal max ≤ {GOALS['step_max']:.0f} (poll + 2 s) |")
    if result["joined"] is not None:
        print(f"| participants the storm added | {result['joined']} (phones: {sc.phones}) |")
    if len(result["languages"]) > 1:
        print("\n".join(languages_compared(result["languages"])))
    print(f"| errors | {len(errors)} | {'; '.join(sorted(set(errors))[:3])} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="all", choices=["all", *SCENARIOS])
    parser.add_argument("--database", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--items", type=int, default=300, help="items on the board at the start")
    parser.add_argument("--seconds", type=float, default=60, help="the measured window")
    parser.add_argument("--ramp", type=float, default=35, help="phones connect during this")
    parser.add_argument("--phones", type=int, help="override the scenario's phone count")
    parser.add_argument("--move-every", type=float, default=20,
                        help="follow: seconds between the facilitator's moves")
    args = parser.parse_args()
    os.sched_setaffinity(0, {1})  # the client on the other core than the server

    from conftest import PostgresCluster
    from e2e.conftest import ProxiedServers, StreamlitServer

    names = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    cluster = PostgresCluster() if args.database == "postgresql" else None
    try:
        for name in names:
            scenario = SCENARIOS[name]
            if args.phones:
                scenario.phones = args.phones
            folder = Path(tempfile.mkdtemp(prefix=f"orgkit-room-{name}-"))
            url = cluster.new_database() if cluster else f"sqlite:///{folder / 'room.db'}"
            if scenario.processes > 1:
                server = ProxiedServers(url, scenario.processes)
                pids = [app_pid(port) for port in server.app_ports]
            else:
                server = StreamlitServer(url, folder, cpus="0")
                pids = [server.proc.pid]
            try:
                result = run_scenario(scenario, args, url, server.ws, pids)
            finally:
                server.stop()
            print_row(result)
            if name == "still":  # the same client and phones on Streamlit's floor, now
                phones = result["phones"]
                cost = floor(args, scenario.phones, phones.bytes // max(1, phones.answered),
                             folder)
                print(f"| Streamlit's floor: CPU-ms per answered poll | {cost:.1f} | still / "
                      f"floor = {per_poll(result) / cost:.2f} | goal ≤ {GOALS['floor_ratio']} |")
    finally:
        if cluster:
            cluster.stop()


if __name__ == "__main__":
    main()
