from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from core.management.commands import backup
        from core.roles import grant_new_role_permissions, remember_permissions

        backup.register()  # the backup as a background job (manage.py backup --as-job)

        from core.file_cleanup import delete_files_of
        from core.jobs.models import Job

        delete_files_of(Job)  # a deleted job takes the file it built with it

        pre_migrate.connect(remember_permissions, dispatch_uid="etalase_remember_permissions")
        # Every app's: it acts at the last one's, once every app's permissions exist.
        post_migrate.connect(
            grant_new_role_permissions, dispatch_uid="etalase_grant_new_role_permissions"
        )
