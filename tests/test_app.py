"""The student app (sim/app.py): its pieces without a browser, then the page in a real browser.

The browser test starts ``python -m sim.app`` on a free loopback port and drives Debian's
chromium with Playwright: step, switch rule and seed, reset, switch language, open a second
session, and check that no request left 127.0.0.1.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
from PIL import Image

from sim.app import TEXT, AppModel, meeting_table, model_params, overrides, supply_measures
from sim.config import ConfigError
from sim.model import MEETING_COLUMNS
from sim.rules import registry

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
NO_GROUPS = {"allocation": "status_quo", "decision": None, "supply": None}


# -- without a browser -----------------------------------------------------------------------------


def test_seed_text_becomes_an_integer_override():
    chosen = overrides("sanhuqiao", "lottery", None, 0.25, " 7 ")
    assert chosen == ["scenario=sanhuqiao", "scenario.lead_share=0.25", "seed=7",
                      "allocation=lottery"]


def test_a_seed_that_is_not_a_number_is_named_in_the_error():
    with pytest.raises(ConfigError, match="seed = 'seven': must be a whole number"):
        overrides("sanhuqiao", None, None, 0.5, "seven")


def test_a_refused_seed_is_reported_and_the_page_keeps_running():
    model = AppModel(neighbourhood="sanhuqiao", seed="-3")
    assert model.config.seed == 0
    assert model.seed_error.key == "seed" and "-3" in str(model.seed_error)


def test_supply_switch_turns_on_the_measures_that_act_in_the_neighbourhood():
    if not registry.names("supply"):
        pytest.skip("no supply measure is registered yet")
    on = AppModel(neighbourhood="sanhuqiao", supply=True).config
    assert set(on.supply) == set(supply_measures(on.scenario))
    assert {"restripe", "offpeak_sharing", "roadside_permits"} <= set(on.supply)
    assert "remove_illegal_construction" not in on.supply  # sanhuqiao has none to remove
    assert not AppModel(neighbourhood="sanhuqiao", supply=False).config.supply


def test_controls_of_groups_the_config_lacks_are_left_out():
    params = model_params(TEXT["en"], NO_GROUPS)
    assert "decision" not in params and "supply" not in params
    assert "status_quo" in params["allocation"]["values"]


def test_meeting_log_shows_newest_first_in_the_chosen_language():
    row = dict.fromkeys(MEETING_COLUMNS, 0)
    meetings = [{**row, "day": 30, "proposal": "one_car_owner_first", "attendance_heads": 0.5,
                 "yes_heads": 0.4, "passed": False},
                {**row, "day": 60, "proposal": "one_car_owner_first", "attendance_heads": 0.75,
                 "yes_heads": 0.7, "passed": True}]
    table = meeting_table(meetings, TEXT["en"])
    assert table.values.tolist() == [[60, "one car owner first", "75%", "70%", "✓"],
                                     [30, "one car owner first", "50%", "40%", "✗"]]


def test_every_household_sits_on_its_own_node_and_place():
    model = AppModel(neighbourhood="sanhuqiao", seed="3")
    n = len(model.households)
    assert [len(model.grid[row].agents) for row in range(n)] == [1] * n
    assert all(model.grid[row].agents[0].row == row for row in range(n))
    places = np.round(np.array([model.layout[row] for row in range(n)]), 6)
    assert len(np.unique(places, axis=0)) == n
    assert model.config.seed == 3


# -- in a browser ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``python -m sim.app`` on a free loopback port; stopped by its process id afterwards."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "sim.app", "--port", str(port)],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
        )
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
    yield url, log_path
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()


def _network(page):
    """The network picture (the first figure on the page)."""
    return page.locator("img.widget-image").nth(0)


def _plots(page):
    return page.locator("img.widget-image").nth(1)


def _settled(image, quiet: float = 1.0, timeout: float = 20.0) -> str:
    """Wait until the picture is loaded and its source has not changed for ``quiet`` seconds
    (right after Reset, SolaraViz may show one frame of the old model), and return it."""
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


def _redrawn(page, old: str) -> None:
    """Wait until the network picture is no longer ``old``."""
    page.wait_for_function(
        "old => { const img = document.querySelectorAll('img.widget-image')[0];"
        " return img !== undefined && img.src !== old; }", arg=old,
        timeout=10_000,
    )


def _step(page, expected_time: float) -> float:
    """Press Step; return the seconds until the network picture was redrawn."""
    old = _network(page).get_attribute("src")
    started = time.perf_counter()
    page.get_by_role("button", name="Step").click()
    _redrawn(page, old)
    redraw = time.perf_counter() - started
    page.get_by_text(f"Time: {expected_time}").wait_for(timeout=10_000)
    return redraw


def _choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the drop-down labelled ``label``."""
    page.locator(".v-select", has_text=label).locator(".v-input__slot").click()
    page.locator(".menuable__content__active .v-list-item", has_text=option).click()


def _not_blank(png: bytes) -> None:
    """A rendered page has many colours; a blank or error page has a handful."""
    colours = Image.open(io.BytesIO(png)).convert("RGB").getcolors(maxcolors=1_000_000)
    assert len(colours) > 200, f"the page looks blank ({len(colours)} colours)"


@pytest.mark.timeout(240)
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                    "(apt-get install chromium; .ci/run installs it)")
def test_page_steps_switches_resets_and_keeps_sessions_apart(server, tmp_path):
    from playwright.sync_api import sync_playwright

    url, server_log = server
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        first = browser.new_context(viewport={"width": 1400, "height": 1000})
        first.on("request", lambda request: requests.append(request.url))
        page = first.new_page()
        page.goto(url)
        page.get_by_text("Time: 0.0").wait_for(timeout=60_000)
        _settled(_network(page))
        _settled(_plots(page))
        page.screenshot(path=tmp_path / "start.png")
        _not_blank((tmp_path / "start.png").read_bytes())
        plots_before = _plots(page).screenshot()

        redraws = [_step(page, day) for day in (1.0, 2.0, 3.0)]
        page.get_by_text("Day 3 · seed 0 ·").wait_for()
        _settled(_plots(page))
        assert _plots(page).screenshot() != plots_before, "the plots did not change"
        assert max(redraws) < 3.0, f"redraws took {redraws} s"
        print(f"redraw per step at 829 households: {', '.join(f'{r:.2f}' for r in redraws)} s")
        page.screenshot(path=tmp_path / "stepped.png")

        network_before = _settled(_network(page))
        page.get_by_role("button", name="Opinion").click()
        _redrawn(page, network_before)  # the colours switched

        _choose(page, "Allocation rule proposed", "one_car_owner_first")
        seed = page.get_by_label("Seed (whole number)")
        seed.fill("7")
        seed.press("Enter")
        page.get_by_role("button", name="Reset").click()
        page.get_by_text("Time: 0.0").wait_for()
        page.get_by_text("Day 0 · seed 7 ·").wait_for()
        page.get_by_text("proposed: one car owner first").wait_for()
        network_before = _settled(_network(page))

        page.get_by_role("button", name="中文").click()
        page.get_by_text("第0天 · 随机种子7").wait_for()
        page.get_by_text("提案：一户一车+购房优先").wait_for()
        page.get_by_text("提案的车位分配规则").wait_for()
        _redrawn(page, network_before)  # its legend and title in Chinese
        _settled(_network(page))
        page.screenshot(path=tmp_path / "reset_zh.png")
        _not_blank((tmp_path / "reset_zh.png").read_bytes())

        second = browser.new_context(viewport={"width": 1400, "height": 1000})
        second.on("request", lambda request: requests.append(request.url))
        other = second.new_page()
        other.goto(url)
        other.get_by_text("Day 0 · seed 0 ·").wait_for(timeout=60_000)
        _settled(_network(other))  # the page may show its text before its picture
        _step(other, 1.0)
        other.screenshot(path=tmp_path / "second_session.png")
        page.get_by_text("第0天 · 随机种子7").wait_for()
        assert page.get_by_text("Time: 0.0").is_visible(), "a step in one session moved another"
        browser.close()

    outside = {url for url in requests
               if urlsplit(url).scheme not in ("data", "blob")
               and urlsplit(url).hostname != "127.0.0.1"}
    assert not outside, f"requests left 127.0.0.1: {sorted(outside)}"
    log = server_log.read_text(errors="replace")
    assert "Could not load URL" not in log, "the server fetched assets from the internet"
    assert "Traceback" not in log, f"the server raised:\n{log}"
