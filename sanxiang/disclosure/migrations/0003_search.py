"""Placeholder in the migration chain, filled by the developer of this part (see the module name)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0002_portal")]

    operations = []
