"""Names searched for never appear in a URL (issue 8 item 12): search forms post, the term is
kept in the session under a short key, and the page's address and links carry only the key."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from safeguard.tenancy.roles import Role
from tests.cases.helpers import report
from tests.registers.helpers import make_entry, register_of
from training import actions as training_actions

NAME = "Zephyrine Quillfeather"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _urls_in(response: Any) -> list[str]:
    html = response.content.decode()
    return [response.request["PATH_INFO"] + "?" + response.request.get("QUERY_STRING", "")] + re.findall(
        r'(?:href|action|src|formaction)="([^"]*)"', html)


def _search(client: Client, url: str, data: dict[str, Any]) -> Any:
    """Search as the page's form does, following the redirect; check no URL on the way holds the name."""
    posted = client.post(url, data)
    assert posted.status_code == 303, posted.status_code
    location = posted["Location"]
    assert re.fullmatch(re.escape(url) + r"\?s=[\w-]{6,12}", location), location
    page = client.get(location)
    assert page.status_code == 200
    for link in _urls_in(page):
        for part in NAME.split():
            assert part.lower() not in link.lower(), link
    return page


def _world_with_the_name(world) -> None:
    from cases.actions import PersonData

    report(world, people=[PersonData(full_name=NAME)])
    make_entry(world, household=f"{NAME} household")
    training_actions.do_save_person(world.org, {"full_name": NAME, "reference": "Z1"}, acting_user=None)


def test_it_keeps_a_searched_name_out_of_every_url_of_each_personal_search(world) -> None:
    _world_with_the_name(world)
    pages = [
        (Role.SAFEGUARDING_MANAGER, reverse("cases:list"), {"q": NAME, "status": "open"}),
        (Role.SAFEGUARDING_MANAGER, reverse("registers:register", args=[register_of(world.area).pk]),
         {"q": NAME, "show": "open"}),
        (Role.HR_LD, reverse("training:matrix"), {"q": NAME}),
        (Role.ORG_ADMIN, reverse("people"), {"q": world.members[Role.FRONTLINE].full_name, "status": "active"}),
    ]
    for role, url, data in pages:
        client = _client(world.members[role])
        page = _search(client, url, data).content.decode()
        assert data["q"] in page, url  # found, and the box still shows what was typed
    people = _client(world.members[Role.ORG_ADMIN]).get(reverse("people")).content.decode()
    assert "Frontline officer Person" in people


def test_it_moves_an_old_link_with_a_name_to_a_clean_address(world) -> None:
    _world_with_the_name(world)
    client = _client(world.members[Role.SAFEGUARDING_MANAGER])
    response = client.get(reverse("cases:list"), {"q": NAME})
    assert response.status_code == 303 and "Zephyrine" not in response["Location"]
    assert NAME in client.get(response["Location"]).content.decode()


def test_it_keeps_the_search_across_pages_and_into_the_export(world, monkeypatch) -> None:
    import cases.views.lists
    from cases.actions import PersonData

    monkeypatch.setattr(cases.views.lists, "PAGE_SIZE", 1)
    first = report(world, people=[PersonData(full_name=f"{NAME} One")])
    second = report(world, people=[PersonData(full_name=f"{NAME} Two")])
    report(world, people=[PersonData(full_name="Someone Else")])
    client = _client(world.members[Role.SAFEGUARDING_MANAGER])
    page = _search(client, reverse("cases:list"), {"q": "Quillfeather"}).content.decode()
    assert "2 cases found" in page
    next_link = re.search(r'href="(\?s=[\w-]+&amp;page=2)"', page)
    assert next_link, "the next page link keeps the search by its key"
    page_two = client.get(reverse("cases:list") + next_link.group(1).replace("&amp;", "&")).content.decode()
    assert "2 cases found" in page_two
    assert [first.reference in page_two, second.reference in page_two].count(True) == 1

    training_actions.do_save_person(world.org, {"full_name": f"{NAME} Trainee", "reference": "Z2"}, acting_user=None)
    training_actions.do_save_person(world.org, {"full_name": "Other Trainee", "reference": "O1"}, acting_user=None)
    hr = _client(world.members[Role.HR_LD])
    matrix = _search(hr, reverse("training:matrix"), {"q": "Quillfeather"}).content.decode()
    export = re.search(r'href="(/training/matrix/export/\?s=[\w-]+&amp;format=csv)"', matrix)
    assert export, "the export link carries the key, not the name"
    text = hr.get(export.group(1).replace("&amp;", "&")).content.decode("utf-8-sig")
    assert f"{NAME} Trainee" in text and "Other Trainee" not in text


def test_it_says_a_search_has_ended_when_its_key_is_not_this_session_s(world) -> None:
    _world_with_the_name(world)
    url = reverse("cases:list")
    location = _client(world.members[Role.SAFEGUARDING_MANAGER]).post(url, {"q": NAME})["Location"]
    other = _client(world.members[Role.CASE_MANAGER]).get(location).content.decode()
    assert "That search has ended" in other and f'value="{NAME}"' not in other
