"""Build the national benchmark data set: ``manage.py gen_national --scale 0.01 --seed 1``.

The generator lives in ``bench/national.py`` (docs/decisions/0008-data-generator.md); this
command is its entry point so it runs with the project's settings and database. It refuses a
database that already holds cases, and writes a summary (row counts, the busiest commune, a case
with a 300-event timeline) to ``--summary`` for ``make bench``.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Generate a deterministic national data set (34 provinces, 3,321 communes, cases, events)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=0.01, help="1 = 2 M children, 300 k cases (default 0.01)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--summary", default="var/gen_national.json")

    def handle(self, *args, scale, seed, summary, **options):
        from bench.national import generate

        if not 0 < scale <= 1:
            raise CommandError("--scale is a fraction in (0, 1].")
        try:
            result = generate(scale=scale, seed=seed, log=self.stdout.write)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        path = Path(summary)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result, indent=1, ensure_ascii=False))
        self.stdout.write(json.dumps(result, ensure_ascii=False))
