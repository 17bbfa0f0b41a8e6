"""The brief's rendering: its figures, the words and numbers the template shows (in English or
Chinese), the HTML from a Jinja2 template and the PDF from WeasyPrint, in the fonts the figures
use (:mod:`sim.views.figures.fonts`)."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import jinja2
import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from sim.output import write_atomic, write_text
from sim.views.brief import content
from sim.views.brief.findings import findings
from sim.views.brief.words import FINDINGS, WORDS
from sim.views.figures import arms, draw, prepare
from sim.views.figures.fonts import LATIN, cjk_family, families
from sim.views.figures.labels import DAILY, TEXT, rule_name, scenario_name, setting, word

TEMPLATES = Path(__file__).resolve().parent / "templates"
LATIN_FACES = {"normal": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
"""matplotlib's own DejaVu Sans files: the brief's Latin text is set in the figures' font."""


def svg_source(figure: Figure) -> str:
    """A figure as an SVG data URI (the HTML file stays self-contained)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def brief_figures(runs: pd.DataFrame, series: pd.DataFrame, lang: str, names: dict) -> list:
    """The brief's two figures: the trade-off over every arm, and coverage over time."""
    w = WORDS[lang]
    points = prepare.tradeoff_points(runs, *prepare.TRADEOFF)
    out = [{"src": svg_source(draw.tradeoff_figure(points, lang, names)),
            "caption": w["figure_tradeoff"]}]
    bands = prepare.trajectory_bands(series, runs, ["household_coverage"], content.LEVEL)
    table = prepare.outcome_intervals(runs, ["final_household_coverage"], content.LEVEL)
    figure = draw.trajectory_figure(bands, DAILY["household_coverage"], lang, names,
                                    word(TEXT, "band", lang).format(level=content.LEVEL),
                                    prepare.highlighted(table, "up"))
    out.append({"src": svg_source(figure), "caption": w["figure_trajectory"]})
    return out


def context(sweep: Path, runs: pd.DataFrame, series: pd.DataFrame, lang: str,
            cjk: str | None) -> dict:
    """Everything the template shows, worded in ``lang``."""
    w = WORDS[lang]
    scenarios = list(dict.fromkeys(runs["scenario"]))
    names = {s: scenario_name(s, lang) for s in scenarios}
    marked = runs[runs["role"] != ""].drop_duplicates("role").set_index("role")
    package = (runs.loc[runs["role"] == "package", "package"].iloc[0]
               if "package" in runs and (runs["role"] == "package").any() else None)
    estates = [w["estate_more" if package else "estate"].format(
        name=names[s], **content.estate(s, package)) for s in scenarios]
    compared = [w[role].format(arm=row.arm, group=row.group) for role, row in marked.iterrows()]
    arm_count = runs[["group", "arm"]].drop_duplicates().shape[0]
    compared.append(w["alternatives"].format(count=arm_count - len(marked)))
    if package:
        compared.append(w["measures"].format(
            group=setting("package", package, lang),
            measures=_joined(package_measures(scenarios[0], package, runs, lang), lang)))
    tables = []
    for scenario in scenarios:
        outcomes, rows = content.headline(runs, scenario, lang)
        for row in rows:
            row["tag"] = word(TEXT, row["role"], lang) if row["role"] else ""
        tables.append({"title": w["table_head"].format(name=names[scenario]),
                       "headings": [w[content.HEADLINE[c]] for c in outcomes], "rows": rows})
    seeds = runs["seed"].nunique()
    return {
        "lang": lang, "w": w, "css": (TEMPLATES / "brief.css").read_text(encoding="utf-8"),
        "faces": [{"family": LATIN, "weight": weight,
                   "url": (Path(matplotlib.get_data_path()) / "fonts/ttf" / file).as_uri()}
                  for weight, file in LATIN_FACES.items()],
        "families": ", ".join(f'"{f}"' for f in families(cjk or cjk_family())) + ", sans-serif",
        "question": w["question"].format(
            arms=arm_count, estates=_joined([names[s] for s in scenarios], lang),
            days=int(runs["days"].iloc[0]), seeds=seeds),
        "estates": estates, "compared": compared, "tables": tables,
        "table_note": w["table_note"].format(level=content.LEVEL),
        "findings_intro": FINDINGS[lang]["intro"].format(level=content.LEVEL),
        "findings": [f for s in scenarios for f in findings(runs, s, names[s], lang)]
        or [w["no_findings"]],
        "figures": brief_figures(runs, series, lang, names),
        "caveats": caveats(runs, scenarios, names, package, lang),
        "provenance": content.provenance(sweep, runs, lang),
    }


def package_measures(scenario: str, package: str, runs: pd.DataFrame, lang: str) -> list[str]:
    """The plain names of what a package brings besides the swept rules."""
    config = arms.reference_config(scenario, package)
    swept = set(arms.arm_columns(runs))
    names = [getattr(config, group).name for group in ("allocation", "tenure", "pricing",
                                                       "revenue", "decision")
             if group not in swept and getattr(config, group).name
             != getattr(arms.reference_config(scenario, "none"), group).name]
    return [rule_name(name, lang) for name in [*names, *config.supply]]


def _joined(items: list[str], lang: str) -> str:
    if lang == "zh":
        return "、".join(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def caveats(runs: pd.DataFrame, scenarios: list[str], names: dict, package: str | None,
            lang: str) -> list[str]:
    """What is input rather than outcome, what is assumed, and what the intervals mean."""
    w = WORDS[lang]
    out = [w["caveat_inputs"]]
    for scenario in scenarios[:1] if package else []:
        size = content.estate(scenario, package)
        out.append(w["caveat_arithmetic"].format(
            name=names[scenario], ratio_base=f"{size['spaces'] / size['cars']:.2f}",
            ratio_package=f"{(size['spaces'] + size['extra']) / size['cars']:.2f}"))
    out.append(w["caveat_assumed"])
    if prepare.deliberated(runs).empty:
        out.append(w["caveat_committee"])
    out.append(w["caveat_intervals"].format(seeds=runs["seed"].nunique()))
    return out


def render_html(values: dict) -> str:
    """The brief as one HTML document."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                                     autoescape=True, undefined=jinja2.StrictUndefined)
    return environment.get_template("brief.html.j2").render(**values)


def write(folder: Path, html: str) -> tuple[Path, Path]:
    """Write ``brief.html`` and ``brief.pdf`` into ``folder``, atomically."""
    from weasyprint import HTML

    html_path, pdf_path = folder / "brief.html", folder / "brief.pdf"
    write_text(html_path, html)
    write_atomic(pdf_path, lambda tmp: HTML(string=html, base_url=str(folder)).write_pdf(tmp))
    return html_path, pdf_path
