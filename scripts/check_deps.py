"""Every third-party package the code imports is a declared dependency in pyproject.toml.

`make lock` regenerates requirements.lock from pyproject.toml's pins alone, so a package that is
imported but only present in the lock (django-otp and django-axes were) would silently vanish.
Runtime code (everything but tests/, bench/, scripts/) must name its packages in
[project.dependencies]; tests, benches and scripts may also use [project.optional-dependencies].dev.

    python scripts/check_deps.py        # exit 1 and the list of undeclared imports
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".venv", "var", "node_modules", ".git", "test-artifacts"}
DEV_DIRS = {"tests", "bench", "scripts"}


def _name(requirement: str) -> str:
    return re.split(r"[\[=<>!~; ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    dev = {_name(r) for r in project.get("optional-dependencies", {}).get("dev", [])}
    return runtime, dev


def local_packages() -> set[str]:
    return {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()} | {
        p.stem for p in ROOT.glob("*.py")}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def main() -> int:
    runtime, dev = declared()
    local = local_packages()
    dists = {k: {d.lower().replace("_", "-") for d in v} for k, v in md.packages_distributions().items()}
    missing: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & SKIP_DIRS:
            continue
        allowed = runtime | dev if parts & DEV_DIRS else runtime
        for module in imports_of(path):
            if module in sys.stdlib_module_names or module in local or module == "__future__":
                continue
            providers = dists.get(module)
            if providers is None:
                missing.setdefault(f"{module} (no installed package provides it)", set()).add(str(path))
            elif not providers & allowed:
                missing.setdefault(f"{module} (from {', '.join(sorted(providers))})", set()).add(
                    str(path.relative_to(ROOT)))
    for module, paths in sorted(missing.items()):
        print(f"undeclared import {module}: {', '.join(sorted(paths)[:3])}")
    if missing:
        print("check_deps: declare these in pyproject.toml, then `make lock`", file=sys.stderr)
        return 1
    print(f"check_deps: every imported package is declared ({len(runtime)} runtime, {len(dev)} dev)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
