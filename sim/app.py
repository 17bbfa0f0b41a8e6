"""Browser app for students: watch a neighbourhood negotiate its parking (Mesa SolaraViz).

Start it with ``python -m sim.app`` and open http://127.0.0.1:8765. The page shows the social
network (households coloured by parking status or by opinion, building leads as diamonds, size by
number of cars), live plots, the meeting log (协商议事会) and controls for the scenario and the
rules. Every browser session gets its own model; the page needs no internet (solara-assets).

The model is the research model itself, built through :func:`sim.config.load_config` exactly as
``python -m sim.run`` builds it; this module only adds a Mesa network space to draw and the page.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import solara
from matplotlib import colormaps, font_manager
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from mesa.discrete_space import Network
from mesa.visualization import SolaraViz, SpaceRenderer
from mesa.visualization.components import AgentPortrayalStyle
from mesa.visualization.space_drawers import NetworkSpaceDrawer
from mesa.visualization.utils import force_update

from sim.agents import BuildingLead, Household
from sim.config import ConfigError, RunConfig, ScenarioConfig, load_config
from sim.model import MEETING_COLUMNS, CommunityModel
from sim.network import to_networkx
from sim.rules import registry
from sim.state import Households

SCENARIOS = ("xiaonanzhuang", "sanhuqiao")
"""The small scenarios a browser can run step by step (the first is the default)."""

PLOTTED = ("car_coverage", "complaints", "support", "fee_payment_rate")
"""Daily measures shown as live plots."""

TEXT = {
    "en": {
        "title": "Shangliang 商量 — negotiating parking",
        "view": "View",
        "colour_by": "Colour households by",
        "parking": "parking",
        "opinion": "opinion",
        "neighbourhood": "Neighbourhood",
        "allocation": "Allocation rule proposed",
        "decision": "Decision rule",
        "lead_share": "Share of stairwells with a lead",
        "supply": "Supply measures (find more spaces)",
        "seed": "Seed (whole number)",
        "seed_error": "{error}; running seed 0 instead.",
        "parked": "all cars parked legally",
        "not_parked": "a car parked illegally",
        "no_car": "no car",
        "against": "against the proposal",
        "undecided": "undecided",
        "for": "for the proposal",
        "lead": "building lead",
        "network_title": "Day {day}: {n} households, {cars} cars, {spaces} usable spaces",
        "day": "day",
        "car_coverage": "Cars parked legally (share)",
        "complaints": "Hotline complaints per day",
        "support": "Support for the proposal",
        "fee_payment_rate": "Fee payment rate",
        "status": "Day {day} · seed {seed} · in force: {rule} · proposed: {proposal}",
        "meetings": "Meeting log",
        "no_meetings": "No deliberation meeting has been held yet.",
        "m_day": "day",
        "m_proposal": "proposal",
        "m_attendance": "attendance",
        "m_yes": "yes share",
        "m_passed": "passed",
    },
    "zh": {
        "title": "商量 —— 停车协商模拟",
        "view": "显示",
        "colour_by": "住户颜色表示",
        "parking": "停车",
        "opinion": "意见",
        "neighbourhood": "社区",
        "allocation": "提案的车位分配规则",
        "decision": "表决规则",
        "lead_share": "有党员楼门长的楼门比例",
        "supply": "增加车位措施",
        "seed": "随机种子（整数）",
        "seed_error": "随机种子无效（{error}），改用随机种子0。",
        "parked": "车辆全部合法停放",
        "not_parked": "有车辆违规停放",
        "no_car": "无车",
        "against": "反对提案",
        "undecided": "未定",
        "for": "支持提案",
        "lead": "党员楼门长",
        "network_title": "第{day}天：{n}户，{cars}辆车，{spaces}个可用车位",
        "day": "天",
        "car_coverage": "合法停放车辆比例",
        "complaints": "每日12345诉求",
        "support": "提案支持度",
        "fee_payment_rate": "物业费缴费率",
        "status": "第{day}天 · 随机种子{seed} · 现行规则：{rule} · 提案：{proposal}",
        "meetings": "议事会记录",
        "no_meetings": "尚未召开协商议事会。",
        "m_day": "天",
        "m_proposal": "提案",
        "m_attendance": "参会率",
        "m_yes": "赞成比例",
        "m_passed": "通过",
    },
}
"""Every label the page shows, in English and Chinese (Mesa's own buttons stay English)."""

language = solara.reactive("en")
colour_by = solara.reactive("parking")
# Solara keeps a module-level reactive variable per browser session (virtual kernel), so one
# student's language or colour choice does not change another's page.

PARKING_COLOURS = {"parked": "#2a9d8f", "not_parked": "#e4572e", "no_car": "#b8b8b8"}
OPINION_COLOURS = [to_hex(c) for c in colormaps["RdYlGn"](np.linspace(0.0, 1.0, 101))]
"""Opinion 0 (against) … 1 (for) in steps of 0.01."""
CAR_SIZES = (14.0, 34.0, 70.0)
"""Marker area for households with 0, 1 and 2+ cars."""

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP")
"""Fonts for Chinese labels in the figures (Debian's fonts-noto-cjk), first found wins."""


def use_cjk_fallback() -> None:
    """Let matplotlib draw Chinese: Latin text in DejaVu Sans, the rest in a CJK font."""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    matplotlib.rcParams["font.family"] = [
        "DejaVu Sans", *[name for name in CJK_FONTS if name in installed][:1]
    ]


use_cjk_fallback()


def default_choices() -> dict:
    """Where ``python -m sim.run`` starts: the default allocation rule, the default decision
    rule and whether supply measures are on (``None`` for a group the config does not have)."""
    config = load_config()
    decision, supply = getattr(config, "decision", None), getattr(config, "supply", None)
    return {
        "allocation": config.allocation.name,
        "decision": None if decision is None else decision.name,
        "supply": None if supply is None else bool(supply),
    }


def overrides(
    neighbourhood: str, allocation: str | None, decision: str | None, lead_share: float,
    seed: int | str, supply: list[str] | None = None,
) -> list[str]:
    """Hydra overrides for the page's choices; ``None`` keeps the config default.

    Raises:
        ConfigError: if the seed is not a whole number (the seed box sends text).
    """
    try:
        seed = int(str(seed).strip())
    except ValueError:
        raise ConfigError("seed", seed, "must be a whole number, e.g. 7") from None
    chosen = [f"scenario={neighbourhood}", f"scenario.lead_share={lead_share:.4g}", f"seed={seed}"]
    if allocation is not None:
        chosen.append(f"allocation={allocation}")
    if decision is not None:
        chosen.append(f"decision={decision}")
    if supply is not None:
        chosen.append(f"supply=[{','.join(supply)}]")
    return chosen


def supply_measures(scenario: ScenarioConfig) -> list[str]:
    """The registered supply measures that act in this neighbourhood: those working on the
    cars (clearing zombie cars) and those the scenario gives spaces or an area to work with."""
    return [name for name, measure in registry.all_groups().get("supply", {}).items()
            if not measure.count_key or getattr(scenario.supply, measure.count_key) > 0]


def page_config(
    neighbourhood: str, allocation: str | None, decision: str | None, lead_share: float,
    supply: bool | None, seed: int | str,
) -> tuple[RunConfig, ConfigError | None]:
    """The run config for the page's choices, and why the seed was refused (else None).

    A refused seed (not a whole number, or negative) is replaced by 0: SolaraViz does not catch
    errors raised while it rebuilds the model, and a typo must not take the page down. Supply
    measures on means every measure that acts in the neighbourhood (:func:`supply_measures`).
    """
    chosen = (neighbourhood, allocation, decision, lead_share)
    try:
        config, refused = load_config(overrides(*chosen, seed)), None
    except ConfigError as error:
        if error.key != "seed":
            raise
        config, refused = load_config(overrides(*chosen, 0)), error
    if supply is not None:
        measures = supply_measures(config.scenario) if supply else []
        config = load_config(overrides(*chosen, config.seed, measures))
    return config, refused


RING_RADIUS, BUILDING_GAP, ROW_HEIGHT = 0.38, 0.6, 1.6
"""Estate picture geometry, in units of the distance between neighbouring stairwells."""


def estate_layout(households: Households) -> dict[int, np.ndarray]:
    """Node positions that look like the estate: buildings on a grid, each stairwell (楼门) a
    ring of its households around its lead.

    A pure function of the household table, computed once per model: the same scenario and
    seed always give the same picture, and a force layout (3 s at 829 households) is avoided.
    """
    building, stairwell, lead = households.building, households.stairwell, households.lead
    start = np.searchsorted(stairwell, stairwell, side="left")
    size = np.searchsorted(stairwell, stairwell, side="right") - start
    local = stairwell - stairwell[np.searchsorted(building, building)]  # stairwell in building
    width = int(local.max()) + 1 + BUILDING_GAP
    # Leads sit in the middle; the other members share the ring in row order.
    leads_before = np.cumsum(lead) - lead
    slot = np.arange(len(households)) - start - (leads_before - leads_before[start])
    on_ring = size - np.bincount(stairwell, weights=lead)[stairwell]
    angle = 2.0 * np.pi * slot / np.maximum(on_ring, 1)
    radius = np.where(lead, 0.0, RING_RADIUS)
    # Columns for a picture about 4:3 wide: columns × width ≈ 4/3 × rows × row height.
    buildings = int(building.max()) + 1
    columns = max(1, math.ceil(math.sqrt(4 / 3 * buildings * ROW_HEIGHT / width)))
    x = (building % columns) * width + local + radius * np.cos(angle)
    y = -(building // columns) * ROW_HEIGHT + radius * np.sin(angle)
    return dict(enumerate(np.column_stack([x, y])))


class AppModel(CommunityModel):
    """The community model built from the page's controls, with a Mesa network space to draw.

    SolaraViz rebuilds the model on Reset by calling this class with the controls' values as
    keyword arguments; they become Hydra overrides, so the page runs exactly the configs the
    command line runs.

    Args:
        neighbourhood: a scenario config name (``configs/scenario/``); not called
            ``scenario``, which Mesa 3.5 reserves for its own scenario objects.
        allocation: the run's allocation rule (``allocation=``); ``None``: config default.
        decision: the decision rule of meetings; ``None`` keeps the config default.
        lead_share: share of stairwells that have a party-member lead (党员楼门长).
        supply: supply measures on or off; ``None`` keeps the config default.
        seed: the run seed; text from the seed box is converted.

    Attributes:
        seed_error: why the typed seed was refused (the model then runs seed 0), else None.
    """

    def __init__(
        self, neighbourhood: str = SCENARIOS[0], allocation: str | None = None,
        decision: str | None = None, lead_share: float = 0.5, supply: bool | None = None,
        seed: int | str = 0,
    ):
        config, self.seed_error = page_config(
            neighbourhood, allocation, decision, lead_share, supply, seed
        )
        super().__init__(config)
        # layout=None: Mesa would otherwise run an unseeded spring layout on every build.
        self.grid = Network(
            to_networkx(self.adjacency), capacity=1, random=self.random, layout=None
        )
        for agent in self.agents:
            if isinstance(agent, Household):
                agent.cell = self.grid[agent.row]
                agent.cell.add_agent(agent)
        self.layout = estate_layout(self.households)


def portray(agent: Household) -> AgentPortrayalStyle:
    """A household's marker: colour by parking or opinion, size by cars, leads as diamonds."""
    if colour_by.value == "opinion":
        colour = OPINION_COLOURS[round(agent.opinion * 100)]
    elif agent.cars == 0:
        colour = PARKING_COLOURS["no_car"]
    else:
        colour = PARKING_COLOURS["parked" if agent.parked else "not_parked"]
    lead = isinstance(agent, BuildingLead)
    return AgentPortrayalStyle(
        color=colour, size=CAR_SIZES[min(agent.cars, 2)] * (1.6 if lead else 1.0),
        marker="D" if lead else "o", zorder=3 if lead else 2, alpha=0.95,
        edgecolors="black" if lead else "white", linewidths=0.9 if lead else 0.3,
    )


class NetworkView(SpaceRenderer):
    """The social network drawn with matplotlib over the model's fixed estate layout.

    Styling is set here, in the constructor, because SolaraViz's Reset rebuilds the renderer
    with ``type(renderer)(model=..., backend=...)`` and drops what was set on the old one.
    """

    def __init__(self, model: AppModel, backend: str = "matplotlib"):
        self.model = model  # read by _get_space_drawer, which the base constructor calls
        super().__init__(model, backend=backend)
        self.setup_structure(
            node_kwargs={"node_size": 0},
            edge_kwargs={"alpha": 0.25, "width": 0.4, "style": "-", "edge_color": "#8a8a8a"},
        )
        self.setup_agents(portray)
        self.render()
        self.canvas.set_aspect("equal")  # stairwells stay round
        self.canvas.figure.set_size_inches(7.5, 5.0)

    def _get_space_drawer(self) -> NetworkSpaceDrawer:
        """Draw on the model's layout, computed once per model, never per frame."""
        return NetworkSpaceDrawer(
            self.space, layout_alg=lambda graph: self.model.layout, layout_kwargs={}
        )

    def draw_agents(self, *args, **kwargs):
        """Draw the households, then a legend and a title in the page's language."""
        ax = super().draw_agents(*args, **kwargs)
        text, model = TEXT[language.value], self.model
        if colour_by.value == "opinion":
            keys = (("for", OPINION_COLOURS[-1]), ("undecided", OPINION_COLOURS[50]),
                    ("against", OPINION_COLOURS[0]))
        else:
            keys = tuple(PARKING_COLOURS.items())
        handles = [Line2D([], [], marker="o", linestyle="", color=colour, label=text[key])
                   for key, colour in keys]
        handles.append(Line2D([], [], marker="D", linestyle="", color="white",
                              markeredgecolor="black", label=text["lead"]))
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=4,
                  fontsize=7, frameon=False)
        ax.set_title(text["network_title"].format(
            day=model.day, n=len(model.households), cars=int(model.households.cars.sum()),
            spaces=model.today["usable_spaces"]), fontsize=9)
        return ax


def rule_label(name: str) -> str:
    """Rule names in the page's language: in ``name`` (a rule, or a package summary such as
    ``one_car_owner_first/permanent+restripe``) each registered rule name becomes its Chinese
    name in Chinese, and words with spaces in English."""
    chinese = {rule_name: rule.zh for rules in registry.all_groups().values()
               for rule_name, rule in rules.items() if rule.zh}

    def translate(match: re.Match) -> str:
        word = match.group()
        if language.value == "zh" and word in chinese:
            return chinese[word]
        return word.replace("_", " ")

    return re.sub(r"[a-z][a-z0-9_]*", translate, name)


def Plots(model: AppModel):
    """Live plots of the daily measures in :data:`PLOTTED`."""
    text = TEXT[language.value]
    figure = Figure(figsize=(6.4, 4.4), layout="constrained")
    axes = figure.subplots(2, 2, sharex=True)
    for ax, name in zip(axes.flat, PLOTTED, strict=True):
        values = model.datacollector.model_vars.get(name, [])
        ax.plot(np.arange(1, len(values) + 1), values, color="#1d4e89", linewidth=1.4)
        ax.set_xlim(0, max(10, len(values)))
        ax.set_title(text[name], fontsize=9)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
        if name != "complaints":
            ax.set_ylim(-0.02, 1.02)
    for ax in axes[1]:
        ax.set_xlabel(text["day"], fontsize=8)
    return solara.FigureMatplotlib(figure, format="png")


def meeting_table(meetings: list[dict], text: dict) -> pd.DataFrame:
    """The meeting log as shown, newest first: day, proposal, attendance, yes share, passed."""
    log = pd.DataFrame(meetings, columns=MEETING_COLUMNS).iloc[::-1]
    return pd.DataFrame({
        text["m_day"]: log["day"],
        text["m_proposal"]: log["proposal"].map(rule_label),
        text["m_attendance"]: log["attendance_heads"].map("{:.0%}".format),
        text["m_yes"]: log["yes_heads"].map("{:.0%}".format),
        text["m_passed"]: log["passed"].map({True: "✓", False: "✗"}),
    })


def MeetingLog(model: AppModel):
    """What is in force and proposed, and one row per deliberation meeting (协商议事会)."""
    text = TEXT[language.value]
    with solara.Column() as column:
        if model.seed_error is not None:
            solara.Error(text["seed_error"].format(error=model.seed_error))
        # Plain text, not Markdown: solara's Markdown pulls KaTeX from a CDN.
        solara.Text(text["status"].format(
            day=model.day, seed=model.config.seed,
            rule=rule_label(model.rule.name), proposal=rule_label(model.config.allocation.name),
        ))
        solara.Text(text["meetings"], style={"font-weight": "bold"})
        if model.meetings:
            table = meeting_table(model.meetings, text)
            solara.HTML(tag="div", style="font-size: 13px", unsafe_innerHTML=table.to_html(
                index=False, border=0, justify="left"))
        else:
            solara.Text(text["no_meetings"])
    return column


def model_params(text: dict, defaults: dict) -> dict:
    """The SolaraViz controls. Rule lists come from the registry; a control whose group has
    no registered rule yet (decision, supply) is left out."""
    params = {
        "neighbourhood": {"type": "Select", "value": SCENARIOS[0], "values": list(SCENARIOS),
                          "label": text["neighbourhood"]},
        "allocation": {"type": "Select", "value": defaults["allocation"],
                       "values": registry.names("allocation"), "label": text["allocation"]},
        "lead_share": {"type": "SliderFloat", "value": 0.5, "min": 0.0, "max": 1.0,
                       "step": 0.05, "label": text["lead_share"]},
        "seed": {"type": "InputText", "value": "0", "label": text["seed"]},
    }
    if defaults["decision"] is not None and registry.names("decision"):
        params["decision"] = {"type": "Select", "value": defaults["decision"],
                              "values": registry.names("decision"), "label": text["decision"]}
    if defaults["supply"] is not None and registry.names("supply"):
        params["supply"] = {"type": "Checkbox", "value": defaults["supply"],
                            "label": text["supply"]}
    return params


@solara.component
def ViewOptions():
    """Language and colouring switches (they only change the drawing, not the model)."""
    text = TEXT[language.value]

    # The network picture is redrawn only when Mesa's update counter moves: move it.
    def choose_colour(value: str) -> None:
        colour_by.set(value)
        force_update()

    def choose_language(value: str) -> None:
        language.set(value)
        force_update()

    with solara.Card(text["view"]), solara.Column(gap="6px"):
        with solara.ToggleButtonsSingle(value=language.value, on_value=choose_language):
            solara.Button("English", value="en")
            solara.Button("中文", value="zh")
        solara.Text(text["colour_by"])
        with solara.ToggleButtonsSingle(value=colour_by.value, on_value=choose_colour):
            solara.Button(text["parking"], value="parking")
            solara.Button(text["opinion"], value="opinion")


def initial_arguments(defaults: dict) -> dict:
    """The first model's arguments: the controls' starting values."""
    params = model_params(TEXT["en"], defaults)
    return {name: spec["value"] for name, spec in params.items()}


@solara.component
def Page():
    """One page per browser session, each with its own model (built here, not at import)."""
    text = TEXT[language.value]
    defaults = solara.use_memo(default_choices, [])
    model = solara.use_memo(lambda: AppModel(**initial_arguments(defaults)), [])
    renderer = solara.use_memo(lambda: NetworkView(model), [model])
    with solara.Sidebar():
        ViewOptions()
    SolaraViz(
        model, renderer, components=[(Plots, 0), (MeetingLog, 0)],
        model_params=model_params(text, defaults), name=text["title"],
    )


def main(argv: list[str] | None = None) -> None:
    """``python -m sim.app``: serve the page on 127.0.0.1 (``--host`` to open it to others)."""
    parser = argparse.ArgumentParser(prog="python -m sim.app", description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this computer only; "
                             "0.0.0.0 lets others on the network in)")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    args = parser.parse_args(argv)
    # --production: no file watching and no call home (solara.dev check page); the version
    # check and the usage statistics are off too, so the server makes no outside request.
    command = [sys.executable, "-m", "solara", "run", str(Path(__file__).resolve()),
               "--host", args.host, "--port", str(args.port), "--no-open", "--no-check-version",
               "--production"]
    environment = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    os.execve(sys.executable, command, environment)  # the server keeps this process's id


# `solara run` executes this file as "__main__" too: launch only when no server is running it.
if __name__ == "__main__" and "solara.server.app" not in sys.modules:
    main()
