"""Encryption at rest (ADR 0008): concerns' narratives and reporters' contacts, assessments'
answers (with their notes) and reasons, guardians' names and contacts. Existing values are
encrypted with the current key of OPENNRM_FIELD_KEYS; reversed, decrypted first."""

import opennrm.crypto.fields
from django.db import migrations

from opennrm.crypto.migration import EncryptFields


class Migration(migrations.Migration):

    dependencies = [
        ("detection", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="concern",
            name="description",
            field=opennrm.crypto.fields.EncryptedTextField(max_length=4000, verbose_name="what was seen"),
        ),
        migrations.AlterField(
            model_name="concern",
            name="contact",
            field=opennrm.crypto.fields.EncryptedCharField(blank=True, max_length=200, verbose_name="how to contact the reporter"),
        ),
        migrations.AlterField(
            model_name="concern",
            name="closing_note",
            field=opennrm.crypto.fields.EncryptedTextField(blank=True, max_length=2000, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="preliminaryassessment",
            name="answers",
            field=opennrm.crypto.fields.EncryptedJSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name="preliminaryassessment",
            name="reasons",
            field=opennrm.crypto.fields.EncryptedTextField(blank=True, max_length=8000, verbose_name="reasons"),
        ),
        migrations.AlterField(
            model_name="guardian",
            name="name",
            field=opennrm.crypto.fields.EncryptedCharField(max_length=200, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="guardian",
            name="contact",
            field=opennrm.crypto.fields.EncryptedCharField(blank=True, max_length=200, verbose_name="how to reach them"),
        ),
        EncryptFields("detection", "Concern", ["description", "contact", "closing_note"]),
        EncryptFields("detection", "PreliminaryAssessment", ["answers", "reasons"]),
        EncryptFields("detection", "Guardian", ["name", "contact"]),
    ]
