"""Every article the engine cites exists in the table of articles (casework.legal), and citations
are written the Vietnamese way on data and printed forms (issue 8, item 5)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from casework.legal import ARTICLES, DECREE_56, LAW_ON_CHILDREN, Citation, citations_in, cite
from casework.taxonomy_data import TAXONOMY
from workflows.policy import STATUTORY

BASE = Path(settings.BASE_DIR)


def test_every_taxonomy_citation_exists():
    cited = [(kind, code, article) for kind, rows in TAXONOMY.items() for code, _vi, _en, article, *_ in rows if article]
    assert cited
    for kind, code, article in cited:
        found = citations_in(article)
        assert found, (kind, code, article)
        assert all(c.exists() for c in found), (kind, code, article)
        assert "art." not in article and "NĐ 56" not in article, (kind, code, article)


@pytest.mark.parametrize("code, expected", [
    ("violence", "khoản 6 Điều 4 Luật Trẻ em"), ("exploitation", "khoản 7 Điều 4 Luật Trẻ em"),
    ("sexual_abuse", "khoản 8 Điều 4 Luật Trẻ em"), ("abandonment", "khoản 9 Điều 4 Luật Trẻ em"),
    ("neglect", "khoản 9 Điều 4 Luật Trẻ em"), ("trafficking", "khoản 2 Điều 6 Luật Trẻ em"),
])
def test_law_on_children_definitions(code, expected):
    assert {row[0]: row[3] for row in TAXONOMY["abuse_form"]}[code] == expected


def test_art_50_2_d_and_e_are_counselling_parents_and_legal_aid():
    measures = {row[0]: row[3] for row in TAXONOMY["measure"]}
    assert measures["intervention_family_counselling"] == "điểm đ khoản 2 Điều 50 Luật Trẻ em"
    assert measures["intervention_legal_aid"] == "điểm e khoản 2 Điều 50 Luật Trẻ em"


def test_emergency_duties_are_art_31_3_not_the_definition():
    for code, _vi, _en, article, *_ in TAXONOMY["emergency_measure"]:
        assert "khoản 1 Điều 31" not in article, code


def test_every_article_printed_on_the_forms_exists():
    for path in sorted((BASE / "templates" / "casework" / "print").glob("*.html")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"Điều \d+ khoản", text), f"{path.name}: citation written back to front"
        assert "Điều 24" not in text, path.name
        for c in citations_in(text):
            # "Điều 1./2./3." are the decision's own articles, not citations.
            if c.law == DECREE_56 and c.article in (1, 2, 3) and c.clause is None:
                continue
            assert c.exists(), (path.name, str(c))


def test_every_article_in_code_comments_is_in_range():
    """Docstrings cite "art. N" of Decree 56; intake is art. 25.1, never the 24 of old."""
    for folder in ("casework/services", "casework/models", "workflows"):
        for path in (BASE / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"art\. 24\b|art\. 24\.", text), path


def test_deadline_sources_cite_existing_articles():
    for kind, law in STATUTORY.items():
        for number in re.findall(r"art\. (\d+)\.(\d+)", str(law.legal_source)):
            assert Citation(DECREE_56, int(number[0]), int(number[1])).exists(), kind


def test_cite_refuses_what_the_table_lacks():
    assert cite(LAW_ON_CHILDREN, 49, 2, "a") == "điểm a khoản 2 Điều 49 Luật Trẻ em"
    assert cite(DECREE_56, 31, 3) == "khoản 3 Điều 31 Nghị định số 56/2017/NĐ-CP"
    for bad in ((DECREE_56, 24), (DECREE_56, 31, 6), (LAW_ON_CHILDREN, 50, 2, "h"), (LAW_ON_CHILDREN, 1, None, "a")):
        with pytest.raises(ValueError):
            cite(*bad)
    assert set(ARTICLES) == {LAW_ON_CHILDREN, DECREE_56}
