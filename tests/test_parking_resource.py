"""Parking as a negotiated resource: how flats evaluate a package on its terms, who objects
and why, and what adopting it puts in force."""

import numpy as np
import pytest
from conftest import config
from resource_contract import ResourceContract

from sim.model import CommunityModel
from sim.resources.interface import Resource
from sim.resources.parking.resource import KNOBS, full_terms

PACKAGE = ("package=xiaonanzhuang_2024", "decision=civil_code_278")


@pytest.fixture(scope="module")
def model():
    return CommunityModel(config(*PACKAGE))


def terms(**levels):
    return full_terms(levels)


def test_parking_is_a_resource_the_negotiation_can_work_with(model):
    assert isinstance(model.resource, Resource)
    assert model.resource.changes_anything() and model.resource.major()


def test_an_owner_living_elsewhere_gains_the_landlord_share_of_the_tenants_gain(model):
    h = model.households
    evaluation = model.resource.evaluate(terms())
    np.testing.assert_array_equal(evaluation.owner[h.owner], evaluation.resident[h.owner])
    share = model.config.behaviour.opinion.landlord_share
    np.testing.assert_allclose(evaluation.owner[~h.owner], share * evaluation.resident[~h.owner])


def test_a_lower_price_raises_every_car_owners_gain_and_no_one_elses(model):
    h = model.households
    full = model.resource.evaluate(terms()).resident
    cheaper = model.resource.evaluate(terms(price=0.7)).resident
    assert (cheaper >= full - 1e-12).all()
    assert (cheaper[h.cars > 0] > full[h.cars > 0]).any()
    np.testing.assert_allclose(cheaper[h.cars == 0], full[h.cars == 0])


def test_compensation_makes_good_the_re_striped_frontage(model):
    restripe = next(m for m in model.resource.package.supply if m.name == "restripe")
    gain = model.resource.evaluate(terms()).resident
    made_good = model.resource.evaluate(terms(compensation=1.0)).resident
    np.testing.assert_allclose(made_good - gain, restripe.params.frontage_loss * restripe.fronting)


def test_a_second_car_quota_gives_second_cars_spaces_first_cars_of_tenants_would_get():
    # Second cars common and spaces short: owners' first cars are served, tenants' are not all.
    m = CommunityModel(config(*PACKAGE, "scenario.cars=800", "scenario.second_car_share=0.7"))
    r, h = m.resource, m.households
    value, quota = r._parking_value(terms()), r._parking_value(terms(second_car_quota=0.2))
    second = 2  # the column of second cars' access
    two_cars = h.cars >= 2
    assert quota[two_cars, second].sum() > value[two_cars, second].sum()
    tenants_first = 1
    assert quota[~h.owner, tenants_first].sum() < value[~h.owner, tenants_first].sum()


def test_objections_name_each_losing_flats_largest_loss(model):
    r = model.resource
    evaluation = r.evaluate(terms())
    objections = r.objections(terms(), evaluation)
    assert len(objections.reasons) == len(objections.remedies)
    assert set(objections.remedies) - {None} <= set(KNOBS)
    losing = objections.reason >= 0
    assert (evaluation.resident[losing] < 0).all()
    assert losing.sum() > 0
    frontage = objections.reasons.index("frontage_restriped")
    assert objections.remedies[frontage] == "compensation"
    restripe = next(m for m in r.package.supply if m.name == "restripe")
    assert restripe.fronting[objections.reason == frontage].all()


def test_the_log_names_the_terms_that_differ_from_the_package(model):
    r = model.resource
    assert r.describe(terms()) == r.package.summary()
    label = r.describe(terms(price=0.85, second_car_quota=0.1))
    assert label.endswith("(second car quota 10%, price ×0.85)")


def test_adopting_puts_the_terms_prices_and_quotas_in_force():
    m = CommunityModel(config(*PACKAGE))
    m.resource.adopt(terms(price=0.5, tenant_quota=0.1, second_car_quota=0.2), day=3)
    committee = m.committee
    assert committee.adopted_day == 3 and committee.quotas == (0.1, 0.2)
    stated = m.resource.package.pricing.params
    assert committee.rules.pricing.params.fixed_price == 0.5 * stated.fixed_price
    assert committee.rules.pricing.params.temporary_price == stated.temporary_price


class TestParkingContract(ResourceContract):
    @pytest.fixture
    def make_resource(self):
        return lambda seed: CommunityModel(config(*PACKAGE, f"seed={seed}")).resource

    @pytest.fixture
    def households(self):
        return config(*PACKAGE).scenario.households

    def terms(self, resource):
        return [terms(), terms(price=0.7), terms(price=3.0), terms(tenant_quota=0.2),
                terms(second_car_quota=0.2, compensation=1.0)]
