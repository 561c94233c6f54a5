"""Encryption at rest (ADR 0008): what formal identification writes about a person — new
elements of a reconsideration, interview reports, votes' and decisions' reasons, questions and
answers, the offence and the procedure reference of a complaint. Existing values are encrypted
with the current key of OPENNRM_FIELD_KEYS; reversed, decrypted first."""

import opennrm.crypto.fields
from django.db import migrations

from opennrm.crypto.migration import EncryptFields


class Migration(migrations.Migration):

    dependencies = [
        ("identification", "0002_formal_identification"),
    ]

    operations = [
        migrations.AlterField(
            model_name="referral",
            name="new_elements",
            field=opennrm.crypto.fields.EncryptedTextField(blank=True, max_length=8000, verbose_name="new elements"),
        ),
        migrations.AlterField(
            model_name="interview",
            name="report",
            field=opennrm.crypto.fields.EncryptedTextField(blank=True, max_length=12000, verbose_name="interview report"),
        ),
        migrations.AlterField(
            model_name="vote",
            name="reasons",
            field=opennrm.crypto.fields.EncryptedTextField(max_length=8000, verbose_name="reasons"),
        ),
        migrations.AlterField(
            model_name="informationrequest",
            name="question",
            field=opennrm.crypto.fields.EncryptedTextField(max_length=4000, verbose_name="question"),
        ),
        migrations.AlterField(
            model_name="informationrequest",
            name="answer",
            field=opennrm.crypto.fields.EncryptedTextField(blank=True, max_length=8000, verbose_name="answer"),
        ),
        migrations.AlterField(
            model_name="judicialrecord",
            name="offence",
            field=opennrm.crypto.fields.EncryptedCharField(max_length=300, verbose_name="offence as qualified on the complaint receipt"),
        ),
        migrations.AlterField(
            model_name="judicialrecord",
            name="procedure_reference",
            field=opennrm.crypto.fields.EncryptedCharField(max_length=100, verbose_name="procedure reference"),
        ),
        migrations.AlterField(
            model_name="identificationdecision",
            name="reasons",
            field=opennrm.crypto.fields.EncryptedTextField(max_length=8000, verbose_name="reasons"),
        ),
        EncryptFields("identification", "Referral", ["new_elements"]),
        EncryptFields("identification", "Interview", ["report"]),
        EncryptFields("identification", "Vote", ["reasons"]),
        EncryptFields("identification", "InformationRequest", ["question", "answer"]),
        EncryptFields("identification", "JudicialRecord", ["offence", "procedure_reference"]),
        EncryptFields("identification", "IdentificationDecision", ["reasons"]),
    ]
