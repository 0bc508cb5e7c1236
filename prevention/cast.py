"""The bodies of a commune's child-work plan that casework's demo cast lacks (the mass
organisations, the commune radio), and a school principal who signs the school's plan.
Shared by the demo and the tests; idempotent."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from casework.models import Organisation
from casework.models import OrganisationKind as OK
from permissions.models import Role, RoleAssignment
from permissions.roles import RoleCode

# key suffix, name pattern — the bodies of section IV in seeds 001 and 004.
EXTRA_BODIES = [
    ("front", "Ủy ban MTTQ Việt Nam {name}"),
    ("youth", "Đoàn Thanh niên {name}"),
    ("women", "Hội Liên hiệp Phụ nữ {name}"),
    ("radio", "Đài Truyền thanh {name}"),
]
EXTRA_PEOPLE = [
    # username, full name, role, organisation key, area key
    ("principal_a", "Trương Thị Xuân", RoleCode.SCHOOL, "a.school", "a"),
]


def extend_world(world, *, password=None):
    for key in ("a", "b"):
        commune = world.areas[key]
        for suffix, pattern in EXTRA_BODIES:
            world.orgs[f"{key}.{suffix}"], _ = Organisation.objects.get_or_create(
                name=pattern.format(name=commune.name), kind=OK.OTHER, area=commune)
    User = get_user_model()
    roles = {r.code: r for r in Role.objects.all()}
    for username, full_name, role, org_key, area_key in EXTRA_PEOPLE:
        user, created = User.objects.get_or_create(username=username, defaults={
            "first_name": full_name, "email": f"{username}@example.invalid"})
        if created:
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
        RoleAssignment.objects.get_or_create(user=user, role=roles[role], organisation=world.orgs[org_key],
                                             defaults={"area": world.areas[area_key]})
        world.users[username] = user
    return world
