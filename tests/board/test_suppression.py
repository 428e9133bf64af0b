"""Small numbers never reach a board figure, and totals or differences cannot give them away."""

from __future__ import annotations

import itertools

from safeguard.tenancy import suppression
from safeguard.tenancy.suppression import LABEL, NOT_SHOWN, Figure


def test_it_hides_every_count_under_five() -> None:
    assert [suppression.suppress(n) for n in range(7)] == [LABEL] * 5 + ["5", "6"]
    assert suppression.suppress(12345) == "12,345"


def test_it_shows_no_percentage_over_fewer_than_five_people() -> None:
    assert suppression.percent(0, 1) == NOT_SHOWN  # "HR: 1 person, 0%"
    assert suppression.percent(4, 4) == NOT_SHOWN
    assert suppression.percent(1, 20) == NOT_SHOWN  # would say that exactly one person is in the group
    assert suppression.percent(19, 20) == NOT_SHOWN  # would say that exactly one is outside it
    assert suppression.percent(10, 20) == "50%"
    assert suppression.percent(0, 6) == "0%" and suppression.percent(6, 6) == "100%"


def test_it_shows_a_change_only_between_two_shown_figures() -> None:
    assert suppression.change(Figure(9), Figure(3, hidden=True)) == NOT_SHOWN
    assert suppression.change(Figure(9), Figure(12)) == "down 3"
    assert suppression.change(Figure(9), Figure(9)) == "no change"


def _recoverable(cells: list[list[int]], result: dict) -> bool:
    """True if a hidden cell can be worked out from one line: total minus the shown others."""
    grid = [row + [rt] for row, rt in zip(result["cells"], result["row_totals"], strict=True)]
    grid.append(result["column_totals"] + [result["total"]])
    lines = list(grid) + [list(col) for col in zip(*grid, strict=True)]
    return any(sum(f.hidden for f in line) == 1 for line in lines)


def test_it_suppresses_a_second_cell_so_the_total_gives_nothing_away() -> None:
    result = suppression.table([[6, 1], [7, 9]])
    assert result["cells"][0][1].shown == LABEL
    assert result["cells"][0][0].shown == NOT_SHOWN  # 7 - 6 would give the 1 away
    assert not _recoverable([[6, 1], [7, 9]], result)


def test_it_never_leaves_one_hidden_cell_in_a_line_for_any_small_table() -> None:
    for values in itertools.product([0, 2, 5, 8], repeat=4):
        cells = [list(values[:2]), list(values[2:])]
        result = suppression.table(cells)
        assert not _recoverable(cells, result), cells
        for row, figures in zip(cells, result["cells"], strict=True):
            for value, figure in zip(row, figures, strict=True):
                assert figure.value == value
                assert figure.hidden or value >= 5


def test_it_suppresses_a_series_against_its_total() -> None:
    figures, total = suppression.series([10, 2, 30])
    assert [f.shown for f in figures] == ["not shown", LABEL, "30"] and total.shown == "42"


def test_it_no_longer_tells_the_board_one_persons_training(world) -> None:
    from django.test import Client
    from django.urls import reverse

    from safeguard.tenancy.roles import Role
    from training.figures import compliance
    from training.models import JobRole, Person

    role = JobRole.all_orgs.create(organisation=world.org, name="Officer", dbs_level="enhanced")
    Person.all_orgs.create(organisation=world.org, full_name="Only One", reference="H1", job_role=role,
                           department=world.second_department)
    Person.all_orgs.bulk_create([Person(organisation=world.org, full_name=f"P{i}", reference=f"P{i}", job_role=role,
                                        department=world.department) for i in range(8)])
    shown = compliance(world.org)["shown"]
    by_name = {d["name"]: d for d in shown["departments"]}
    assert by_name[world.second_department.name] == {"name": world.second_department.name,
                                                     "people": LABEL, "percent": NOT_SHOWN}
    assert by_name[world.department.name]["people"] == NOT_SHOWN  # 9 - 8 would give the one away
    assert by_name[world.department.name]["percent"] == "0%"
    client = Client()
    client.force_login(world.members[Role.BOARD_MEMBER])
    page = client.get(reverse("training:figures")).content.decode()
    assert "Only One" not in page and ">1<" not in page and "0 of 1" not in page


def test_a_line_without_a_total_is_not_suppressed_further() -> None:
    result = suppression.table([[6, 0], [7, 0]], row_totals=False)
    assert [[f.shown for f in row] for row in result["cells"]] == [["6", LABEL], ["7", LABEL]]
    assert result["column_totals"][0].shown == "13"
