"""The legal-review gate in the database (see sanxiang.review.gate): triggers on cases_case and
cases_document. They are also re-created after every migrate (ReviewConfig), because SQLite drops
a table's triggers when a migration rebuilds it."""

from django.db import migrations


def install(apps, schema_editor):
    from sanxiang.review import gate

    gate.install(schema_editor)


def uninstall(apps, schema_editor):
    from sanxiang.review import gate

    gate.install(schema_editor, drop=True)


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("cases", "0003_legal_review_gate"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
