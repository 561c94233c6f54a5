"""Encryption at rest (ADR 0008): the notes on a person's immediate needs. Existing notes are
encrypted with the current key of OPENNRM_FIELD_KEYS; reversed, decrypted first."""

import opennrm.crypto.fields
from django.db import migrations

from opennrm.crypto.migration import EncryptFields


class Migration(migrations.Migration):

    dependencies = [
        ("support", "0002_comprehensive_support"),
    ]

    operations = [
        migrations.AlterField(
            model_name="immediateneeds",
            name="notes",
            field=opennrm.crypto.fields.EncryptedTextField(blank=True, max_length=4000, verbose_name="notes"),
        ),
        EncryptFields("support", "ImmediateNeeds", ["notes"]),
    ]
