from django.core.management.base import BaseCommand

from integrations.webhooks import deliver_due


class Command(BaseCommand):
    help = "Send every status callback whose retry is due (run every minute by cron or a timer)."

    def handle(self, *args, **options):
        self.stdout.write(f"{deliver_due()} callback(s) attempted")
