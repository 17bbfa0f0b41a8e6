"""The student app (sim/app/, sim/views/app/): its pieces without a browser, then the page in a
real browser.

The browser tests start ``python -m sim.app`` on a free loopback port with every outside
request of the server routed to a local trap (``HTTP(S)_PROXY``), and drive Debian's chromium
with Playwright: step, switch view, rule, seed and language, read the About tab; eight
sessions resetting at once; memory given back by closed sessions; nothing fetched from a CDN.
Speed is measured by ``python -m sim.bench app``, never asserted here.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from PIL import Image

from sim.compose import load_config
from sim.config import CONFIG_DIR, ConfigError
from sim.model import MEETING_COLUMNS
from sim.resources.shared_space.plan import IDLE
from sim.views.app.model import SCENARIOS, AppModel, Choices, overrides, supply_measures
from sim.views.app.page import meeting_table
from sim.views.app.picture import OPINION, PARKING, NetworkPicture, colours
from sim.views.app.plots import LivePlots, nice_ceiling
from sim.views.app.space_picture import SpacePicture, timetable

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
    "(apt-get install chromium; .ci/run installs it)")


# -- without a browser -----------------------------------------------------------------------------


def test_seed_text_becomes_an_integer_override():
    chosen = overrides(Choices("sanhuqiao", "lottery", None, 0.25, None, " 7 "))
    assert chosen == ["scenario=sanhuqiao", "seed=7", "scenario.lead_share=0.25",
                      "allocation=lottery"]


def test_a_seed_that_is_not_a_number_is_named_in_the_error():
    with pytest.raises(ConfigError, match="seed = 'seven': must be a whole number"):
        overrides(Choices(seed="seven"))


def test_a_refused_seed_is_reported_and_the_page_keeps_running():
    model = AppModel(Choices(neighbourhood="sanhuqiao", seed="-3"))
    assert model.config.seed == 0
    assert model.seed_error.key == "seed" and "-3" in str(model.seed_error)


def test_supply_switch_turns_on_the_measures_that_act_in_the_neighbourhood():
    on = AppModel(Choices(neighbourhood="sanhuqiao", supply=True)).config
    assert set(on.supply) == set(supply_measures(on.scenario))
    assert {"restripe", "offpeak_sharing", "roadside_permits"} <= set(on.supply)
    assert "remove_illegal_construction" not in on.supply  # sanhuqiao has none to remove
    assert not AppModel(Choices(neighbourhood="sanhuqiao", supply=False)).config.supply


def test_every_scenario_is_offered_and_builds():
    assert set(SCENARIOS) == {p.stem for p in (CONFIG_DIR / "scenario").glob("*.yaml")}
    for name in SCENARIOS:
        model = AppModel(Choices(neighbourhood=name))
        assert model.config.scenario.name == name
        assert len(model.layout) == len(model.households)


def test_case_d_pictures_the_week_of_the_space_and_the_gym_once_table_tennis_moves():
    model = AppModel(Choices(neighbourhood="yuxin_activity_centre"))
    space, tennis = model.resource, model.resource.groups.index("table_tennis")
    rows, grid = timetable(space)
    assert rows == ["hall"] and set(np.unique(grid)) == {IDLE, tennis}
    space.adopt({"layout": 1}, day=1)
    rows, grid = timetable(space)
    assert rows[-1] == "gym" and set(np.unique(grid[-1])) == {IDLE, tennis}
    assert len(set(np.unique(grid[:-1])) - {IDLE}) == len(space.groups) - 1
    image = Image.open(io.BytesIO(SpacePicture(model).draw(model, "en")))
    assert image.size == (760, 590)


def test_the_default_proposal_is_put_to_a_vote():
    model = AppModel()
    assert model.config.allocation.name == "one_car_owner_first"
    assert model.deliberation.rule.name != "committee_decides"


def test_meeting_log_shows_newest_first_in_plain_words():
    row = dict.fromkeys(MEETING_COLUMNS, 0)
    meetings = [{**row, "day": 30, "round": 1, "proposal": "one_car_owner_first/permanent",
                 "attendance_heads": 0.5, "yes_heads": 0.4, "passed": False},
                {**row, "day": 60, "round": 2, "proposal": "one_car_owner_first/permanent",
                 "attendance_heads": 0.75, "yes_heads": 0.7, "passed": True}]
    table = meeting_table(meetings, "en")
    assert table.values.tolist()[0] == [
        60, 2, "One car per household, home-buyers first + Permanent permits", "75%", "70%", "✓"]
    assert meeting_table(meetings, "zh").values.tolist()[1][2] == "一户一车+购房优先 + 永久占用"


def test_every_household_has_its_own_place():
    model = AppModel(Choices(neighbourhood="sanhuqiao", seed="3"))
    places = np.round(model.layout, 6)
    assert len(np.unique(places, axis=0)) == len(model.households)


def test_parking_colours_wait_for_the_first_night_then_follow_the_model():
    model = AppModel(Choices(neighbourhood="sanhuqiao"))
    has_car = model.households.cars > 0
    before = colours(model, "parking")
    assert (before[has_car] == to_rgba(PARKING["night_pending"])).all()
    model.step()
    after = colours(model, "parking")
    parked = has_car & model.household_parked
    assert (after[parked] == to_rgba(PARKING["parked"])).all()
    assert (after[has_car & ~parked] == to_rgba(PARKING["not_parked"])).all()
    assert (after[~has_car] == to_rgba(PARKING["no_car"])).all()


def test_undecided_households_stand_out_from_the_white_page():
    red, green, blue, _ = OPINION(0.5)
    assert 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.7  # luminance of white is 1


def test_the_picture_is_drawn_in_full_once_then_updated_in_place():
    model = AppModel(Choices(neighbourhood="sanhuqiao"))
    picture = NetworkPicture(model)
    full_draws = []
    draw = picture.canvas.draw
    picture.canvas.draw = lambda: (full_draws.append(1), draw())[1]
    frames = [picture.draw(model, "opinion", "en")]
    for _ in range(3):
        model.step()
        frames.append(picture.draw(model, "opinion", "en"))
    assert len(full_draws) == 1
    assert len(set(frames)) == 4  # every day's picture differs (title, opinions)
    picture.draw(model, "parking", "zh")
    assert len(full_draws) == 2  # a new legend needs a full draw
    image = Image.open(io.BytesIO(frames[-1]))
    assert image.size == (760, 590) and len(image.getcolors(maxcolors=100_000)) > 50


def test_plot_axes_grow_in_rare_steps():
    assert [nice_ceiling(v) for v in (0, 5, 6, 11, 201, 1000)] == [5, 5, 10, 20, 500, 1000]
    plots = LivePlots(365)
    full_draws = []
    draw = plots.canvas.draw
    plots.canvas.draw = lambda: (full_draws.append(1), draw())[1]
    for days in range(1, 6):
        plots.draw({"car_coverage": [0.5] * days, "complaints": [1] * days}, "en")
    assert len(full_draws) == 1


def test_configs_compose_in_many_threads_at_once():
    results, errors = {}, []

    def compose(seed: int) -> None:
        try:
            results[seed] = load_config([f"seed={seed}", "scenario=sanhuqiao"]).seed
        except Exception as error:  # noqa: BLE001 - any error fails the test below
            errors.append(error)

    threads = [threading.Thread(target=compose, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert results == {seed: seed for seed in range(8)}


# -- in a browser ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Trap:
    """A loopback listener posing as the outside world's proxy: counts who calls."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.calls = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.calls += 1
            connection.close()


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``python -m sim.app`` on a free loopback port, sessions culled 2 s after their browser
    leaves, outside requests routed to a :class:`Trap`; stopped by its process id afterwards."""
    port, trap = _free_port(), Trap()
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    proxy = f"http://127.0.0.1:{trap.port}"
    env = {**os.environ, "SOLARA_KERNEL_CULL_TIMEOUT": "2s", "HTTP_PROXY": proxy,
           "HTTPS_PROXY": proxy, "http_proxy": proxy, "https_proxy": proxy, "NO_PROXY": "",
           "no_proxy": ""}
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "sim.app", "--port", str(port)],
                                   cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        if process.poll() is not None:
            pytest.fail(f"the app server exited:\n{log_path.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if time.monotonic() > deadline:
                os.kill(process.pid, signal.SIGKILL)
                pytest.fail(f"no page after 90 s:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.3)
    yield {"url": url, "log": log_path, "pid": process.pid, "trap": trap}
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    trap.socket.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open(browser, url: str, requests: list[str]):
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.goto(url)
    return context, page


def _picture(page):
    return page.locator("img.estate-picture")


def _plots(page):
    return page.locator("img.estate-plots")


def _settled(image, quiet: float = 1.0, timeout: float = 30.0) -> str:
    """Wait until the picture is loaded and its source has not changed for ``quiet`` seconds;
    return its source."""
    deadline = time.monotonic() + timeout
    image.wait_for(state="visible", timeout=timeout * 1000)
    source, since = image.get_attribute("src"), time.monotonic()
    while time.monotonic() - since < quiet:
        assert time.monotonic() < deadline, "the picture kept changing"
        time.sleep(0.1)
        now = image.get_attribute("src")
        if now != source:
            source, since = now, time.monotonic()
    assert image.evaluate("e => e.complete && e.naturalWidth") > 300
    return source


def _choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the drop-down labelled ``label``."""
    page.locator(".v-select", has_text=label).locator(".v-input__slot").click()
    page.locator(".menuable__content__active .v-list-item", has_text=option).click()


def _not_blank(png: bytes) -> None:
    """A rendered page has many colours; a blank or error page has a handful."""
    colours_seen = Image.open(io.BytesIO(png)).convert("RGB").getcolors(maxcolors=1_000_000)
    assert len(colours_seen) > 200, f"the page looks blank ({len(colours_seen)} colours)"


def _outside(requests: list[str]) -> set[str]:
    return {url for url in requests if urlsplit(url).scheme not in ("data", "blob")
            and urlsplit(url).hostname != "127.0.0.1"}


def _clean_log(server) -> None:
    log = server["log"].read_text(errors="replace")
    assert "Traceback" not in log and "GlobalHydra" not in log, f"the server raised:\n{log}"
    assert server["trap"].calls == 0, "the server tried to reach the internet"


@pytest.mark.timeout(300)
@needs_chromium
def test_page_steps_switches_explains_and_keeps_sessions_apart(server, browser, tmp_path):
    requests: list[str] = []
    first, page = _open(browser, server["url"], requests)
    page.get_by_text("Day 0 of 365 · seed 0").wait_for(timeout=60_000)
    _settled(_picture(page))
    plots_before = _settled(_plots(page))
    for day in (1, 2, 3):
        page.get_by_role("button", name="Step").click()
        page.get_by_text(f"Day {day} of 365").wait_for(timeout=20_000)
    assert _settled(_plots(page)) != plots_before, "the plots did not change"
    page.get_by_role("button", name="▶ Play").click()
    page.wait_for_function("() => +(document.body.innerText.match(/Day (\\d+) of/) || [0, 0])[1]"
                           " >= 8", timeout=60_000)
    page.get_by_role("button", name="❚❚ Pause").click()
    page.get_by_role("button", name="▶ Play").wait_for()
    paused = page.get_by_text("of 365 · seed 0").inner_text()
    time.sleep(1.5)
    assert page.get_by_text("of 365 · seed 0").inner_text() == paused, "Pause did not stop"
    page.get_by_text("Rules in force: the status quo").wait_for()
    page.get_by_text("Property firms present: 3 of 3").wait_for()
    page.screenshot(path=tmp_path / "stepped.png")
    _not_blank((tmp_path / "stepped.png").read_bytes())

    before = _settled(_picture(page))
    page.get_by_role("button", name="Opinion").click()
    page.wait_for_function("old => document.querySelector('img.estate-picture').src !== old",
                           arg=before, timeout=10_000)

    _choose(page, "Allocation rule proposed", "Lottery")
    seed = page.get_by_label("Seed (whole number)")
    seed.fill("7")
    seed.press("Enter")
    page.get_by_role("button", name="Reset").click()
    page.get_by_text("Day 0 of 365 · seed 7").wait_for(timeout=30_000)
    page.get_by_text("Proposed: Lottery").wait_for()

    page.get_by_role("button", name="中文").click()
    for words in ("第0天，共365天 · 随机种子7", "提议的车位分配规则", "提案：摇号"):
        page.get_by_text(words).first.wait_for()
    for button in ("重置", "前进一天", "▶ 运行"):
        page.get_by_role("button", name=button).wait_for()
    page.get_by_role("tab", name="关于").click()
    page.get_by_text("大家商量着办").first.wait_for()
    page.get_by_role("button", name="阅读模型说明").click()
    page.get_by_text("ODD").first.wait_for()
    page.screenshot(path=tmp_path / "about_zh.png")
    _not_blank((tmp_path / "about_zh.png").read_bytes())

    second, other = _open(browser, server["url"], requests)
    other.get_by_text("Day 0 of 365 · seed 0").wait_for(timeout=60_000)
    other.get_by_role("button", name="Step").click()
    other.get_by_text("Day 1 of 365").wait_for(timeout=20_000)
    page.get_by_text("第0天，共365天 · 随机种子7").wait_for()  # untouched by the other session
    first.close()
    second.close()
    assert not _outside(requests), f"requests left 127.0.0.1: {sorted(_outside(requests))}"
    _clean_log(server)


def _settle_rss(pid: int, below: float | None = None, timeout: float = 60.0) -> float:
    """The server's resident memory once it stops falling (or drops below ``below``)."""
    deadline, last = time.monotonic() + timeout, _rss_mib(pid)
    while time.monotonic() < deadline:
        time.sleep(2.5)
        now = _rss_mib(pid)
        if (below is not None and now <= below) or (below is None and now >= last - 1):
            return now
        last = now
    return _rss_mib(pid)


def _classroom(browser, url: str, requests: list[str], first_seed: int) -> None:
    """Eight sessions that press Reset at once, each with its own seed; then they close."""
    sessions = [_open(browser, url, requests) for _ in range(8)]
    for i, (_, page) in enumerate(sessions):
        page.get_by_text("Day 0 of 365 · seed 0").wait_for(timeout=120_000)
        seed = page.get_by_label("Seed (whole number)")
        seed.fill(str(first_seed + i))
        seed.press("Enter")
    for _, page in sessions:  # all at once: each click returns without waiting for the server
        page.get_by_role("button", name="Reset").click(no_wait_after=True)
    for i, (_, page) in enumerate(sessions):  # each session has its own model
        page.get_by_text(f"Day 0 of 365 · seed {first_seed + i}").wait_for(timeout=120_000)
        _settled(_picture(page))
    for context, _ in sessions:
        context.close()


@pytest.mark.timeout(600)
@needs_chromium
def test_a_classroom_of_eight_resets_at_once_and_leaves_no_memory_behind(server, browser):
    """The first class warms the server up (imports, thread pool, allocator heaps); after it
    has gone, memory must come back to that level each time a class leaves: a session that
    kept its model would add its ~15 MiB for good."""
    requests: list[str] = []
    _classroom(browser, server["url"], requests, first_seed=100)
    before = _settle_rss(server["pid"])
    _classroom(browser, server["url"], requests, first_seed=200)
    after = _settle_rss(server["pid"], below=1.1 * before, timeout=90)
    print(f"server memory after the first class: {before:.0f} MiB; after the second: "
          f"{after:.0f} MiB")
    assert after <= 1.1 * before, f"closed sessions kept memory: {before:.0f} → {after:.0f} MiB"
    assert not _outside(requests)
    _clean_log(server)


def test_the_cdn_proxy_fetches_nothing(server):
    for path in ("_solara/cdn/requirejs@2.3.6/require.min.js",
                 "_solara/cdn/left-pad@1.3.0/index.js"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(server["url"] + path, timeout=30)
        assert refused.value.code == 404
    with urllib.request.urlopen(server["url"] + "static/assets/requirejs@2.3.6/require.js",
                                timeout=30) as bundled:
        assert bundled.status == 200  # the page's scripts come from solara-assets, locally
    _clean_log(server)
