from django.db import migrations

from sanxiang.ledger.triggers import install_sql


def install(apps, schema_editor) -> None:
    for statement in install_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    # No reverse: taking the protection away is not something a migration should do.
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
