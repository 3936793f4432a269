"""``python manage.py reset_roles``: the four role groups back to their default permissions
(``core.roles.ROLE_PERMISSIONS``), undoing what administrators changed in /admin/."""

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from core.roles import ROLE_PERMISSIONS, sync_role_groups


class Command(BaseCommand):
    help = "Set the four role groups back to their default permissions (core/roles.py)."

    def handle(self, *args, **options):
        sync_role_groups()
        for group in Group.objects.filter(name__in=ROLE_PERMISSIONS).order_by("name"):
            self.stdout.write(f"{group.name}: {group.permissions.count()} permissions")
