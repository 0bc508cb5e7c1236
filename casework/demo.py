"""The cast of people, places and organisations shared by the demo and the tests.

Two provinces; province P1 has communes A and B (with villages), province P2 has commune C.
Each commune has a People's Committee, police, a health station, a justice officer and a school.
One user per role of DOMAIN.md §1, named like the test personas (``officer_a`` …).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from permissions.models import Role, RoleAssignment
from permissions.roles import RoleCode

from .models import Area, AreaKind, Organisation
from .models import OrganisationKind as OK

DEMO_PASSWORD = "Demo-2026-bvte"
REFORM_DAY = dt.date(2025, 7, 1)


@dataclass
class World:
    areas: dict[str, Area] = field(default_factory=dict)
    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)

    def __getattr__(self, name):
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


# code, name, kind, parent
AREAS = [
    ("p1", "79", "Thành phố Hồ Chí Minh", AreaKind.PROVINCE, None),
    ("a", "26734", "Phường Bến Thành", AreaKind.COMMUNE, "p1"),
    ("a_v1", "2673401", "Khu phố 1", AreaKind.VILLAGE, "a"),
    ("a_v2", "2673402", "Khu phố 2", AreaKind.VILLAGE, "a"),
    ("b", "26740", "Phường Sài Gòn", AreaKind.COMMUNE, "p1"),
    ("b_v1", "2674001", "Khu phố 3", AreaKind.VILLAGE, "b"),
    ("p2", "01", "Thành phố Hà Nội", AreaKind.PROVINCE, None),
    ("c", "00004", "Phường Ba Đình", AreaKind.COMMUNE, "p2"),
]

COMMUNE_ORGS = [
    ("committee", "UBND {name}", OK.PEOPLES_COMMITTEE),
    ("police", "Công an {name}", OK.POLICE),
    ("health", "Trạm Y tế {name}", OK.HEALTH_STATION),
    ("justice", "Tư pháp – Hộ tịch {name}", OK.JUSTICE),
    ("school", "Trường Tiểu học {name}", OK.SCHOOL),
]

# username, full name, role, organisation key, area key
PEOPLE = [
    ("counsellor_a", "Nguyễn Thị Lan", RoleCode.SCHOOL, "a.school", "a"),
    ("officer_a", "Trần Văn Minh", RoleCode.OFFICER, "a.committee", "a"),
    ("chair_a", "Lê Thị Hồng", RoleCode.CHAIR, "a.committee", "a"),
    # Decides only under a recorded delegation from the chairperson (permissions.rules.decider).
    ("deputy_a", "Hồ Văn Sơn", RoleCode.DEPUTY_CHAIR, "a.committee", "a"),
    ("police_a", "Phạm Quốc Bảo", RoleCode.POLICE, "a.police", "a"),
    ("health_a", "Võ Thị Mai", RoleCode.HEALTH, "a.health", "a"),
    ("justice_a", "Đặng Văn Tú", RoleCode.JUSTICE, "a.justice", "a"),
    ("village_a", "Bùi Văn Hải", RoleCode.VILLAGE, "a_v1.village", "a_v1"),
    ("counsellor_b", "Hoàng Thị Thu", RoleCode.SCHOOL, "b.school", "b"),
    ("officer_b", "Ngô Văn Nam", RoleCode.OFFICER, "b.committee", "b"),
    ("chair_b", "Đỗ Thị Ngọc", RoleCode.CHAIR, "b.committee", "b"),
    ("police_b", "Lý Văn Đức", RoleCode.POLICE, "b.police", "b"),
    ("officer_c", "Vũ Thị Hà", RoleCode.OFFICER, "c.committee", "c"),
    ("chair_c", "Mai Văn Long", RoleCode.CHAIR, "c.committee", "c"),
    ("provider_p1", "Trịnh Thị Yến", RoleCode.PROVIDER, "p1.social_work", "p1"),
    ("supervisor_p1", "Phan Văn Khoa", RoleCode.SUPERVISOR, "p1.supervisory", "p1"),
    ("supervisor_p2", "Châu Thị Diễm", RoleCode.SUPERVISOR, "p2.supervisory", "p2"),
    ("hotline", "Tổng đài 111", RoleCode.HOTLINE, "hotline", "p1"),
]


def build_world(*, password: str | None = DEMO_PASSWORD) -> World:
    """Create (or find) the cast. Idempotent, so ``load_demo`` can run twice."""
    world = World()
    for key, code, name, kind, parent in AREAS:
        parent_area = world.areas.get(parent) if parent else None
        area, _ = Area.objects.get_or_create(
            code=code, parent=parent_area,
            defaults=dict(name=name, kind=kind, valid_from=REFORM_DAY))
        world.areas[key] = area
    for key in ("a", "b", "c"):
        commune = world.areas[key]
        for suffix, pattern, kind in COMMUNE_ORGS:
            world.orgs[f"{key}.{suffix}"], _ = Organisation.objects.get_or_create(
                name=pattern.format(name=commune.name), kind=kind, area=commune)
    for key in ("a_v1", "a_v2", "b_v1"):
        village = world.areas[key]
        world.orgs[f"{key}.village"], _ = Organisation.objects.get_or_create(
            name=f"{village.name}, {village.parent.name}", kind=OK.VILLAGE, area=village)
    for key in ("p1", "p2"):
        province = world.areas[key]
        world.orgs[f"{key}.social_work"], _ = Organisation.objects.get_or_create(
            name=f"Trung tâm Công tác xã hội {province.name}", kind=OK.SOCIAL_WORK_CENTRE, area=province)
        world.orgs[f"{key}.supervisory"], _ = Organisation.objects.get_or_create(
            name=f"Sở Y tế {province.name}", kind=OK.SUPERVISORY, area=province)
    world.orgs["hotline"], _ = Organisation.objects.get_or_create(
        name="Tổng đài quốc gia bảo vệ trẻ em 111", kind=OK.HOTLINE, area=world.areas["p1"])

    User = get_user_model()
    roles = {r.code: r for r in Role.objects.all()}
    for username, full_name, role, org_key, area_key in PEOPLE:
        # Vietnamese names read family name first: keep the whole name in one field.
        user, created = User.objects.get_or_create(username=username, defaults=dict(
            first_name=full_name, email=f"{username}@example.invalid"))
        if created:
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
        RoleAssignment.objects.get_or_create(
            user=user, role=roles[role], organisation=world.orgs[org_key], defaults=dict(area=world.areas[area_key]))
        world.users[username] = user
    admin, created = User.objects.get_or_create(username="admin", defaults=dict(
        is_staff=True, is_superuser=True, first_name="Quản trị", email="admin@example.invalid"))
    if created:
        admin.set_password(password) if password else admin.set_unusable_password()
        admin.save()
    world.users["admin"] = admin
    return world
