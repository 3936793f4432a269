"""The role groups get the permissions that the access helpers check from now on.

Before, the pages decided by role and every ``migrate`` set the groups back to their
defaults; now the pages check the groups' permissions and ``migrate`` keeps what an
administrator set. Existing groups are set once to the defaults of this version (as they
stood in core/roles.py when it was written: a migration does not follow later changes).
A new database has no permissions yet at this point; post_migrate gives them.
"""

from django.db import migrations

READ = [
    "catalogue.view_product",
    "catalogue.view_producer",
    "catalogue.view_certification",
    "visits.view_visit",
    "visits.view_followup",
    "visits.view_visitnote",
]
NOTES = ["visits.add_visitnote", "visits.change_visitnote"]
CATALOGUE_EDIT = [
    "catalogue.add_product",
    "catalogue.change_product",
    "catalogue.delete_product",
    "catalogue.add_producer",
    "catalogue.change_producer",
    "catalogue.delete_producer",
    "catalogue.export_product",
    "catalogue.import_product",
]
DEFAULTS = {
    "Regional staff": READ
    + NOTES
    + CATALOGUE_EDIT
    + [
        "visits.add_visit",
        "visits.change_visit",
        "visits.add_visitstop",
        "visits.change_visitstop",
        "visits.delete_visitstop",
        "visits.add_followup",
        "visits.change_followup",
    ],
    "Regency staff": READ + NOTES + CATALOGUE_EDIT,
    "Visitor": READ + NOTES + ["catalogue.export_product"],
}


def set_defaults(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    database = schema_editor.connection.alias
    by_key = {
        (app_label, codename): pk
        for pk, app_label, codename in Permission.objects.using(database).values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for group in Group.objects.using(database).filter(name__in=DEFAULTS):
        wanted = [by_key.get(tuple(name.split(".", 1))) for name in DEFAULTS[group.name]]
        group.permissions.set([pk for pk in wanted if pk is not None])


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(set_defaults, migrations.RunPython.noop)]
