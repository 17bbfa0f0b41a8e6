"""Every word the app shows, in English and Chinese, including the About tab."""

from __future__ import annotations

TEXT = {
    "en": {
        "title": "Shangliang 商量 — a neighbourhood negotiates its parking",
        "tab_estate": "Estate", "tab_meetings": "Meetings", "tab_about": "About",
        "tab_model": "Model description",
        "language": "Language",
        "view": "Colour households by", "parking": "parking", "opinion": "opinion",
        "neighbourhood": "Neighbourhood",
        "allocation": "Allocation rule proposed",
        "decision": "How the proposal is decided",
        "lead_share": "Stairwells with a building lead: {value:.0%}",
        "supply": "Find more spaces (supply measures)",
        "seed": "Seed (whole number)",
        "seed_error": "{error}; running seed 0 instead.",
        "reset": "Reset", "step": "Step", "play": "▶ Play", "pause": "❚❚ Pause",
        "interval": "Days per picture: {value}",
        "day_counter": "Day {day} of {days} · seed {seed}",
        "night_pending": "no night simulated yet",
        "parked": "all its cars parked legally",
        "not_parked": "a car parked illegally",
        "no_car": "no car",
        "against": "against the proposal", "undecided": "undecided",
        "for": "for the proposal",
        "lead": "building lead (党员楼门长)",
        "household": "household",
        "cars_0": "0 cars", "cars_1": "1 car", "cars_2": "2 cars",
        "ties": "lines: social ties",
        "network_title": "Day {day}: {n:,} households, {cars:,} cars, {spaces:,} usable spaces",
        "space_title": "Day {day}: the week in {plan} (space in use {utilisation:.0%})",
        "room_idle": "unused",
        "day_mon": "Mon", "day_tue": "Tue", "day_wed": "Wed", "day_thu": "Thu",
        "day_fri": "Fri", "day_sat": "Sat", "day_sun": "Sun",
        "day": "day",
        "car_coverage": "Cars parked legally",
        "complaints": "Hotline complaints (12345) per day",
        "support": "Support for the proposal (0–1)",
        "fee_payment_rate": "Property fee payment",
        "in_force": "Rules in force: {rules}",
        "proposed": "Proposed: {rules} · {decision}",
        "status_quo_in_force": "the status quo (first come, first served; nothing charged)",
        "firms": "Property firms present: {present} of {areas}",
        "firm_left": "A property firm has left: {missing} area(s) without management.",
        "meetings": "Meeting log (协商议事会)",
        "no_meetings": "No deliberation meeting has been held yet.",
        "committee_note": "The committee decides: the proposal is imposed on the first day, "
                          "without meetings.",
        "m_day": "day", "m_round": "round", "m_proposal": "proposal",
        "m_attendance": "attendance", "m_yes": "yes share", "m_passed": "passed",
        "model_missing": "The model description is docs/model.md in the source repository.",
        "read_model": "Read the model description",
    },
    "zh": {
        "title": "商量 —— 一个小区商量停车",
        "tab_estate": "小区", "tab_meetings": "议事会", "tab_about": "关于",
        "tab_model": "模型说明",
        "language": "语言",
        "view": "住户颜色表示", "parking": "停车", "opinion": "意见",
        "neighbourhood": "社区",
        "allocation": "提议的车位分配规则",
        "decision": "提案如何决定",
        "lead_share": "有党员楼门长的楼门：{value:.0%}",
        "supply": "挖潜增位（增加车位措施）",
        "seed": "随机种子（整数）",
        "seed_error": "随机种子无效（{error}），改用随机种子0。",
        "reset": "重置", "step": "前进一天", "play": "▶ 运行", "pause": "❚❚ 暂停",
        "interval": "每幅图前进天数：{value}",
        "day_counter": "第{day}天，共{days}天 · 随机种子{seed}",
        "night_pending": "尚未模拟夜间停车",
        "parked": "车辆全部合法停放",
        "not_parked": "有车辆违规停放",
        "no_car": "无车",
        "against": "反对提案", "undecided": "未定", "for": "支持提案",
        "lead": "党员楼门长",
        "household": "住户",
        "cars_0": "0辆车", "cars_1": "1辆车", "cars_2": "2辆车",
        "ties": "连线：邻里关系",
        "network_title": "第{day}天：{n:,}户，{cars:,}辆车，{spaces:,}个可用车位",
        "space_title": "第{day}天：{plan}的一周（空间使用率{utilisation:.0%}）",
        "room_idle": "空闲",
        "day_mon": "周一", "day_tue": "周二", "day_wed": "周三", "day_thu": "周四",
        "day_fri": "周五", "day_sat": "周六", "day_sun": "周日",
        "day": "天",
        "car_coverage": "合法停放车辆比例",
        "complaints": "每日12345热线诉求",
        "support": "提案支持度（0–1）",
        "fee_payment_rate": "物业费缴费率",
        "in_force": "现行规则：{rules}",
        "proposed": "提案：{rules} · {decision}",
        "status_quo_in_force": "现状（先到先停，不收费）",
        "firms": "在岗物业公司：{present}/{areas}",
        "firm_left": "有物业公司撤出：{missing}个片区无人管理。",
        "meetings": "协商议事会记录",
        "no_meetings": "尚未召开协商议事会。",
        "committee_note": "委员会直接决定：提案在第一天直接实施，不开会。",
        "m_day": "天", "m_round": "轮次", "m_proposal": "提案",
        "m_attendance": "参会率", "m_yes": "赞成比例", "m_passed": "通过",
        "model_missing": "模型说明见源代码仓库中的 docs/model.md。",
        "read_model": "阅读模型说明",
    },
}
"""Labels by language."""

ABOUT = {
    "en": """
<h3>The story</h3>
<p>Xiaonanzhuang (小南庄), an estate in Beijing's Haidian district built in 1993, has 829
households, more than 500 cars and 230 parking spaces. Quarrels over parking and calls to the
city's 12345 hotline grew every year. The community's party committee held meetings, the
residents formed a parking self-governance committee, found 128 more spaces (re-striping,
sharing office car parks at night, roadside permits) and agreed rules: one car per household,
home-buyers first; spaces reclaimed and reallocated; fixed, rotating and temporary spaces;
open accounts. The practice is called <i>大家商量着办</i>: let's talk it over and handle it
together.</p>
<p>This page simulates such an estate day by day. Every dot is a household; the estate's
building leads (党员楼门长) persuade neighbours, bring them to meetings and settle quarrels.</p>
<h3>The controls</h3>
<ul>
<li><b>Neighbourhood</b>: five estates — Xiaonanzhuang; Sanhuqiao (三虎桥, 182 households whose
fee payment fell to 24 %); the Shiyou compound (石油大院, four property-right units); Yuxin
Garden (育新花园, 5,032 households); a synthetic estate.</li>
<li><b>Allocation rule proposed</b>: who gets a space if the proposal is adopted.</li>
<li><b>How the proposal is decided</b>: by the owners under the Civil Code (art. 278), by a
simple majority, by every property-right unit, or imposed by the committee.</li>
<li><b>Stairwells with a building lead</b>: from none to one in every stairwell.</li>
<li><b>Find more spaces</b>: the supply measures this estate can take.</li>
<li><b>Seed</b>: the same seed gives the same estate and the same chance events.</li>
<li><b>Reset</b> builds the estate with these choices; <b>Step</b> runs one day;
<b>Play</b> runs until the end of the year, <b>days per picture</b> at a time.</li>
</ul>
<h3>Reading the picture</h3>
<p>Buildings are blocks, each stairwell (楼门) a ring, grey lines social ties. Colour shows
whether a household's cars were parked legally last night (grey: no car), or its opinion of the
proposal; size shows how many cars it has; diamonds are building leads. The plots follow cars
parked legally, hotline complaints, support for the proposal and fee payment. The Meetings tab
lists each meeting (协商议事会): turnout, yes share, passed or not.</p>
""",
    "zh": """
<h3>故事</h3>
<p>小南庄社区位于北京市海淀区，建于1993年，有829户居民、500余辆车，却只有230个车位。停车纠纷和12345热线诉求逐年增多。
社区党委多次召开议事会，居民成立停车自管会，通过重新施划、与周边单位错时共享、办理路侧停车认证增加了128个车位，
并商定规则：一户一车+购房优先，车位回收+动态分配，固定+轮转+临时，透明监管+公益反哺。这就是“大家商量着办”。</p>
<p>本页面逐日模拟这样的小区。每个点是一户住户；党员楼门长说服邻居、动员参会、调解纠纷。</p>
<h3>控制项</h3>
<ul>
<li><b>社区</b>：五个小区——小南庄；三虎桥南路8号院（182户，物业费缴费率曾降至24%）；石油大院（4个产权单位）；
育新花园（5,032户）；合成社区。</li>
<li><b>提议的车位分配规则</b>：提案通过后谁能得到车位。</li>
<li><b>提案如何决定</b>：业主依民法典第278条表决、简单多数、各产权单位一致同意，或由委员会直接决定。</li>
<li><b>有党员楼门长的楼门</b>：从没有到每个楼门都有。</li>
<li><b>挖潜增位</b>：该小区能采取的增加车位措施。</li>
<li><b>随机种子</b>：相同的种子得到相同的小区和相同的偶然事件。</li>
<li><b>重置</b>按当前选择建立小区；<b>前进一天</b>模拟一天；<b>运行</b>连续模拟到年底，每幅图前进若干天。</li>
</ul>
<h3>如何读图</h3>
<p>每个方块是一栋楼，每个圆环是一个楼门，灰线是邻里关系。颜色表示该户昨夜车辆是否全部合法停放（灰色：无车），
或其对提案的意见；点的大小表示车辆数；菱形是党员楼门长。折线图显示合法停放比例、12345热线诉求、提案支持度和物业费缴费率。
“议事会”标签列出每次协商议事会的参会率、赞成比例和是否通过。</p>
""",
}
"""The About tab (HTML, shown as is: no Markdown, whose maths renderer would load from a CDN)."""
