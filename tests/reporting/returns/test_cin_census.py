"""CIN census child protection module: what the XML holds for a child (the validator's own
verdict on generated data is in test_generated_returns)."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from protection import services as cp_services
from protection.models import Conference
from reporting.returns.cin_census import census_xml
from reporting.returns.ssda903 import CollectionYear
from tests.iro.factories import ChildFactory
from tests.protection.factories import book, plan_from_icpc

pytestmark = pytest.mark.django_db


def test_child_with_s47_icpc_plan_and_review(iro_allocated):
    child = ChildFactory(la_child_id="CP1", date_of_birth=date(2015, 6, 15), sex="M")
    plan = plan_from_icpc(child, iro_allocated)  # s47 from 10 April 2025, ICPC 1 May 2025
    rcpc = Conference.objects.get(plan=plan, kind="rcpc")
    book(rcpc, iro_allocated, date(2025, 7, 30))
    cp_services.conference_record_outcome(
        conference=rcpc,
        held_on=date(2025, 7, 30),
        outcome="cp_plan",
        category="NEG",
        recorded_by=iro_allocated,
    )
    root = ET.fromstring(census_xml(CollectionYear(2025)))
    assert root.findtext("Header/CollectionDetails/Year") == "2026"
    assert root.findtext("Header/CollectionDetails/ReferenceDate") == "2026-03-31"
    (element,) = root.findall("Children/Child")
    assert element.findtext("ChildIdentifiers/LAchildID") == "CP1"
    assert element.findtext("ChildIdentifiers/PersonBirthDate") == "2015-06-15"
    (cin,) = element.findall("CINdetails")
    assert cin.findtext("CINreferralDate") == "2025-04-10"
    assert cin.find("DateOfInitialCPC") is None  # recorded in the s47 module, not both (2884)
    assert cin.findtext("Section47/S47ActualStartDate") == "2025-04-10"
    # DfE basis, the start date as working day 1, over the Easter holidays of 18 and 21 April.
    assert cin.findtext("Section47/InitialCPCtarget") == "2025-05-02"
    assert cin.findtext("Section47/DateOfInitialCPC") == "2025-05-01"
    assert cin.findtext("Section47/ICPCnotRequired") == "false"
    assert cin.findtext("ChildProtectionPlans/CPPstartDate") == "2025-05-01"
    assert cin.find("ChildProtectionPlans/CPPendDate") is None
    assert cin.findtext("ChildProtectionPlans/InitialCategoryOfAbuse") == "NEG"
    assert cin.findtext("ChildProtectionPlans/NumberOfPreviousCPP") == "0"
    assert [r.text for r in cin.findall("ChildProtectionPlans/Reviews/CPPreviewDate")] == [
        "2025-07-30"
    ]
    # Outside the census year the child is not in the module.
    assert ET.fromstring(census_xml(CollectionYear(2023))).findall("Children/Child") == []
