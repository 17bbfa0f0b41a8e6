"""The contract every negotiable resource keeps (:class:`sim.resources.interface.Resource`).

A resource's test module subclasses :class:`ResourceContract` as ``Test<Resource>Contract``
and provides two fixtures:

- ``make_resource``: a function ``seed -> a fresh resource`` built for that seed;
- ``households``: the number of households the resource serves;

and the method ``terms(resource)``: the terms to try (the neutral ones and some of their
variants, including terms under which some flat loses).
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.config import ConfigError
from sim.resources.interface import TOLERANCE, Resource


class ResourceContract:
    """Checks that hold for every resource, whatever it allocates."""

    def terms(self, resource) -> list[dict[str, float]]:
        raise NotImplementedError("a contract subclass lists the terms to try")

    @pytest.fixture
    def resource(self, make_resource):
        return make_resource(0)

    def test_it_is_a_resource(self, resource):
        assert isinstance(resource, Resource)
        assert resource.changes_anything(), "the contract needs a package that changes things"

    def test_one_finite_change_per_household_for_residents_and_owners(self, resource,
                                                                      households):
        for terms in self.terms(resource):
            evaluation = resource.evaluate(terms)
            for change in (evaluation.resident, evaluation.owner):
                assert change.shape == (households,) and np.isfinite(change).all()

    def test_same_seed_same_evaluation(self, make_resource):
        first, second = make_resource(5), make_resource(5)
        for a, b in zip(self.terms(first), self.terms(second), strict=True):
            ea, eb = first.evaluate(a), second.evaluate(b)
            assert np.array_equal(ea.resident, eb.resident)
            assert np.array_equal(ea.owner, eb.owner) and ea.gains() == eb.gains()

    def test_evaluating_changes_nothing(self, resource):
        tried = self.terms(resource)
        before = [resource.evaluate(t) for t in tried]
        for t, evaluation in zip(tried, before, strict=True):
            resource.objections(t, evaluation)
            resource.describe(t)
        after = [resource.evaluate(t) for t in tried]
        for a, b in zip(before, after, strict=True):
            assert np.array_equal(a.resident, b.resident) and a.gains() == b.gains()

    def test_only_losing_flats_object_each_for_a_named_loss(self, resource, households):
        some_lose = False
        for terms in self.terms(resource):
            evaluation = resource.evaluate(terms)
            objections = resource.objections(terms, evaluation)
            reason = objections.reason
            assert reason.shape == (households,)
            assert ((reason >= -1) & (reason < len(objections.reasons))).all()
            assert (evaluation.resident[reason >= 0] < 0).all()
            assert len(objections.remedies) == len(objections.reasons)
            some_lose |= bool((reason >= 0).any())
        assert some_lose, "the terms tried must include some under which a flat loses"

    def test_remedies_are_knobs_the_resource_knows(self, resource):
        for terms in self.terms(resource):
            objections = resource.objections(terms, resource.evaluate(terms))
            for remedy in filter(None, objections.remedies):
                resource.check_space({remedy: [terms[remedy]]}, "space")

    def test_named_objections_are_exactly_the_parties_that_lose(self, resource):
        for terms in self.terms(resource):
            evaluation = resource.evaluate(terms)
            parties = resource.objections(terms, evaluation).parties
            gains = evaluation.gains()
            assert [o.party for o in parties] == sorted(evaluation.losers(),
                                                       key=gains.__getitem__)
            for objection in parties:
                assert objection.gain == gains[objection.party] < -TOLERANCE
                assert objection.kind == ("group" if objection.party in evaluation.groups
                                          else "stakeholder")
                assert objection.reason.strip()

    def test_veto_holders_are_named_parties(self, resource):
        parties = resource.evaluate(self.terms(resource)[0]).gains()
        assert set(resource.veto_holders()) <= set(parties)

    def test_an_unknown_knob_is_refused_by_name(self, resource):
        with pytest.raises(ConfigError, match="space.no_such_knob"):
            resource.check_space({"no_such_knob": [0.0]}, "space")

    def test_the_log_tells_different_terms_apart(self, resource):
        labels = [resource.describe(t) for t in self.terms(resource)]
        assert all(label.strip() for label in labels)
        assert len(set(labels)) == len({tuple(sorted(t.items())) for t in self.terms(resource)})
