"""The scenario brief (``python -m sim.brief``) made from a small real sweep: its PDF's pages,
words (Chinese included), embedded fonts and numbers."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from sweeps import sweep

from sim import brief
from sim.collect import collect
from sim.views.figures.fonts import cjk_family

ARMS = ("days=40", "package=none,xiaonanzhuang_2024", "allocation=status_quo,one_car_owner_first",
        "tenure=permanent,reclaim_reallocate", "replicates=3")
"""Baseline, the article's package and six other arms, three seeds each."""


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    folder = tmp_path_factory.mktemp("brief") / "sweep"
    done = sweep(folder, *ARMS)
    assert done.returncode == 0, done.stderr
    return folder


def _pdf(folder, lang: str) -> PdfReader:
    return PdfReader(folder / "brief" / lang / "brief.pdf")


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _embedded_fonts(reader: PdfReader) -> dict[str, bool]:
    """Every font the pages use → whether its file is embedded."""
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font)["/FontDescriptor"]
            fonts[str(font["/BaseFont"])] = any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts


def test_english_brief_names_the_arms_and_fits_two_pages(swept):
    assert brief.main([str(swept), "lang=en"]) == 0
    reader = _pdf(swept, "en")
    assert len(reader.pages) <= 2
    text = " ".join(_text(reader).split())
    for words in ("The question", "Headline results: Xiaonanzhuang", "baseline: status quo",
                  "the article’s package", "One car per household, home-buyers first",
                  "Hotline complaints per 1,000 households a year", "percentage points",
                  "Coverage is largely arithmetic", "Provenance", "seeds 0–2"):
        assert words in text, words
    fonts = _embedded_fonts(reader)
    assert fonts and all(fonts.values()), fonts
    assert any("DejaVu-Sans" in name for name in fonts)
    html = (swept / "brief/en/brief.html").read_text(encoding="utf-8")
    assert "data:image/svg+xml;base64," in html and "http" not in html.split("<body>")[1]


def test_the_headline_table_shows_the_runs_means(swept):
    brief.main([str(swept), "lang=en"])
    runs = collect(swept).runs
    base = runs[(runs["package"] == "none") & (runs["allocation"] == "status_quo")
                & (runs["tenure"] == "permanent")]
    coverage = f"{100 * base['final_household_coverage'].mean():.0f} %"
    rate = 1000 * 365 * (base["total_complaints"] / (base["households"] * base["days"])).mean()
    text = " ".join(_text(_pdf(swept, "en")).split())
    table = text.split("Headline results: Xiaonanzhuang")[1]
    row = table.split("baseline: status quo")[1][:60]
    assert row.lstrip().startswith(coverage), row
    assert f"{rate:,.0f} (" in row


def test_chinese_brief_prints_chinese_in_an_embedded_cjk_font(swept):
    if cjk_family() is None:
        with pytest.warns(UserWarning, match="fonts-noto-cjk"):
            assert brief.main([str(swept), "lang=zh"]) == 0
        return
    assert brief.main([str(swept), "lang=zh"]) == 0
    reader = _pdf(swept, "zh")
    assert len(reader.pages) <= 2
    text = "".join(_text(reader).split())
    for words in ("主要结果：小南庄社区", "基线：现状", "文章中的方案", "一户一车+购房优先",
                  "每千户每年12345热线诉求", "阅读提示", "覆盖率在很大程度上是算术结果"):
        assert words in text, words
    fonts = _embedded_fonts(reader)
    assert all(fonts.values()), fonts
    assert any("CJK" in name for name in fonts) and any("DejaVu-Sans" in name for name in fonts)


def test_a_folder_that_is_not_a_sweep_is_a_clear_error(tmp_path, capsys):
    assert brief.main([str(tmp_path)]) == 2
    assert "expected a sweep folder" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_findings_follow_the_paired_differences(swept):
    runs = collect(swept).runs
    key = ["seed"]
    base = runs[(runs["package"] == "none") & (runs["allocation"] == "status_quo")
                & (runs["tenure"] == "permanent")].set_index(key)
    package = runs[(runs["package"] == "xiaonanzhuang_2024")
                   & (runs["allocation"] == "one_car_owner_first")
                   & (runs["tenure"] == "reclaim_reallocate")].set_index(key)
    gain = (package["final_household_coverage"] - base["final_household_coverage"]).mean()
    brief.main([str(swept), "lang=en"])
    text = " ".join(_text(_pdf(swept, "en")).split())
    assert f"the article’s package gives {round(100 * gain):+d} pp" in text
    alone = runs[(runs["package"] == "none") & ~((runs["allocation"] == "status_quo")
                                                  & (runs["tenure"] == "permanent"))]
    best = alone.groupby(["allocation", "tenure"])["final_household_coverage"].mean().max()
    spaces_matter = best - base["final_household_coverage"].mean() < 0.5 * gain
    assert ("the spaces, not the allocation rule, make most of the difference" in text) == (
        spaces_matter)


def test_a_deliberated_sweep_shows_days_to_consensus_and_counts_runs_without_it(tmp_path):
    folder = tmp_path / "voted"
    done = sweep(folder, "days=60", "package=xiaonanzhuang_2024", "scenario.lead_share=0,1",
                 "decision=civil_code_278,committee_decides", "replicates=2")
    assert done.returncode == 0, done.stderr
    assert brief.main([str(folder), "lang=en"]) == 0
    reader = _pdf(folder, "en")
    assert len(reader.pages) <= 2
    text = " ".join(_text(reader).split())
    assert "Days to consensus" in text
    runs = collect(folder).runs
    voted = runs[runs["decision"] == "civil_code_278"]
    for (share, rows) in voted.groupby("scenario.lead_share"):
        reached = int(rows["days_to_consensus"].notna().sum())
        assert f"; {reached} of {len(rows)} runs" in text, share
    assert "—" in text  # the committee's arms did not deliberate
