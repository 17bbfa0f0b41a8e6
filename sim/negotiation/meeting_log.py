"""The meeting log: one row per meeting (协商议事会) or imposition, and the groups it reports.

:data:`MEETING_COLUMNS` is the one list of the log's columns (``meetings.parquet``, the app's
meeting table).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from sim.estate.electorate import CAR_GROUPS, GROUPS, Electorate
from sim.negotiation.decision import Outcome

FAILURES = ("quorum", "threshold", "veto")
"""What a vote can fail on."""

MEETING_COLUMNS = (
    "day", "round", "called_on", "proposal", "changed",
    "attendance_heads", "attendance_area", "yes_heads", "yes_area", "quorum_met", "agreed",
    "passed", "failed_on", "ballots_in_person", "ballots_written", "ballots_online", "visits",
    *(f"turnout_{g}" for g in (*GROUPS, *CAR_GROUPS)),
    *(f"yes_{g}" for g in (*GROUPS, *CAR_GROUPS)),
)
"""When and why the meeting was called, the proposal and what changed from the last one,
attendance and yes shares of the electorate by head count and floor area, the outcome and
what it failed on, ballots by channel, the leads' visits before it, and turnout and yes shares
by group (resident owners, absentee owners, tenants; resident households with 0, 1, 2+
cars)."""


def groups(electorate: Electorate) -> dict[str, np.ndarray]:
    """The reported groups as bool masks over the voters: roles, and resident households by
    cars."""
    masks = {g: electorate.role == i for i, g in enumerate(GROUPS)}
    cars = electorate.car_class()
    masks |= {g: electorate.resident & (cars == i) for i, g in enumerate(CAR_GROUPS)}
    return masks


def row(*, day: int, round: int, called_on: str, proposal: str, changed: str,
        outcome: Outcome, electorate: Electorate, took_part: np.ndarray, yes: np.ndarray,
        ballots: dict[str, int], visits: int) -> dict:
    """One row of the log (:data:`MEETING_COLUMNS`).

    Args:
        took_part, yes: bool per voter.
        ballots: ballots counted per channel name.
    """
    masks = groups(electorate)
    return {
        "day": day, "round": round, "called_on": called_on, "proposal": proposal,
        "changed": changed, **dataclasses.asdict(outcome),
        "ballots_in_person": ballots.get("in_person", 0),
        "ballots_written": ballots.get("written_ballot", 0),
        "ballots_online": ballots.get("online", 0),
        "visits": visits,
        **{f"turnout_{g}": share(took_part & m, m) for g, m in masks.items()},
        **{f"yes_{g}": share(yes & took_part & m, took_part & m) for g, m in masks.items()},
    }


def share(part: np.ndarray, whole: np.ndarray) -> float | None:
    """part / whole as counts of True (None when the group is empty)."""
    n = int(np.count_nonzero(whole))
    return int(np.count_nonzero(part)) / n if n else None


def changes(before: dict[str, float] | None, after: dict[str, float]) -> str:
    """What changed between two proposals' terms, e.g. ``price 1→0.85``."""
    if before is None:
        return ""
    return "; ".join(f"{knob} {before[knob]:g}→{after[knob]:g}" for knob in after
                     if before[knob] != after[knob])
