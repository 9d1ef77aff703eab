"""Home pages and child record sections read consistently across the apps."""

import re

import pytest
from django.urls import reverse


def _h2_classes(html: str) -> set[str]:
    main = html[html.index("<main") :]
    return {
        cls
        for cls in re.findall(r'<h2 class="([^"]*)"', main)
        if not any(
            part in cls for part in ("notification-banner", "error-summary", "visually-hidden")
        )
    }


@pytest.mark.parametrize("persona", ["iro_allocated", "team_manager", "head_of_service"])
def test_home_page_panels_share_one_heading_size(persona, personas, child, login):
    html = login(personas[persona]).get(reverse("home")).content.decode()
    assert _h2_classes(html) == {"govuk-heading-m"}


def test_child_record_sections_share_one_heading_size(iro_allocated, child, login):
    html = login(iro_allocated).get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "IRO concerns and escalations" in html
    assert _h2_classes(html) == {"govuk-heading-m"}


def test_the_administrator_home_offers_its_links_without_saying_there_is_nothing_to_do(
    administrator, login
):
    html = login(administrator).get(reverse("home")).content.decode()
    assert "Users and roles" in html
    assert "nothing for you to do" not in html
