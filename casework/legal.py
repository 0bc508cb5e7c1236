"""The articles the engine cites, as a table, and citations written the Vietnamese way.

Every legal reference the engine stores or prints (taxonomy terms, plan measures, printed forms,
deadline sources) is checked against ``ARTICLES`` by ``tests/casework/test_citations.py``, so a
wrong or misspelled article fails a test instead of reaching a signed decision.

Citations follow the administrative style of Decree 30/2020/NĐ-CP: smallest unit first,
"điểm a khoản 2 Điều 49 Luật Trẻ em", "khoản 3 Điều 31 Nghị định số 56/2017/NĐ-CP".

Sources: Decree 56/2017 art. 25–32 and Law on Children art. 52 verbatim in shared/law; the Law on
Children art. 4 (definitions, items 5–9), 6.2 (trafficking among the prohibited acts), 10.1 a–o
(special circumstances) and 50.2 a–e checked against public copies of Law 102/2016/QH13; art.
49.2 and 50.2.g are as the seed data had them and not yet checked against the official text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LAW_ON_CHILDREN = "Luật Trẻ em"
DECREE_56 = "Nghị định số 56/2017/NĐ-CP"

POINTS_10_1 = ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o")

# law → article → clause → points (an empty tuple: the clause has no points, or none are cited).
ARTICLES: dict[str, dict[int, dict[int, tuple[str, ...]]]] = {
    LAW_ON_CHILDREN: {
        1: {},
        # Art. 4: 5 xâm hại, 6 bạo lực, 7 bóc lột, 8 xâm hại tình dục, 9 bỏ rơi, bỏ mặc trẻ em.
        4: {5: (), 6: (), 7: (), 8: (), 9: ()},
        # Art. 6.2: mua bán, bắt cóc, đánh tráo, chiếm đoạt trẻ em.
        6: {2: ()},
        10: {1: POINTS_10_1},
        47: {1: ("a", "b", "c")},
        48: {2: ("a", "b", "c", "d", "đ")},
        49: {2: ("a", "b", "c", "d", "đ")},
        50: {2: ("a", "b", "c", "d", "đ", "e", "g")},
        52: {1: (), 2: (), 3: (), 4: ()},
    },
    DECREE_56: {
        25: {1: (), 2: (), 3: ()},
        26: {1: (), 2: (), 3: ()},
        27: {1: ("a", "b", "c", "d", "đ", "e", "g", "h"), 2: ()},
        28: {1: (), 2: ("a", "b", "c"), 3: ("a", "b", "c", "d"), 4: (), 5: ()},
        29: {1: ("a", "b", "c"), 2: (), 3: (), 4: ()},
        30: {1: ("a", "b", "c"), 2: (), 3: ()},
        31: {1: (), 2: (), 3: ("a", "b", "c"), 4: ("a", "b", "c"), 5: ("a", "b", "c")},
        32: {1: (), 2: (), 3: (), 4: ()},
    },
}


@dataclass(frozen=True)
class Citation:
    law: str
    article: int
    clause: int | None = None
    point: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.point:
            parts.append(f"điểm {self.point}")
        if self.clause:
            parts.append(f"khoản {self.clause}")
        parts.append(f"Điều {self.article} {self.law}")
        return " ".join(parts)

    def exists(self) -> bool:
        clauses = ARTICLES.get(self.law, {}).get(self.article)
        if clauses is None:
            return False
        if self.clause is None:
            return self.point is None
        if self.clause not in clauses:
            return False
        return self.point is None or self.point in clauses[self.clause]


def cite(law: str, article: int, clause: int | None = None, point: str | None = None) -> str:
    """The citation as printed; ``ValueError`` for an article that is not in the table."""
    citation = Citation(law, article, clause, point)
    if not citation.exists():
        raise ValueError(f"not in the table of articles: {citation}")
    return str(citation)


_CITATION = re.compile(
    r"(?:điểm (?P<point>[a-zđ]) )?(?:khoản (?P<clause>\d+) )?Điều (?P<article>\d+)"
    r"(?: (?P<law>Luật Trẻ em|Nghị định số 56/2017/NĐ-CP))?")


def citations_in(text: str, default_law: str = DECREE_56) -> list[Citation]:
    """Every "… Điều N …" citation in ``text``; one without its law names ``default_law``."""
    found = []
    for m in _CITATION.finditer(text or ""):
        found.append(Citation(m.group("law") or default_law, int(m.group("article")),
                              int(m.group("clause")) if m.group("clause") else None, m.group("point")))
    return found


__all__ = ["ARTICLES", "DECREE_56", "LAW_ON_CHILDREN", "Citation", "citations_in", "cite"]
