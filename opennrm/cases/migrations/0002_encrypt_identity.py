"""Encryption at rest (ADR 0008): the person's identity, the places of exploitation and the
notes of the case's timeline become encrypted text, and existing values are encrypted with the
current key of OPENNRM_FIELD_KEYS. Reversed, values are decrypted first: nothing is lost."""

import opennrm.crypto.fields
from django.db import migrations

from opennrm.crypto.migration import EncryptFields


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="given_names",
            field=opennrm.crypto.fields.EncryptedCharField(blank=True, max_length=150, verbose_name="given names"),
        ),
        migrations.AlterField(
            model_name="person",
            name="family_name",
            field=opennrm.crypto.fields.EncryptedCharField(blank=True, max_length=150, verbose_name="family name"),
        ),
        migrations.AlterField(
            model_name="person",
            name="aliases",
            field=opennrm.crypto.fields.EncryptedCharField(blank=True, max_length=300, verbose_name="aliases"),
        ),
        migrations.AlterField(
            model_name="person",
            name="date_of_birth",
            field=opennrm.crypto.fields.EncryptedDateField(blank=True, null=True, verbose_name="date of birth"),
        ),
        migrations.AlterField(
            model_name="person",
            name="gender_identity",
            field=opennrm.crypto.fields.EncryptedCharField(blank=True, max_length=100, verbose_name="gender identity"),
        ),
        migrations.AlterField(
            model_name="case",
            name="places",
            field=opennrm.crypto.fields.EncryptedTextField(blank=True, verbose_name="places of exploitation"),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="note",
            field=opennrm.crypto.fields.EncryptedTextField(blank=True),
        ),
        EncryptFields(
            "cases",
            "Person",
            ["given_names", "family_name", "aliases", "date_of_birth", "gender_identity"],
        ),
        EncryptFields("cases", "Case", ["places"]),
        EncryptFields("cases", "CaseEvent", ["note"]),
    ]
