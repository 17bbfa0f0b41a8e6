"""Every sentence of the brief, in English and Chinese; numbers are filled in by
:mod:`sim.views.brief.content` and :mod:`sim.views.brief.findings`."""

from __future__ import annotations

WORDS = {
    "en": {
        "title": "Parking rules for crowded old estates: what the simulation shows",
        "subtitle": "A brief from shangliang (商量), an agent-based model of “let’s talk it over "
                    "and handle it together” (大家商量着办)",
        "question_head": "The question",
        "question": "Old estates in Haidian have far more cars than spaces. Xiaonanzhuang found "
                    "more spaces and agreed new rules through its residents’ parking committee. "
                    "Which rules give more car-owning households a space, with fewer hotline "
                    "complaints and fairly between owners and tenants — and does that hold in a "
                    "larger estate? {arms} rule sets compared in {estates}, {days} days each, "
                    "{seeds} random seeds.",
        "estates_head": "The estates",
        "estate": "{name}: {households:,} households, {cars:,} cars, {spaces:,} spaces.",
        "estate_more": "{name}: {households:,} households, {cars:,} cars, {spaces:,} spaces "
                       "({extra:+,} with the package’s measures).",
        "arms_head": "What is compared",
        "baseline": "Baseline: the status quo — {arm} ({group}).",
        "package": "The article’s package: {arm} ({group}).",
        "alternatives": "Alternatives: every other combination swept ({count} more), named in "
                        "the figures and in outcomes.csv.",
        "measures": "{group}: {measures}; the swept rules replace the package’s own.",
        "table_head": "Headline results: {name}",
        "table_note": "Mean over seeds with its {level:.0%} confidence interval. Rows: the "
                      "baseline and the article’s package, then the other rule sets with the "
                      "highest coverage.",
        "col_arm": "Rule set",
        "col_coverage": "Car-owning households with a space",
        "col_complaints": "Hotline complaints per 1,000 households a year",
        "col_gap": "Owner − tenant gap (percentage points)",
        "col_fees": "Property fee payment",
        "col_days": "Days to consensus",
        "findings_head": "Findings",
        "no_findings": "This sweep has no status-quo arm to compare with: read the table and "
                       "the figures side by side.",
        "figures_head": "Figures",
        "figure_tradeoff": "Figure 1. Each rule set’s coverage against fairness of access; "
                           "colour: complaints (lighter is fewer).",
        "figure_trajectory": "Figure 2. Car-owning households with a space, day by day, for "
                             "the marked rule sets and the best and worst.",
        "caveats_head": "Read with care",
        "caveat_inputs": "Inputs, not outcomes: the numbers of households, cars and spaces, and "
                         "the spaces the measures add, are the article’s figures put into the "
                         "model.",
        "caveat_arithmetic": "Coverage is largely arithmetic: there are {ratio_base} spaces per "
                             "car in {name} today and {ratio_package} with the package’s "
                             "measures. Most of the package’s gain in coverage comes from the "
                             "added spaces; the rules decide mainly who gets them.",
        "caveat_assumed": "Assumed, not fitted: how often illegal parking leads to quarrels and "
                          "hotline calls, how households pay fees and form opinions. These "
                          "values are plausible, not measured: compare rule sets with each "
                          "other rather than reading the levels as forecasts.",
        "caveat_committee": "No deliberation was simulated here: the committee imposes each rule "
                            "set at once, so time to consensus is not compared.",
        "caveat_intervals": "Intervals show the spread of the simulation over {seeds} seeds, "
                            "not the uncertainty of the assumptions.",
        "provenance_head": "Provenance",
        "provenance": "shangliang {version}; sweep {sweep}; {runs} runs, seeds {seeds}; config "
                      "hash of the sweep {hash}; Python {python}, Mesa {mesa}, NumPy {numpy}; "
                      "made {date}. Reproduce: python -m sim.run -m experiment={experiment}, then "
                      "python -m sim.brief {sweep} lang={lang}.",
        "pp": "{value:+d} pp",
        "reached": "; {reached} of {runs} runs",
    },
    "zh": {
        "title": "老旧小区停车规则：模拟结果摘要",
        "subtitle": "来自“商量”（shangliang）——模拟“大家商量着办”的多主体模型",
        "question_head": "问题",
        "question": "海淀区的老旧小区车多位少。小南庄社区通过停车自管会挖潜增位、商定规则。"
                    "哪些规则能让更多有车住户有车位、减少12345热线诉求、兼顾业主与租户的公平？"
                    "结论在更大的小区是否成立？本摘要在{estates}比较{arms}套规则，每套模拟{days}天、"
                    "{seeds}个随机种子。",
        "estates_head": "小区概况",
        "estate": "{name}：{households:,}户，{cars:,}辆车，{spaces:,}个车位。",
        "estate_more": "{name}：{households:,}户，{cars:,}辆车，{spaces:,}个车位（方案措施增加"
                       "{extra:+,}个）。",
        "arms_head": "比较的对象",
        "baseline": "基线：现状——{arm}（{group}）。",
        "package": "文章中的方案：{arm}（{group}）。",
        "alternatives": "其他方案：其余{count}种组合，名称见图表及 outcomes.csv。",
        "measures": "{group}：{measures}；被比较的规则替换方案中的对应规则。",
        "table_head": "主要结果：{name}",
        "table_note": "跨随机种子的均值及{level:.0%}置信区间。各行：基线、文章中的方案，以及覆盖率"
                      "最高的其他规则。",
        "col_arm": "规则",
        "col_coverage": "有车住户中有车位的比例",
        "col_complaints": "每千户每年12345热线诉求",
        "col_gap": "业主与租户覆盖率之差（百分点）",
        "col_fees": "物业费缴费率",
        "col_days": "达成共识所需天数",
        "findings_head": "主要发现",
        "no_findings": "本批次没有作为基线的现状方案，请对照表格和图比较各套规则。",
        "figures_head": "图",
        "figure_tradeoff": "图1 各套规则的覆盖率与停车机会公平度；颜色表示诉求（越浅越少）。",
        "figure_trajectory": "图2 有车住户中有车位的比例随时间变化：标注的方案及最好、最差者。",
        "caveats_head": "阅读提示",
        "caveat_inputs": "输入而非结果：户数、车辆数、车位数以及各项措施增加的车位数，均为文章中的"
                         "数字，作为模型输入。",
        "caveat_arithmetic": "覆盖率在很大程度上是算术结果：{name}现有每辆车{ratio_base}个车位，"
                             "实施方案措施后为{ratio_package}个。方案带来的覆盖率提高主要来自新增"
                             "车位，规则主要决定车位归谁。",
        "caveat_assumed": "假设而非拟合：违停引发纠纷和热线诉求的频率、缴费行为和意见形成方式均为"
                          "合理假设，并非实测。请比较不同规则之间的差异，不要把绝对水平当作预测。",
        "caveat_committee": "此处未模拟协商过程：各套规则由委员会直接实施，因此不比较达成共识所需"
                            "时间。",
        "caveat_intervals": "区间反映{seeds}个随机种子之间的模拟波动，不反映假设本身的不确定性。",
        "provenance_head": "来源",
        "provenance": "shangliang {version}；模拟批次 {sweep}；{runs}次运行，随机种子{seeds}；"
                      "批次配置哈希 {hash}；Python {python}、Mesa {mesa}、NumPy {numpy}；"
                      "生成于{date}。复现：python -m sim.run -m experiment={experiment}，"
                      "然后 python -m sim.brief {sweep} lang={lang}。",
        "pp": "{value:+d}个百分点",
        "reached": "；{runs}次中{reached}次达成",
    },
}
"""The brief's fixed words by language."""

FINDINGS = {
    "en": {
        "intro": "Differences from the status quo, seed by seed, with {level:.0%} confidence "
                 "intervals in brackets.",
        "package": "{name}: the article’s package gives {coverage} ({coverage_ci}; {sure}) more "
                   "car-owning households a space — owners {owners} ({owners_ci}), tenants "
                   "{tenants} ({tenants_ci}). Hotline complaints change by {complaints} per "
                   "1,000 households a year ({complaints_ci}; {complaints_sure}); the owner − "
                   "tenant gap moves from {before} to {after} ({gap_ci}).",
        "rules_alone": "{name}: without new spaces, the best rule set ({arm}) changes coverage "
                       "by only {coverage} ({coverage_ci}); the spaces, not the allocation "
                       "rule, make most of the difference.",
        "rules_alone_plain": "{name}: without the package’s measures, the best rule set "
                             "({arm}) changes coverage by {coverage} ({coverage_ci}).",
        "best": "{name}: the highest coverage, under {arm}, differs from the article’s package "
                "by {coverage} ({coverage_ci}; {sure}).",
        "sure": "clear",
        "unsure": "not distinguishable from no change",
        "span": "{low} to {high}",
    },
    "zh": {
        "intro": "以下为与现状逐个随机种子比较的差异，括号内为{level:.0%}置信区间。",
        "package": "{name}：文章中的方案使有车住户中有车位的比例提高{coverage}（{coverage_ci}；"
                   "{sure}），其中业主{owners}（{owners_ci}），租户{tenants}（{tenants_ci}）。"
                   "每千户每年12345热线诉求变化{complaints}（{complaints_ci}；{complaints_sure}）；"
                   "业主与租户的覆盖率之差从{before}变为{after}（{gap_ci}）。",
        "rules_alone": "{name}：不增加车位时，最好的规则（{arm}）只使覆盖率变化{coverage}"
                       "（{coverage_ci}）；差别主要来自车位数量，而不是分配规则。",
        "rules_alone_plain": "{name}：不配合方案的其他措施时，最好的规则（{arm}）使覆盖率变化"
                             "{coverage}（{coverage_ci}）。",
        "best": "{name}：覆盖率最高的规则（{arm}）与文章中的方案相差{coverage}（{coverage_ci}；"
                "{sure}）。",
        "sure": "差异明确",
        "unsure": "与无变化无法区分",
        "span": "{low}至{high}",
    },
}
"""Templates of the generated findings, by language."""
