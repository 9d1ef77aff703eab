"""Every form that is sent empty and re-rendered with its errors answers 400, in every app.

The walk reuses the board-member walk's URL resolver and records: each page URL is posted empty
by each role that works with forms. A page that shows the form again must answer 400; a redirect
(a form whose fields are all optional), 403, 404 or 405 are the other honest answers. A 200 for
a POST is the defect: the browser, the tests and the logs would all read a failure as success.
"""

from tests.qa.test_board_member_identity import _every_url, identities  # noqa: F401

ROLES = ["iro_allocated", "team_manager", "head_of_service", "administrator"]


def _page_urls(ids):
    return [
        url
        for url in _every_url(ids)
        if not url.startswith(("/api/", "/calendar/", "/health/", "/accounts/"))
        and not url.endswith((".csv", ".xlsx", ".ics", ".json"))
    ]


def test_an_empty_post_to_any_form_answers_400_never_200(identities, personas, login):  # noqa: F811
    ids, _secrets, _children = identities
    wrong, rerendered = [], []
    for role in ROLES:
        client = login(personas[role])
        for url in _page_urls(ids):
            # What a browser sends for a form left empty: only the CSRF token.
            response = client.post(url, {"csrfmiddlewaretoken": "empty-form"})
            assert response.status_code < 500, f"{role} {url} answered {response.status_code}"
            if response.status_code == 200:
                wrong.append((role, url))
            elif response.status_code == 400:
                rerendered.append((role, url))
    print("WRONG", wrong)
    print("OK", rerendered)
    assert wrong == []
    # The walk reached the forms of every app, not only refusals.
    reached = {url.split("/")[1] for _role, url in rerendered}
    assert {"children", "reviews", "protection", "escalations"} <= reached
    assert len(rerendered) >= 25
