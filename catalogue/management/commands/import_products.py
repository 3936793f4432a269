"""``python manage.py import_products FILE [--dry-run] [--user USERNAME]
[--skip-conflicts | --overwrite-newer]``.

The same reading, checks and all-or-nothing write as the import page: prints the counts
and every error; with any error it exits non-zero and writes nothing; ``--dry-run`` only
checks. Rows whose product someone changed after the file's ``updated_at`` (conflicts,
``catalogue.spreadsheets.importing.conflicts``) are printed value by value; without
``--skip-conflicts`` or ``--overwrite-newer`` the command refuses them, exits non-zero and
writes nothing. An applied import is recorded as an ``ImportBatch`` like one made on the
page, so ``/products/?imported=<id>`` lists the products it changed.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from catalogue import access
from catalogue.models import ImportBatch
from catalogue.spreadsheets.importing import (
    OVERWRITE,
    SKIP,
    ImportFileError,
    apply_to_batch,
    check_size,
    plan_for_file,
)


class Command(BaseCommand):
    help = (
        "Import products from FILE (XLSX, CSV or ODS with the column keys of the export in "
        "the first row). Rows are matched on code. Prints the counts of new, changed, "
        "unchanged and invalid rows and every error; writes nothing if there is any error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The spreadsheet to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report only; never write."
        )
        parser.add_argument(
            "--user",
            help="Record the changes as made by this user; their role's limits apply "
            "(regency staff: only their regencies).",
        )
        choice = parser.add_mutually_exclusive_group()
        choice.add_argument(
            "--skip-conflicts",
            dest="conflicts",
            action="store_const",
            const=SKIP,
            help="Leave out the rows whose product was changed after the file's updated_at "
            "(the newer changes stay).",
        )
        choice.add_argument(
            "--overwrite-newer",
            dest="conflicts",
            action="store_const",
            const=OVERWRITE,
            help="Write those rows anyway, over the newer changes (their history says so).",
        )

    def handle(self, *args, file, dry_run, user, conflicts, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        user = self._user(user)
        try:
            check_size(path.stat().st_size)
            data = path.read_bytes()
            with transaction.atomic():
                plan = plan_for_file(data, path.name, user, lock=not dry_run)
                self._report(plan)
                if plan.errors:
                    raise CommandError(
                        f"{len(plan.errors)} errors in {plan.counts['invalid']} rows: "
                        "nothing was written."
                    )
                self._report_conflicts(plan, conflicts)
                if dry_run:
                    self.stdout.write("Dry run: nothing was written.")
                    return
                if not any(
                    row.action == "new"
                    or (row.action == "changed" and not (row.conflict and conflicts == SKIP))
                    for row in plan.rows
                ):
                    self.stdout.write("Nothing to import: every row matches the catalogue.")
                    return
                batch, result = self._apply(plan, data, path.name, user, conflicts)
        except ImportFileError as exc:
            raise CommandError(f"{path.name}: {exc.message}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {len(result.created)} new and {len(result.updated)} changed "
                f"products (import #{batch.pk}): {reverse('product_list')}?imported={batch.pk}"
            )
        )
        if result.skipped:
            self.stdout.write(
                f"Skipped {len(result.skipped)} rows changed after the file was exported: "
                f"{_rows(result.skipped)}."
            )
        if result.overwritten:
            self.stdout.write(
                f"Overwrote newer changes in {len(result.overwritten)} products: "
                f"{', '.join(p.code for p in result.overwritten)}."
            )

    def _user(self, username):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username}.")
        if not access.can_import(user):
            raise CommandError(f"{username} may not import products.")
        return user

    def _report(self, plan):
        counts = plan.counts
        self.stdout.write(
            f"Rows: {len(plan.rows)} — new {counts['new']}, changed {counts['changed']}, "
            f"unchanged {counts['unchanged']}, invalid {counts['invalid']}."
        )
        if plan.header_row != 1:
            self.stdout.write(f"Column keys read from row {plan.header_row}.")
        if plan.unknown_columns:
            self.stdout.write(f"Unknown columns, ignored: {', '.join(plan.unknown_columns)}.")
        left_alone = [row.code for row in plan.rows if row.left_alone]
        if left_alone:
            self.stdout.write(
                f"Left as they are: {len(left_alone)} rows outside your regencies that others "
                f"changed after the file was exported: {', '.join(left_alone)}."
            )
        for error in plan.errors:
            self.stderr.write(str(error))

    def _report_conflicts(self, plan, choice):
        """Print every conflicting value; refuse the rows unless a choice was given."""
        conflicts = plan.conflicts
        for row in conflicts:
            conflict = row.conflict
            self.stderr.write(
                f"Row {row.row}, {row.code}: changed after the file's updated_at "
                f"({_when(conflict.file_time.moment)}):"
            )
            for item in conflict.fields:
                if item.newer:
                    made = f"changed by {item.by or 'unknown'} on {_when(item.at)}"
                else:
                    made = "changed only in the file"
                self.stderr.write(
                    f"  {item.key}: in the file {_text(item.file)}, stored now "
                    f"{_text(item.stored)} ({made})"
                )
        if conflicts and choice is None:
            raise CommandError(
                f"{len(conflicts)} rows conflict with changes made after the file was "
                f"exported (rows {_rows(conflicts)}): nothing was written. Give "
                "--skip-conflicts to leave them as they are, or --overwrite-newer to write "
                "the file's values over the newer changes."
            )

    def _apply(self, plan, data, name, user, conflicts):
        batch = ImportBatch(user=user, original_name=name[-255:], summary=plan.summary())
        batch.file.save(name, ContentFile(data), save=True)
        try:
            result = apply_to_batch(batch, plan, user, conflicts)
        except BaseException:
            batch.file.delete(save=False)
            raise
        return batch, result


def _rows(rows):
    return ", ".join(str(row.row) for row in rows)


def _text(value):
    return "(empty)" if value in (None, "") else str(value)


def _when(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else "unknown"
