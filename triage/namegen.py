"""A generated registry of Vietnamese children and reports about them written the ways reports
really arrive (no diacritics, reordered, abbreviated, misspelled, an estimated age): the test set
of the duplicate finder (bench/duplicates.py, tests/triage/test_matching.py). Seeded: the same
seed gives the same set."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass

from .matching import Person

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Đinh", "Trương", "Mai", "Lương", "Châu", "Tạ", "Quách", "Kiều"]
FAMILY_WEIGHTS = [38, 11, 9, 7, 5, 4, 4, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Thanh", "Gia", "Công", "Đình", "Xuân"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Hoài", "Bảo", "Diệu", "Phương"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Huy", "Khang", "Khoa", "Kiên", "Long",
           "Lộc", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thịnh",
           "Toàn", "Trí", "Trung", "Tuấn", "Vinh", "Việt", "Vũ", "Duy", "Khánh", "Phát", "Thiện"]
GIVEN_F = ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Huyền", "Lan", "Linh", "Loan", "Mai",
           "My", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quyên", "Thảo", "Thúy", "Trang", "Trinh", "Uyên",
           "Vân", "Vy", "Xuân", "Yến", "Ngọc", "Nhi", "Thư", "Tâm", "Hằng", "Quỳnh", "Diễm"]
ABBR = {"Nguyễn": "Ng.", "Thị": "Th.", "Văn": "V.", "Trần": "Tr.", "Phạm": "Ph.", "Hoàng": "H.", "Lê": "L."}
# Misspellings that follow the sound or a slip of the keyboard.
SLIPS = [("y", "i"), ("i", "y"), ("ph", "f"), ("gi", "d"), ("tr", "ch"), ("x", "s"), ("nh", "n"), ("ng", "n"),
         ("uy", "ui"), ("qu", "q"), ("c", "k"), ("d", "r")]

VARIANTS = ("no_diacritics", "reordered", "abbreviated", "misspelled", "middle_dropped", "estimated_age",
            "combined")


def strip_marks(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


@dataclass
class Probe:
    person: Person
    truth: object        # the ref of the registry child it describes, or None (a new child)
    variant: str


def _child(rng: random.Random, ref, communes: int, today: dt.date, family: str | None = None,
           parents: str | None = None) -> Person:
    sex = rng.choice(["male", "female"])
    fam = family or rng.choices(FAMILY, FAMILY_WEIGHTS)[0]
    middle = rng.choice(MIDDLE_M if sex == "male" else MIDDLE_F)
    given = rng.choice(GIVEN_M if sex == "male" else GIVEN_F)
    dob = today - dt.timedelta(days=rng.randint(365, 15 * 365))
    father = f"{fam} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"
    mother = f"{rng.choices(FAMILY, FAMILY_WEIGHTS)[0]} Thị {rng.choice(GIVEN_F)}"
    return Person(full_name=f"{fam} {middle} {given}", date_of_birth=dob, sex=sex,
                  commune_id=rng.randint(1, communes), parents=parents or f"{father}, {mother}", ref=ref)


def registry(seed: int = 12, size: int = 2000, communes: int = 12, today: dt.date | None = None) -> list[Person]:
    """``size`` children; one in ten has a sibling (same family name and parents) in the registry."""
    rng = random.Random(seed)
    today = today or dt.date(2026, 6, 1)
    people: list[Person] = []
    while len(people) < size:
        child = _child(rng, len(people), communes, today)
        people.append(child)
        if rng.random() < 0.1 and len(people) < size:
            sibling = _child(rng, len(people), communes, today, family=child.full_name.split()[0],
                             parents=child.parents)
            sibling.commune_id = child.commune_id
            people.append(sibling)
    return people


def _misspell(rng: random.Random, name: str) -> str:
    words = strip_marks(name).split()
    # A slip in the given name, where it hurts most.
    i = len(words) - 1 if rng.random() < 0.7 else rng.randrange(len(words))
    word = words[i]
    options = [(a, b) for a, b in SLIPS if a in word.lower()]
    if options:
        a, b = rng.choice(options)
        low = word.lower().replace(a, b, 1)
        word = low[:1].upper() + low[1:]
    elif len(word) > 3:
        j = rng.randrange(1, len(word) - 1)
        word = word[:j] + word[j + 1] + word[j] + word[j + 2:]   # two letters swapped
    words[i] = word
    return " ".join(words)


def variant_of(rng: random.Random, child: Person, variant: str, today: dt.date) -> Person:
    words = child.full_name.split()
    name, dob, age = child.full_name, child.date_of_birth, None
    if variant == "no_diacritics":
        name = strip_marks(name)
    elif variant == "reordered":
        name = " ".join([words[-1], *words[:-1]]) if rng.random() < 0.5 else " ".join([*words[1:], words[0]])
    elif variant == "abbreviated":
        name = " ".join(ABBR.get(w, w) for w in words)
        if name == child.full_name:
            name = " ".join([words[0][0] + ".", *words[1:]])
    elif variant == "misspelled":
        name = _misspell(rng, name)
    elif variant == "middle_dropped":
        name = " ".join([words[0], words[-1]])
    elif variant == "estimated_age":
        dob = None
        age = today.year - child.date_of_birth.year - ((today.month, today.day) <
                                                       (child.date_of_birth.month, child.date_of_birth.day))
        age += rng.choice([-1, 0, 0, 1])
    elif variant == "combined":
        name = strip_marks(" ".join([words[-1], *words[:-1]]))
        dob = None
        age = today.year - child.date_of_birth.year
    # A report carries the parents half the time, and the sex is sometimes unknown.
    parents = child.parents if rng.random() < 0.5 else ""
    sex = child.sex if rng.random() < 0.85 else "unknown"
    return Person(full_name=name, date_of_birth=dob, estimated_age=age, age_on=today, sex=sex,
                  commune_id=child.commune_id if rng.random() < 0.7 else None, parents=parents)


def probes(people: list[Person], seed: int = 12, per_variant: int = 60, new_children: int = 150,
           communes: int = 12, today: dt.date | None = None) -> list[Probe]:
    """Reports about registry children (each variant), and reports about children not in it."""
    rng = random.Random(seed + 1)
    today = today or dt.date(2026, 6, 1)
    out = []
    for variant in VARIANTS:
        for child in rng.sample(people, per_variant):
            out.append(Probe(variant_of(rng, child, variant, today), child.ref, variant))
    for k in range(new_children):
        stranger = _child(rng, f"new-{k}", communes, today)
        out.append(Probe(variant_of(rng, stranger, rng.choice(VARIANTS), today), None, "new_child"))
    return out


__all__ = ["VARIANTS", "Probe", "probes", "registry", "strip_marks", "variant_of"]


def evaluate(people: list[Person], probe_set: list[Probe], *, limit: int = 5) -> dict:
    """Precision and recall of the suggestions (every suggestion shown counts), the share of
    reports about a registry child whose child ranks first, per variant and overall."""
    from collections import defaultdict

    from casework.models.people import fold

    from .matching import blocking_keys, passes_block, rank

    folded = [(fold(p.full_name), p) for p in people]
    by_variant: dict[str, dict] = defaultdict(
        lambda: {"probes": 0, "first": 0, "found": 0, "shown": 0, "right": 0, "alarms": 0})
    for probe in probe_set:
        # The same pre-filter the database query applies (name prefixes, or the same date of birth).
        keys = blocking_keys(probe.person.full_name)
        dob = probe.person.date_of_birth
        pool = [p for f, p in folded if passes_block(keys, f) or (dob and p.date_of_birth == dob)]
        found = rank(probe.person, pool, limit=limit)
        row = by_variant[probe.variant]
        row["probes"] += 1
        row["shown"] += len(found)
        hits = [m for m in found if m.candidate.ref == probe.truth]
        row["right"] += len(hits)
        if probe.truth is None:
            row["alarms"] += bool(found)
        else:
            row["found"] += bool(hits)
            row["first"] += bool(found) and found[0].candidate.ref == probe.truth
    total = {k: sum(r[k] for r in by_variant.values()) for k in ("probes", "first", "found", "shown", "right")}
    positives = sum(r["probes"] for v, r in by_variant.items() if v != "new_child")
    return {
        "variants": dict(by_variant),
        "precision": total["right"] / total["shown"] if total["shown"] else 1.0,
        "recall": total["found"] / positives if positives else 1.0,
        "first": total["first"] / positives if positives else 1.0,
        "positives": positives,
        "shown": total["shown"],
        "new_children": by_variant["new_child"]["probes"],
        "false_alarms": by_variant["new_child"]["alarms"],
    }
