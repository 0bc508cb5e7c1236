from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from integrations.models import IntegrationClient


class Command(BaseCommand):
    help = "Issue (or rotate) the API key of the integration client of a service account; printed once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="")
        parser.add_argument("--webhook-url", default=None)

    def handle(self, username, name, webhook_url, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username}")
        client = IntegrationClient.objects.filter(user=user).first() or IntegrationClient(user=user,
                                                                                            name=name or username)
        if webhook_url is not None:
            client.webhook_url = webhook_url
        key = client.issue_key()
        client.active, client.revoked_at = True, None
        client.save()
        self.stdout.write(f"key={key}\nsecret={client.webhook_secret}\n")
