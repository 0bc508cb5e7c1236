"""Precision and recall of the duplicate-child finder on a generated test set (issue 12, item 3).

    .venv/bin/python bench/duplicates.py [--size 2000] [--per-variant 60] [--seed 12]

A registry of generated Vietnamese children (one in ten with a sibling: same family name and
parents), then reports about some of them written as reports arrive — without diacritics,
reordered, abbreviated ("Ng. Th. Lan"), misspelled, the middle name dropped, an estimated age
instead of the date of birth, and all at once — and reports about children who are not in it.
Prints, per variant: how often the right child ranks first, recall (it is among the suggestions)
and precision (the share of suggestions shown that are the right child). No database.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from triage.namegen import evaluate, probes, registry  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--per-variant", type=int, default=60)
    parser.add_argument("--new", type=int, default=150, help="reports about children not in the registry")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args(argv)
    people = registry(seed=args.seed, size=args.size)
    probe_set = probes(people, seed=args.seed, per_variant=args.per_variant, new_children=args.new)
    started = time.perf_counter()
    result = evaluate(people, probe_set)
    took = time.perf_counter() - started
    print(f"registry {len(people)} children, {len(probe_set)} reports ({result['positives']} about a registry "
          f"child), seed {args.seed}")
    print(f"{'variant':<16}{'reports':>8}{'first':>8}{'recall':>8}{'precision':>10}")
    for variant, row in result["variants"].items():
        pos = row["probes"] if variant != "new_child" else 0
        first = f"{row['first'] / pos:.3f}" if pos else "-"
        recall = f"{row['found'] / pos:.3f}" if pos else "-"
        precision = f"{row['right'] / row['shown']:.3f}" if row["shown"] else "-"
        print(f"{variant:<16}{row['probes']:>8}{first:>8}{recall:>8}{precision:>10}")
    print(f"overall: right child first {result['first']:.3f}, recall {result['recall']:.3f}, "
          f"precision {result['precision']:.3f} ({result['shown']} suggestions shown); "
          f"{1000 * took / len(probe_set):.1f} ms per report")
    print(f"reports about a child not in the registry with a suggestion anyway: {result['false_alarms']} of "
          f"{result['new_children']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
