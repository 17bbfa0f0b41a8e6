"""Deliberation: the discussion kernel against brute force, the meeting process, and the
directional effects the domain predicts (leads, imposition, compensation)."""

import numpy as np
import pandas as pd
import pytest
from conftest import config, run_model
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.deliberation import discuss
from sim.model import MEETING_COLUMNS, CommunityModel

PACKAGE = "package=xiaonanzhuang_2024"
CIVIL = "decision=civil_code_278"
SEEDS = range(5)


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


def run(*overrides, days=200):
    return run_model(PACKAGE, *overrides, f"days={days}")


def meetings(model):
    return pd.DataFrame(model.meetings, columns=MEETING_COLUMNS)


def test_meeting_log_records_every_round_until_the_vote_passes():
    model = run(CIVIL, "scenario.lead_share=0.5", "seed=2")
    log = meetings(model)
    assert log["round"].tolist() == list(range(1, len(log) + 1))
    assert log["passed"].tolist() == [False] * (len(log) - 1) + [True]
    assert (np.diff(log["day"]) >= model.config.deliberation.min_gap_days).all()
    for column in ("attendance_heads", "attendance_area", "yes_heads", "yes_area"):
        assert log[column].between(0, 1).all()
    assert not (log["passed"] & ~log["quorum_met"]).any()
    assert model.committee.adopted_day == log["day"].iloc[-1]
    summary = model.summary()
    assert summary["rounds_to_consensus"] == len(log)
    assert summary["days_to_consensus"] == log["day"].iloc[-1]


def test_a_failed_proposal_is_amended_with_compensation():
    model = run(CIVIL, "scenario.lead_share=0.5", "seed=2")
    log = meetings(model)
    assert len(log) > 1
    step = model.config.deliberation.compensation_step
    assert model.committee.compensation == pytest.approx(step * (len(log) - 1))
    assert "compensation" in log["proposal"].iloc[-1]


def test_nothing_to_discuss_under_the_status_quo():
    model = run_model(CIVIL, days=60)
    assert model.meetings == []
    assert model.summary()["days_to_consensus"] is None


def test_without_quorum_the_rules_never_come_into_force():
    model = run(CIVIL, "scenario.lead_share=0", "deliberation.max_rounds=3")
    log = meetings(model)
    assert len(log) == 3 and not log["passed"].any()
    assert model.committee.adopted_day is None
    assert model.timeseries()["permits"].max() == 0  # still first come, first served
    assert model.summary()["rounds_to_consensus"] is None


def test_complaints_bring_a_meeting_forward():
    scheduled = run(CIVIL, "scenario.lead_share=0", "deliberation.interval_days=90", days=100)
    triggered = run(CIVIL, "scenario.lead_share=0", "deliberation.interval_days=90",
                    "deliberation.complaint_trigger=5", "deliberation.complaint_window_days=10",
                    days=100)
    assert meetings(scheduled)["day"].tolist() == [0, 90]
    days = meetings(triggered)["day"]
    assert days.iloc[1] < 90


def test_committee_decides_adopts_on_the_first_meeting_day():
    for decision in ("committee_decides", "civil_code_278"):
        model = run(f"decision={decision}", "deliberation.first_meeting_day=10", days=120)
        if decision == "committee_decides":
            assert model.committee.adopted_day == 10
            assert meetings(model)["attendance_heads"].tolist() == [0.0]
        else:
            assert model.committee.adopted_day is None or model.committee.adopted_day >= 10
        assert model.timeseries()["permits"].iloc[:10].max() == 0


def test_more_leads_mean_higher_attendance_and_fewer_rounds():
    def outcome(share):
        attendance, rounds = [], []
        for seed in SEEDS:
            model = run(CIVIL, f"scenario.lead_share={share}", f"seed={seed}")
            attendance.append(meetings(model)["attendance_heads"].iloc[0])
            consensus = model.summary()["rounds_to_consensus"]
            rounds.append(consensus if consensus is not None else model.config.deliberation
                          .max_rounds + 1)
        return np.mean(attendance), np.mean(rounds)

    few_attend, few_rounds = outcome(0.25)
    many_attend, many_rounds = outcome(1.0)
    assert many_attend > few_attend
    assert many_rounds < few_rounds


def test_imposing_the_package_leaves_less_support_and_satisfaction_than_deliberating_it():
    imposed, deliberated = [], []
    for seed in SEEDS:
        for decision, store in (("committee_decides", imposed), ("civil_code_278", deliberated)):
            model = run(f"decision={decision}", "scenario.lead_share=1", f"seed={seed}",
                        days=180)
            assert model.committee.adopted_day == 0  # both adopted on the same day
            summary = model.summary()
            store.append((summary["support_after"], summary["final_satisfaction"]))
    imposed, deliberated = np.array(imposed), np.array(deliberated)
    assert (deliberated[:, 0] > imposed[:, 0]).all()
    assert deliberated[:, 1].mean() > imposed[:, 1].mean()


def test_compensation_raises_the_yes_share_of_the_groups_it_targets():
    gains = []
    for seed in SEEDS:
        model = CommunityModel(config(PACKAGE, CIVIL, "scenario.lead_share=0", f"seed={seed}"))
        h, c = model.households, model.cars
        targeted = np.zeros(len(h), dtype=bool)
        targeted[c.household[~h.owner[c.household] | (c.rank >= 1)]] = True
        before = (h.opinion[targeted] > 0.5).mean()
        model.committee.amend(0.3, 0.5)
        model.set_anchors(keep_opinions=True)
        gains.append((h.opinion[targeted] > 0.5).mean() - before)
    assert np.mean(gains) > 0.05


def test_shiyou_units_agree_only_after_compensating_the_structures_users():
    outcomes = [run_model("scenario=shiyou_compound", "package=shiyou_renewal", f"seed={s}",
                          "days=200") for s in SEEDS]
    first_rounds = [meetings(m)["passed"].iloc[0] for m in outcomes]
    assert not any(first_rounds)
    assert all(m.committee.adopted_day is not None for m in outcomes)
    assert all(m.committee.compensation > 0 for m in outcomes)
