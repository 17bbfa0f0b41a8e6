"""The students' page (Solara): controls, the estate's picture and plots, the meeting log, an
About tab and the model description, in English or Chinese.

Every browser session has its own model, pictures and choices (component state, nothing at
module level but constant text). Served by ``python -m sim.app`` (:mod:`sim.app.__main__`).
"""

from __future__ import annotations

import threading
import time
from functools import cache
from pathlib import Path

import markdown
import matplotlib
import pandas as pd
import solara
import solara.lab

from sim.model import MEETING_COLUMNS
from sim.rules import registry
from sim.views.app import memory
from sim.views.app.model import SCENARIOS, AppModel, Choices, scenario_lead_share
from sim.views.app.picture import NetworkPicture
from sim.views.app.plots import PLOTTED, LivePlots
from sim.views.app.space_picture import SpacePicture
from sim.views.app.text import ABOUT, TEXT
from sim.views.figures.fonts import cjk_family, families, resolve_language
from sim.views.figures.labels import rule_name, scenario_name

MODEL_DESCRIPTION = Path(__file__).resolve().parents[3] / "docs" / "model.md"
PLAY_PAUSE = 0.1
"""Seconds between pictures while playing (lets the browser keep up)."""
DRAW_WAIT = 10.0
"""Longest wait, in seconds, for the page to draw a day before playing on regardless."""
TABS = ("tab_estate", "tab_meetings", "tab_about", "tab_model")

matplotlib.rcParams["font.family"] = families(cjk_family())  # the server draws only this page
solara.lab.on_kernel_start(memory.after_close)


@cache
def model_description() -> str | None:
    """docs/model.md as HTML (None when the docs are not installed)."""
    if not MODEL_DESCRIPTION.is_file():
        return None
    return markdown.markdown(MODEL_DESCRIPTION.read_text(encoding="utf-8"),
                             extensions=["tables"])


def rules_text(names: dict, lang: str) -> str:
    """A package's rules in plain words: allocation, tenure, pricing, revenue, measures."""
    parts = [rule_name(names[g], lang) for g in ("allocation", "tenure", "pricing", "revenue")]
    parts += [rule_name(measure, lang) for measure in names.get("supply", [])]
    return ("、" if lang == "zh" else "; ").join(parts)


def meeting_table(meetings: list[dict], lang: str) -> pd.DataFrame:
    """The meeting log as shown, newest first."""
    text = TEXT[lang]
    log = pd.DataFrame(meetings, columns=MEETING_COLUMNS).iloc[::-1]
    return pd.DataFrame({
        text["m_day"]: log["day"], text["m_round"]: log["round"],
        text["m_proposal"]: log["proposal"].map(lambda p: proposal_label(p, lang)),
        text["m_attendance"]: log["attendance_heads"].map("{:.0%}".format),
        text["m_yes"]: log["yes_heads"].map("{:.0%}".format),
        text["m_passed"]: log["passed"].map({True: "✓", False: "✗"}),
    })


def proposal_label(summary: str, lang: str) -> str:
    """A proposal as the meeting log records it (``rule/rule+measure…``) in plain words."""
    parts = summary.replace("/", "+").split("+")
    return " + ".join(rule_name(part, lang) for part in parts)


@solara.component
def LabelledSelect(label: str, items: dict, value, on_value):
    """A drop-down whose entries show plain names (``items``: value → label)."""
    solara.v.Select(label=label, items=[{"text": text, "value": key} for key, text in
                                        items.items()],
                    v_model=value, on_v_model=on_value, dense=True)


@solara.component
def Controls(choices: solara.Reactive, lang: str, on_reset):
    """The choices that build a model; they take effect on Reset."""
    text, current = TEXT[lang], choices.value

    def update(**changes):
        choices.set(Choices(**{**current.__dict__, **changes}))

    def choose_neighbourhood(name: str):
        update(neighbourhood=name, lead_share=scenario_lead_share(name))

    LabelledSelect(text["neighbourhood"], {s: scenario_name(s, lang) for s in SCENARIOS},
                   current.neighbourhood, choose_neighbourhood)
    LabelledSelect(text["allocation"], {n: rule_name(n, lang)
                                        for n in registry.names("allocation")},
                   current.allocation, lambda v: update(allocation=v))
    LabelledSelect(text["decision"], {n: rule_name(n, lang) for n in registry.names("decision")},
                   current.decision, lambda v: update(decision=v))
    share = current.lead_share if current.lead_share is not None else scenario_lead_share(
        current.neighbourhood)
    solara.SliderFloat(text["lead_share"].format(value=share), value=share, min=0.0, max=1.0,
                       step=0.05, on_value=lambda v: update(lead_share=v))
    solara.Checkbox(label=text["supply"], value=bool(current.supply),
                    on_value=lambda v: update(supply=v))
    solara.InputText(text["seed"], value=str(current.seed), continuous_update=False,
                     on_value=lambda v: update(seed=v))
    solara.Button(text["reset"], color="primary", on_click=on_reset, block=True)


@solara.component
def Runner(model: AppModel, day: solara.Reactive, lang: str):
    """Step, play and pause; the days per picture.

    Playing runs in a thread that changes the page's state once per picture. It waits until
    the page has drawn a day (an effect that runs after each render) before it steps on: on a
    busy server a picture can take longer than the pause between days, and a thread that kept
    changing the day would keep the page re-rendering without ever sending it to the browser.
    Pause first tells the thread to stop (an event it checks before each change), so that the
    page never re-renders while the thread keeps changing it.
    """
    text = TEXT[lang]
    playing = solara.use_reactive(False)
    interval = solara.use_reactive(1)
    stop = solara.use_memo(threading.Event, [model])
    drawn = solara.use_memo(threading.Event, [model])
    solara.use_effect(drawn.set, [day.value])
    days = model.config.days

    def advance(count: int, halted=lambda: False) -> None:
        for _ in range(min(count, days - model.day)):
            model.step()
        if not halted():
            day.set(model.day)

    def play(cancel: threading.Event) -> None:
        def halted() -> bool:  # paused, or the page moved on to another model
            return stop.is_set() or cancel.is_set()

        while playing.value and not halted() and model.day < days:
            drawn.clear()
            advance(interval.value, halted)
            drawn.wait(DRAW_WAIT)
            time.sleep(PLAY_PAUSE)
        if not halted():
            playing.set(False)

    def toggle() -> None:
        if playing.value:
            stop.set()
        else:
            stop.clear()
        playing.set(not playing.value)

    solara.use_thread(play, dependencies=[playing.value, model], intrusive_cancel=False)
    solara.Text(text["day_counter"].format(day=day.value, days=days, seed=model.config.seed),
                style={"font-weight": "bold"})
    with solara.Row():
        solara.Button(text["step"], on_click=lambda: advance(1),
                      disabled=playing.value or model.day >= days)
        solara.Button(text["pause"] if playing.value else text["play"], on_click=toggle,
                      disabled=model.day >= days and not playing.value)
    solara.SliderInt(text["interval"].format(value=interval.value), value=interval, min=1,
                     max=30)


@solara.component
def Status(model: AppModel, day: int, lang: str):
    """The rules in force, the proposal, the property firms and a refused seed, if any (``day``
    makes it follow the model)."""
    text = TEXT[lang]
    if model.seed_error is not None:
        solara.Error(text["seed_error"].format(error=model.seed_error))
    adopted = model.deliberation.adopted_day is not None
    in_force = (rules_text(model.committee.rules.names(), lang) if adopted
                else text["status_quo_in_force"])
    solara.Text(text["in_force"].format(rules=in_force))
    solara.Text(text["proposed"].format(rules=rules_text(model.package.names(), lang),
                                        decision=rule_name(model.deliberation.rule.name, lang)))
    present, areas = model.management.present(), model.management.areas
    solara.Text(text["firms"].format(present=present, areas=areas))
    if present < areas:
        solara.Warning(text["firm_left"].format(missing=areas - present))


@solara.component
def Estate(model: AppModel, day: int, colour_by: str, lang: str):
    """The network picture (for a shared space, its week) and the live plots of the current
    day (labelled in English when no font on the server prints Chinese)."""
    lang = resolve_language(lang)[0]
    space = model.config.shared_space is not None
    picture = solara.use_memo(lambda: SpacePicture(model) if space else NetworkPicture(model),
                              [model])
    plots = solara.use_memo(lambda: LivePlots(model.config.days), [model])
    network = solara.use_memo(
        lambda: picture.draw(model, lang) if space else picture.draw(model, colour_by, lang),
        [model, day, colour_by, lang])
    series = solara.use_memo(
        lambda: plots.draw({name: model.datacollector.model_vars.get(name, [])
                            for name in PLOTTED}, lang), [model, day, lang])
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start"}):
        solara.Image(network, format="png", classes=["estate-picture"])
        solara.Image(series, format="png", classes=["estate-plots"])


@solara.component
def Meetings(model: AppModel, day: int, lang: str):
    """One row per deliberation meeting (协商议事会), newest first (``day`` makes it follow the
    model)."""
    text = TEXT[lang]
    if model.deliberation.rule.name == "committee_decides":
        solara.Text(text["committee_note"])
    if model.meetings:
        table = meeting_table(model.meetings, lang)
        solara.HTML(tag="div", style="font-size: 13px", unsafe_innerHTML=table.to_html(
            index=False, border=0, justify="left"))
    else:
        solara.Text(text["no_meetings"])


@solara.component
def About(lang: str, open_model):
    """The story, the controls, how to read the picture, and the way to the model description."""
    solara.HTML(tag="div", unsafe_innerHTML=ABOUT[lang], style="max-width: 60em")
    solara.Button(TEXT[lang]["read_model"], on_click=open_model, outlined=True)


@solara.component
def ModelDescription(lang: str):
    """The ODD model description (docs/model.md), rendered on the server."""
    html = model_description()
    if html is None:
        solara.Text(TEXT[lang]["model_missing"])
    else:
        solara.HTML(tag="div", unsafe_innerHTML=html, style="max-width: 60em")


@solara.component
def Page():
    """One page per browser session, each with its own model (built here, not at import)."""
    lang = solara.use_reactive("en")
    colour_by = solara.use_reactive("parking")
    choices = solara.use_reactive(Choices())
    first = solara.use_memo(lambda: AppModel(Choices()), [])
    built = solara.use_reactive(None)
    model = built.value or first
    day = solara.use_reactive(0)
    tab = solara.use_reactive(0)
    text = TEXT[lang.value]

    def reset() -> None:
        built.set(AppModel(choices.value))
        day.set(0)

    solara.Title(text["title"])
    with solara.Sidebar():
        with solara.Card(text["language"]), solara.ToggleButtonsSingle(value=lang):
            solara.Button("English", value="en")
            solara.Button("中文", value="zh")
        with solara.Card():
            Runner(model, day, lang.value)
        with solara.Card():
            Controls(choices, lang.value, reset)
        with solara.Card(text["view"]), solara.ToggleButtonsSingle(value=colour_by):
            solara.Button(text["parking"], value="parking")
            solara.Button(text["opinion"], value="opinion")
    with solara.lab.Tabs(value=tab):
        with solara.lab.Tab(text["tab_estate"]):
            Status(model, day.value, lang.value)
            Estate(model, day.value, colour_by.value, lang.value)
        with solara.lab.Tab(text["tab_meetings"]):
            Meetings(model, day.value, lang.value)
        with solara.lab.Tab(text["tab_about"]):
            About(lang.value, lambda: tab.set(TABS.index("tab_model")))
        with solara.lab.Tab(text["tab_model"]):
            ModelDescription(lang.value)
