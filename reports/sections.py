"""Sections other apps add to a report draft, without reports importing them.

An app registers a provider once (in its ``AppConfig.ready``)::

    from reports.sections import register_section
    register_section("prevention.targets", title=_("Targets and their progress"), provider=targets_progress)

``provider(*, organisation, area_path, start, end) -> dict`` returns JSON-able figures (numbers,
strings, lists, dicts; no model instances, never a child's identity). Each draft refresh calls
every provider and stores its answer under the key; the sent snapshot freezes it with the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Provider = Callable[..., dict]


@dataclass(frozen=True)
class Section:
    key: str
    title: Any  # a lazy translation, rendered in the reader's language
    provider: Provider
    order: int = 100


_REGISTRY: dict[str, Section] = {}


def register_section(key: str, *, title, provider: Provider, order: int = 100) -> None:
    """Add (or replace, on a reload) the section ``key``."""
    _REGISTRY[key] = Section(key=key, title=title, provider=provider, order=order)


def unregister_section(key: str) -> None:
    _REGISTRY.pop(key, None)


def registered_sections() -> list[Section]:
    return sorted(_REGISTRY.values(), key=lambda s: (s.order, s.key))


def collect_sections(*, organisation, area_path: str, start, end) -> dict[str, dict]:
    """Every registered section's figures for one body and period, keyed by section key."""
    out = {}
    for section in registered_sections():
        out[section.key] = {"title": str(section.title),
                            "figures": section.provider(organisation=organisation, area_path=area_path,
                                                        start=start, end=end)}
    return out
