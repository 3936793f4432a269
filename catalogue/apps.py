from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Catalogue")

    def ready(self):
        from catalogue import signals  # noqa: F401 - connects the receivers
        from catalogue.models import Certification, ImportBatch, ProductPhoto
        from core.file_cleanup import delete_files_of

        delete_files_of(ProductPhoto, Certification, ImportBatch)

        from catalogue.spreadsheets import import_jobs

        import_jobs.register()

        from catalogue.printables import lookbook as printable_lookbook
        from catalogue.spreadsheets import lookbook_job

        lookbook_job.register()
        printable_lookbook.register()

        from catalogue.management.commands import refresh_readiness

        refresh_readiness.register()
