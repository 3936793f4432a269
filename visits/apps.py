from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Visits")

    def ready(self):
        from core.file_cleanup import delete_files_of
        from visits.models import VisitNotePhoto

        delete_files_of(VisitNotePhoto)

        from visits import photo_jobs

        photo_jobs.register()
