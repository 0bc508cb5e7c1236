"""Print the current second-factor code of a demo user (chairpersons, supervisors, admin).

Only devices that ``load_demo`` registered (named "demo") are read: real users' authenticator
apps are never touched. Use it to follow journeys B and C without a phone:

    .venv/bin/python manage.py demo_code chair_a
"""

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current 6-digit code of a demo user's second factor."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        device = TOTPDevice.objects.filter(user__username=username, name="demo", confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no demo second factor (only users created by load_demo do).")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        self.stdout.write(f"{code:06d}")
