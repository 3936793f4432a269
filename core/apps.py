from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from core.roles import sync_role_groups

        # Every app: permissions of apps migrated after "core" exist only by then.
        post_migrate.connect(sync_role_groups, dispatch_uid="etalase_sync_role_groups")
