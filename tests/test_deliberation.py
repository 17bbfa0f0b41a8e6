"""Deliberation: the discussion kernel against brute force, the meeting process and its log,
and the directional effects the domain predicts, each over paired seeds with its effect size
and 95 % confidence interval printed (run pytest with -s to see them)."""

import numpy as np
import pandas as pd
from conftest import config, paired_effect, run_model
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model import MEETING_COLUMNS, CommunityModel
from sim.negotiation.deliberation import discuss
from sim.negotiation.meeting_log import FAILURES

PACKAGE = "package=xiaonanzhuang_2024"
CIVIL = "decision=civil_code_278"
SEEDS = range(20)


def brute_force_discussion(x, epsilon, weight):
    """Independent O(n²) reference: each moves toward the mean of views within epsilon."""
    heard = np.array([x[np.abs(x - xi) <= epsilon].mean() for xi in x])
    return x + weight * (heard - x)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=60), st.floats(0, 1), st.floats(0, 1))
def test_discussion_matches_the_pairwise_definition(values, epsilon, weight):
    x = np.array(values)
    np.testing.assert_allclose(discuss(x, epsilon, weight),
                               brute_force_discussion(x, epsilon, weight), atol=1e-12)


def test_discussion_keeps_distant_camps_apart_and_merges_close_views():
    x = np.array([0.1, 0.12, 0.14, 0.8, 0.82])
    after = discuss(x, epsilon=0.1, weight=1.0)
    np.testing.assert_allclose(after[:3], 0.12)
    np.testing.assert_allclose(after[3:], 0.81)
    np.testing.assert_array_equal(discuss(x, epsilon=0.1, weight=0.0), x)


def run(*overrides, days=365):
    return run_model(PACKAGE, CIVIL, *overrides, days=days)


def log_of(model) -> pd.DataFrame:
    return pd.DataFrame(model.meetings, columns=list(MEETING_COLUMNS))


# -- the process and its log ----------------------------------------------------------------------


def test_meeting_log_agrees_with_itself_and_with_the_summary():
    model = run("scenario.lead_share=1", "seed=2")
    log = log_of(model)
    summary = model.summary()
    assert len(log) >= 2 and log["passed"].tolist() == [False] * (len(log) - 1) + [True]
    assert log["round"].tolist() == list(range(1, len(log) + 1))
    gaps = np.diff([model.config.deliberation.proposal_day, *log["day"]])
    assert (gaps >= model.config.deliberation.min_preparation_days).all()
    assert (log["failed_on"] == "none").tolist() == log["passed"].tolist()
    assert ((log["failed_on"] == "quorum") == ~log["quorum_met"]).all()
    assert (log["passed"] == (log["quorum_met"] & log["agreed"])).all()
    for column in [c for c in MEETING_COLUMNS if c.startswith(("turnout_", "yes_"))]:
        assert log[column].dropna().between(0, 1).all(), column
    assert log["changed"].iloc[0] == "" and (log["changed"].iloc[1:] != "").any()
    assert summary["rounds"] == len(log)
    assert summary["days_to_consensus"] == log["day"].iloc[-1] == model.committee.adopted_day
    assert summary["failed_on_counts"] == {f: int((log["failed_on"] == f).sum()) for f in FAILURES}
    shares = summary["support_by_group_final"]
    assert set(shares) == {"resident_owners", "absentee_owners", "tenants", "cars_0", "cars_1",
                           "cars_2"}


def test_the_written_ballots_counted_are_those_the_leads_collected():
    model = run("scenario.lead_share=0.5", "seed=1", days=120)
    d = model.deliberation
    log = log_of(model)
    assert len(log) >= 1
    if d.campaign is None:  # a meeting was held today: the next campaign opens tomorrow
        model.step()
    # the campaign after the last meeting: ballots only from voters the leads could reach
    e, campaign = model.electorate, d.campaign
    unit = model.units[e.flat]
    contact = e.join(np.ones(len(model.households), bool), e.absentees.contact)
    assert not (campaign.cast & ~(model.unit_has_lead[unit] & contact & e.owner)).any()
    assert (log["ballots_written"] <= np.count_nonzero(model.unit_has_lead[unit] & e.owner)).all()


def test_nothing_to_discuss_under_the_status_quo():
    model = run_model(CIVIL, days=60)
    assert model.meetings == []
    summary = model.summary()
    assert summary["days_to_consensus"] is None and summary["rounds"] == 0
    assert not summary["has_proposal"]


def test_the_committee_imposes_on_the_proposal_day_and_a_vote_waits_for_the_notice():
    imposed = run("decision=committee_decides", "deliberation.proposal_day=10", days=120)
    log = log_of(imposed)
    assert imposed.committee.adopted_day == 10
    assert log[["day", "round", "called_on"]].values.tolist() == [[10, 0, "imposed"]]
    assert log["attendance_heads"].tolist() == [0.0]
    voted = run("scenario.lead_share=1", "deliberation.proposal_day=10", days=120)
    first = log_of(voted)["day"].iloc[0]
    assert first >= 10 + voted.config.deliberation.min_preparation_days
    for model, day in ((imposed, 10), (voted, first)):
        assert model.timeseries()["permits"].iloc[:day].max() == 0


def test_grievances_make_the_committee_call_a_meeting_it_does_not_expect_to_win():
    # No leads: no written ballots, so the committee never expects the quorum.
    never = run("scenario.lead_share=0", "deliberation.grievance_trigger=0", days=150)
    soon = run("scenario.lead_share=0", "deliberation.grievance_trigger=0.05", days=150)
    assert never.meetings == []
    log = log_of(soon)
    assert (log["called_on"] == "grievances").all() and log["day"].iloc[0] < 40


def test_without_a_quorum_the_rules_never_come_into_force():
    model = run("scenario.lead_share=0", "channels=[in_person]", days=300)
    log = log_of(model)
    assert len(log) >= 2 and (log["failed_on"] == "quorum").all()
    assert (log["turnout_absentee_owners"] == 0).all()  # no channel reaches them
    assert model.committee.adopted_day is None
    assert model.timeseries()["permits"].max() == 0  # still first come, first served


def test_trust_rises_for_those_a_council_hears_and_nobody_else():
    model = CommunityModel(config(PACKAGE, CIVIL, "deliberation.proposal_day=5"))
    for _ in range(4):
        model.step()
    before = model.households.trust.copy()
    model.step()  # day 5: the councils
    rate = model.config.deliberation.trust_rate
    heard = model.unit_has_lead[model.units]
    np.testing.assert_allclose(model.households.trust[heard],
                               before[heard] + rate * (1 - before[heard]))
    np.testing.assert_array_equal(model.households.trust[~heard], before[~heard])


def test_objections_the_committee_ignores_cost_it_trust():
    def trust(search, seed):
        model = run("scenario.lead_share=1", f"proposal_search={search}", f"seed={seed}",
                    days=120)
        return model.timeseries()["trust"].iloc[-1]

    mean, low, _ = paired_effect("trust, objection_driven − fixed",
                                 [trust("objection_driven", s) for s in range(10)],
                                 [trust("fixed", s) for s in range(10)])
    assert low > 0


# -- directional effects over paired seeds --------------------------------------------------------


def quorum_failure_share(model) -> float:
    log = log_of(model)
    return float((log["failed_on"] == "quorum").mean()) if len(log) else 1.0


def test_absentee_owners_out_of_reach_make_the_quorum_fail_more_often_than_online_voting():
    setting = ("scenario.lead_share=1", "scenario.absentee_contact_share=0",
               "scenario.absentee_online_share=0.6")
    unreachable = [quorum_failure_share(run(*setting, "channels=[in_person,written_ballot]",
                                            f"seed={s}", days=160)) for s in SEEDS]
    online = [quorum_failure_share(run(*setting, "channels=[in_person,written_ballot,online]",
                                       f"seed={s}", days=160)) for s in SEEDS]
    mean, low, _ = paired_effect("share of meetings failing on quorum, unreachable − online",
                                 unreachable, online)
    assert low > 0


def test_taking_spaces_from_second_cars_fails_on_the_threshold_until_they_get_a_quota():
    # Second cars are common (800 cars, 70 % of car-owning households with two); permits are
    # free, so the second cars' loss is the only parking loss.
    setting = (PACKAGE, CIVIL, "scenario.lead_share=1", "scenario.cars=800",
               "scenario.second_car_share=0.7", "pricing=flat", "pricing.monthly_price=0",
               "days=250")

    def outcome(search, seed):
        cfg = config(*setting, f"proposal_search={search}", f"seed={seed}")
        if search == "objection_driven":
            cfg.proposal_search.space = {"second_car_quota": [0.0, 0.1, 0.2, 0.3]}
        model = CommunityModel(cfg)
        for _ in range(cfg.days):
            model.step()
        log = log_of(model)
        quota = model.deliberation.terms().get("second_car_quota", 0.0)
        return log["failed_on"].iloc[0], model.committee.adopted_day is not None, quota

    fixed = [outcome("fixed", s) for s in SEEDS]
    searched = [outcome("objection_driven", s) for s in SEEDS]
    assert np.mean([first == "threshold" for first, _, _ in fixed]) >= 0.8
    adopted_with_quota = [adopted and quota > 0 for _, adopted, quota in searched]
    mean, low, _ = paired_effect("adopted, objection-driven (second-car quota) − fixed",
                                 adopted_with_quota, [adopted for _, adopted, _ in fixed])
    assert low > 0


def test_more_leads_collect_more_written_ballots_and_reach_consensus_sooner():
    horizon = 300

    def outcome(share, seed):
        model = run(f"scenario.lead_share={share}", f"seed={seed}", days=horizon)
        log = log_of(model)
        days = model.summary()["days_to_consensus"]
        return log["ballots_written"].iloc[0], horizon if days is None else days

    few = [outcome(0.25, s) for s in SEEDS]
    many = [outcome(1.0, s) for s in SEEDS]
    _, low, _ = paired_effect("written ballots at the first meeting, leads 1.0 − 0.25",
                              [b for b, _ in many], [b for b, _ in few])
    assert low > 0
    _, _, high = paired_effect("days to consensus (horizon if none), leads 1.0 − 0.25",
                               [d for _, d in many], [d for _, d in few])
    assert high < 0


def test_an_objection_driven_search_needs_no_more_rounds_than_compensating():
    def rounds(search, seed):
        """Rounds to consensus; a run without consensus needs at least one more round."""
        model = run("scenario.lead_share=1", f"proposal_search={search}", f"seed={seed}",
                    days=300)
        summary = model.summary()
        return summary["rounds"] + (summary["days_to_consensus"] is None)

    driven = [rounds("objection_driven", s) for s in SEEDS]
    stepped = [rounds("compensate", s) for s in SEEDS]
    _, _, high = paired_effect("rounds to consensus, objection_driven − compensate",
                               driven, stepped)
    assert high <= 0


def test_imposing_the_package_leaves_less_support_than_deliberating_it():
    def support(decision, seed):
        model = run("scenario.lead_share=1", f"decision={decision}", f"seed={seed}", days=250)
        return model.summary()["support_after"]

    mean, _, high = paired_effect("support at the end, imposed − deliberated",
                                  [support("committee_decides", s) for s in range(10)],
                                  [support("civil_code_278", s) for s in range(10)])
    assert high < 0


def test_shiyou_units_agree_only_after_compensating_the_structures_users():
    outcomes = [run_model("scenario=shiyou_compound", "package=shiyou_renewal", f"seed={s}",
                          days=365) for s in range(5)]
    for model in outcomes:
        log = log_of(model)
        assert log["failed_on"].iloc[0] == "veto"
        assert model.committee.adopted_day is not None
        assert model.deliberation.terms()["compensation"] > 0
