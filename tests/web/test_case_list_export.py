"""The case list as an XLSX file (issue 14: exports in bounded memory): the same cases as the
list with its filters, no identity, nothing for status-only roles, and a query count that does
not grow with the rows."""

import io

import pytest
from openpyxl import load_workbook

from casework.models import Case
from tests.web.cases import report

URL = "/cases/export.xlsx"


def sheet(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(r) for r in wb.active.iter_rows(values_only=True)]


def test_the_export_is_the_list_without_the_children(as_user, world, cases):
    client = as_user("officer_a")
    rows = sheet(client.get(URL))
    header, body = rows[0], rows[1:]
    assert header[0] == "Số hồ sơ"  # Vietnamese first
    visible = set(Case.objects.filter(commune=world.areas["a"]).values_list("code", flat=True))
    assert {r[0] for r in body} >= visible and all(r[0] for r in body)
    flat = repr(rows)
    for child in {c.child for c in Case.objects.filter(code__in=[r[0] for r in body])}:
        assert child.full_name not in flat and child.full_name.split()[-1] not in flat
    # The page links to it with its filters; a filter narrows the file the same way.
    page = client.get("/cases/?status=received").content.decode()
    assert "/cases/export.xlsx?status=received" in page
    received = sheet(client.get(URL + "?status=received"))[1:]
    assert {r[0] for r in received} == set(Case.objects.filter(code__in=[r[0] for r in body], status="received")
                                           .values_list("code", flat=True))


def test_other_communes_and_status_only_roles_get_nothing(as_user, world, cases):
    b_codes = set(Case.objects.filter(commune=world.areas["b"], incident_commune=world.areas["b"])
                  .values_list("code", flat=True))
    a_rows = sheet(as_user("officer_a").get(URL))[1:]
    assert not b_codes & {r[0] for r in a_rows}
    hotline = as_user("hotline")
    assert hotline.get(URL).status_code == 404
    assert "export.xlsx" not in hotline.get("/cases/").content.decode()


def test_the_limit_is_said_in_the_file(as_user, world, cases, settings):
    settings.CASE_EXPORT_LIMIT = 2
    rows = sheet(as_user("officer_a").get(URL))
    assert len(rows) == 1 + 2 + 1 and "2 hồ sơ đầu tiên" in rows[-1][0]


def test_the_export_makes_the_same_queries_with_more_cases(as_user, world, cases, django_assert_max_num_queries):
    client = as_user("supervisor_p1")
    client.get(URL)
    with django_assert_max_num_queries(20) as few:
        first = sheet(client.get(URL))
    for i in range(12):
        report(world, name=f"Trẻ em số {i}", hours_ago=1 + i)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(sheet(client.get(URL))) == len(first) + 12


@pytest.mark.parametrize("lang, header", [("vi", "Số hồ sơ"), ("en", "Case number")])
def test_the_headers_follow_the_language(as_user, world, cases, lang, header):
    client = as_user("officer_a")
    client.cookies["django_language"] = lang
    assert sheet(client.get(URL, HTTP_ACCEPT_LANGUAGE=lang))[0][0] == header
