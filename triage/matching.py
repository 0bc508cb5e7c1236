"""Is this the same child? A Vietnamese-aware comparison of two child records (issue 12, item 3).

Pure: no database, no request. ``compare(probe, candidate)`` returns a score in [0, 1] and the
reasons, each a short code with its weight, that the pages and the API translate.

What Vietnamese names do to a naive comparison, and what is done about it:
- diacritics are typed or not ("Nguyễn Thị Thu" / "Nguyen Thi Thu"): compared folded (đ → d);
- the order changes: family, middle, given ("Nguyễn Văn An") is written given-first by foreign or
  hotline systems ("An Nguyen Van") or with the middle name dropped: tokens are matched as a set,
  the given name weighing most, the common family and middle names least;
- abbreviations on paper lists: "Ng." for Nguyễn, "Th." for Thị, "V." for Văn, "Tr." for Trần;
- misspellings that follow the sound (y/i, ph/f, c/k/q, d/gi/r, s/x, ch/tr, dropped final g/h):
  tokens are compared by a sound key and by edit distance.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from casework.models.people import fold

# Abbreviations written on commune lists (with or without the dot).
ABBREVIATIONS = {
    "ng": "nguyen", "nguy": "nguyen", "th": "thi", "v": "van", "tr": "tran", "ph": "pham", "hg": "hoang",
    "dg": "duong",
}
ABBREVIATED = re.compile(r"(^|\s)[a-z]{1,4}\.")
# Any other single letter with a dot is an initial: it stands for any name starting with it.
INITIAL = "*"
# Common family names and middle names: that two children share them says little.
COMMON = {"nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do", "ho", "ngo",
          "duong", "ly", "van", "thi", "duc", "minh", "ngoc", "thanh", "hoai", "kim", "quoc", "gia", "bao"}

# Family names that are not also given names: two children with different ones are two families.
FAMILY_NAMES = {"nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vo", "dang", "bui", "do", "ho", "ngo",
                "duong", "dinh", "truong", "luong", "chau", "ta", "quach", "kieu", "ly"}

# Spellings that sound alike (northern and southern pronunciations, common slips), applied in order.
SOUND_RULES = [
    (r"^ngh", "ng"), (r"^gh", "g"), (r"^gi", "d"), (r"^r", "d"), (r"^tr", "ch"), (r"^x", "s"),
    (r"ph", "f"), (r"^qu", "kw"), (r"^[ck]", "k"), (r"y", "i"), (r"uy", "ui"), (r"nh$", "n"), (r"ng$", "n"),
    (r"c$", "t"), (r"ch$", "t"), (r"(.)\1", r"\1"),
]


def tokens(name: str) -> list[str]:
    """Folded tokens with abbreviations expanded ("Ng. Th. Lan" → nguyen thi lan)."""
    out = []
    for raw in re.split(r"[\s,;/]+", fold(name).replace("-", " ")):
        dotted = raw.endswith(".")
        word = raw.strip(".")
        if not word:
            continue
        if (dotted or len(word) <= 2) and word in ABBREVIATIONS:
            out.append(ABBREVIATIONS[word])
        elif dotted and len(word) == 1:
            out.append(word + INITIAL)
        else:
            out.append(word)
    return out


@lru_cache(maxsize=50_000)
def sound_key(token: str) -> str:
    key = token
    for pattern, repl in SOUND_RULES:
        key = re.sub(pattern, repl, key)
    return key


def _distance(a: str, b: str) -> int:
    """Edit distance counting a swap of two neighbouring letters as one slip ("Taun" for Tuấn)."""
    if a == b:
        return 0
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


@lru_cache(maxsize=200_000)
def token_similarity(a: str, b: str) -> tuple[float, str]:
    """(similarity, how) of two folded tokens: exact, sound-alike, one slip, or different."""
    if a == b:
        return 1.0, "exact"
    if a.endswith(INITIAL) or b.endswith(INITIAL):
        initial, other = (a, b) if a.endswith(INITIAL) else (b, a)
        return (0.8, "initial") if other.startswith(initial[0]) and not other.endswith(INITIAL) else (0.0, "")
    if sound_key(a) == sound_key(b):
        return 0.9, "sound"
    longest = max(len(a), len(b))
    if longest >= 3 and _distance(a, b) == 1 and a[0] == b[0]:
        return 0.8, "typo"
    if longest >= 4 and _distance(a, b) == 1:
        return 0.8, "typo"
    if longest >= 6 and _distance(a, b) == 2:
        return 0.6, "typo"
    return 0.0, ""


def _weight(token: str) -> float:
    return 0.35 if token in COMMON else 1.0


def _given(toks: list[str]) -> str:
    """The given name: the last token that is not a common family or middle name (the last one
    in Vietnamese order; also right when a system wrote the family name last)."""
    for t in reversed(toks):
        if t not in COMMON:
            return t
    return toks[-1] if toks else ""


@dataclass
class Person:
    """What the finder compares: a child on a report, in the registry or in an imported row."""

    full_name: str
    date_of_birth: dt.date | None = None
    estimated_age: int | None = None
    age_on: dt.date | None = None     # the day the estimated age was given
    sex: str = "unknown"
    commune_id: int | None = None
    parents: str = ""
    personal_id: str = ""
    ref: object = None               # the record it stands for (a Child, a row number)
    _toks: list[str] = field(default_factory=list, repr=False)

    def name_tokens(self) -> list[str]:
        if not self._toks:
            self._toks = tokens(self.full_name)
        return self._toks

    def birth_year(self) -> float | None:
        if self.date_of_birth:
            return self.date_of_birth.year + (self.date_of_birth.timetuple().tm_yday - 1) / 366
        if self.estimated_age is not None:
            base = self.age_on or dt.date.today()
            return base.year - self.estimated_age - 0.5
        return None


@dataclass
class Match:
    score: float
    reasons: list[tuple[str, float]]
    candidate: Person


def name_match(a: list[str], b: list[str]) -> tuple[float, list[str]]:
    """How alike two names are (0–1) and why, matching tokens in any order."""
    if not a or not b:
        return 0.0, []
    pairs = sorted(((token_similarity(x, y), i, j) for i, x in enumerate(a) for j, y in enumerate(b)),
                   key=lambda p: -p[0][0])
    used_a, used_b, got, hows = set(), set(), 0.0, set()
    matched = {}
    for (sim, how), i, j in pairs:
        if sim <= 0 or i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        got += sim * max(_weight(a[i]), _weight(b[j]))
        matched[i] = j
        hows.add(how)
    total = max(sum(_weight(t) for t in a), sum(_weight(t) for t in b))
    score = got / total if total else 0.0
    reasons = []
    # Another given name is most likely another child, whatever else matches. The given name is
    # looked for anywhere in the other name: a reordered name still carries it.
    given_a, given_b = _given(a), _given(b)
    if not any(token_similarity(given_a, t)[0] for t in b) and not any(token_similarity(given_b, t)[0] for t in a):
        score *= 0.35
    fam_a, fam_b = set(a) & FAMILY_NAMES, set(b) & FAMILY_NAMES
    if fam_a and fam_b and not any(token_similarity(x, y)[0] for x in fam_a for y in fam_b):
        score *= 0.6
    if score > 0:
        if a == b:
            reasons.append("name_same")
        elif sorted(a) == sorted(b):
            reasons.append("name_reordered")
        else:
            if hows - {"exact", "initial"}:
                reasons.append("name_spelling")
            if len(a) != len(b):
                reasons.append("name_partial")
            if [a[i] for i in sorted(matched)] != [b[matched[i]] for i in sorted(matched)]:
                reasons.append("name_reordered")
    return min(score, 1.0), reasons


def compare(probe: Person, cand: Person) -> Match:
    reasons: list[tuple[str, float]] = []
    if probe.personal_id and cand.personal_id:
        if probe.personal_id.strip() == cand.personal_id.strip():
            return Match(1.0, [("personal_id_same", 1.0)], cand)
        # Two different identification numbers are two people.
        return Match(0.0, [("personal_id_differs", -1.0)], cand)
    name, name_reasons = name_match(probe.name_tokens(), cand.name_tokens())
    score = 0.55 * name
    raw_probe, raw_cand = fold(probe.full_name), fold(cand.full_name)
    for code in name_reasons:
        if code == "name_same" and probe.full_name.strip() != cand.full_name.strip() and raw_probe == raw_cand:
            code = "name_same_without_diacritics"
        reasons.append((code, round(0.55 * name, 3)))
    if name > 0 and any(ABBREVIATED.search(n) for n in (raw_probe, raw_cand)):
        reasons.append(("name_abbreviation", 0.0))
    yp, yc = probe.birth_year(), cand.birth_year()
    both_dates = bool(probe.date_of_birth and cand.date_of_birth)
    if both_dates and probe.date_of_birth == cand.date_of_birth:
        score += 0.3
        reasons.append(("dob_same", 0.3))
    elif yp is not None and yc is not None:
        gap = abs(yp - yc)
        if both_dates and gap <= 1.0:
            # Two dates written down that differ: a slip is possible, another child likelier.
            score += 0.05
            reasons.append(("dob_close", 0.05))
        elif not both_dates and gap <= 1.6:
            # An estimated age is off by a year either way.
            score += 0.18
            reasons.append(("age_close", 0.18))
        elif gap > (1.5 if both_dates else 3):
            score -= 0.25
            reasons.append(("age_far", -0.25))
    if "unknown" not in (probe.sex, cand.sex):
        if probe.sex == cand.sex:
            score += 0.05
            reasons.append(("sex_same", 0.05))
        else:
            score -= 0.3
            reasons.append(("sex_differs", -0.3))
    if probe.commune_id and cand.commune_id and probe.commune_id == cand.commune_id:
        score += 0.05
        reasons.append(("commune_same", 0.05))
    if probe.parents and cand.parents:
        pa, pc = tokens(probe.parents), tokens(cand.parents)
        parents, _ = name_match(pa, pc)
        if parents >= 0.6:
            score += 0.1 * parents
            reasons.append(("parents_alike", round(0.1 * parents, 3)))
    return Match(max(0.0, min(score, 1.0)), reasons, cand)


SUGGEST_AT = 0.55   # below this, a candidate is not worth a person's attention
RELATIVE_MARGIN = 0.2


def rank(probe: Person, candidates, *, limit: int = 10, threshold: float = SUGGEST_AT) -> list[Match]:
    """The candidates most likely the same child, best first, above ``threshold``."""
    found = [m for m in (compare(probe, c) for c in candidates) if m.score >= threshold]
    found.sort(key=lambda m: -m.score)
    # Far below the best match, a candidate only distracts from it.
    return [m for m in found if m.score >= found[0].score - RELATIVE_MARGIN][:limit] if found else []


# First letters that the same sound is written with: a pre-filter on the name's start must try each.
ALTERNATE_STARTS = [("ph", "f"), ("f", "ph"), ("gi", "d"), ("d", "gi"), ("r", "d"), ("d", "r"), ("tr", "ch"),
                    ("ch", "tr"), ("x", "s"), ("s", "x"), ("k", "c"), ("c", "k"), ("q", "k"), ("ngh", "ng"),
                    ("gh", "g")]


def blocking_keys(name: str) -> list[str]:
    """What a database pre-filter looks for before the comparison ranks: the first three letters
    of each distinctive name token (most slips are later in the word), also as the sound-alike
    spellings of its first letters would write it."""
    named = [t for t in tokens(name) if not t.endswith(INITIAL)]
    toks = [t for t in named if t not in COMMON] or named
    keys = set()
    for t in toks:
        keys.add(t[:3])
        for a, b in ALTERNATE_STARTS:
            if t.startswith(a):
                keys.add((b + t[len(a):])[:3])
        keys.add(t[:3].replace("y", "i"))
        keys.add(t[:3].replace("i", "y"))
    return sorted(k for k in keys if k)


def passes_block(keys: list[str], folded_name: str) -> bool:
    """The in-memory twin of the SQL pre-filter (``name_folded`` contains one of the keys)."""
    return any(k in folded_name for k in keys)


__all__ = ["ABBREVIATIONS", "SUGGEST_AT", "Match", "Person", "blocking_keys", "compare", "passes_block", "rank", "sound_key",
           "tokens"]
