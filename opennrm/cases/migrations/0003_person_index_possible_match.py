"""Blind indexes of persons (ADR 0008) and possible matches with other organisations. The
tokens of existing persons are computed here, from their decrypted identity, with
OPENNRM_INDEX_KEY (`manage.py rebuild_person_index` does the same later, e.g. after a change of
that key)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

from opennrm.crypto.blind import index_entries


def build_index(apps, schema_editor):
    Person = apps.get_model("cases", "Person")
    PersonIndexToken = apps.get_model("cases", "PersonIndexToken")
    using = schema_editor.connection.alias
    batch = []
    for person in Person.objects.using(using).only(
        "given_names", "family_name", "aliases", "date_of_birth"
    ).iterator(chunk_size=500):
        for entry in index_entries(
            given_names=person.given_names or "",
            family_name=person.family_name or "",
            aliases=person.aliases or "",
            date_of_birth=person.date_of_birth,
        ):
            batch.append(PersonIndexToken(person_id=person.pk, kind=entry.kind, token=entry.token))
        if len(batch) >= 5000:
            PersonIndexToken.objects.using(using).bulk_create(batch, ignore_conflicts=True)
            batch = []
    PersonIndexToken.objects.using(using).bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0002_encrypt_identity"),
        ("core", "0002_territory_holidays_subdivision"),
    ]

    operations = [
        migrations.CreateModel(
            name="PersonIndexToken",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=16)),
                ("token", models.CharField(max_length=32)),
                ("person", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="index_tokens", to="cases.person")),
            ],
            options={
                "indexes": [models.Index(fields=["token"], name="cases_person_index_token")],
                "constraints": [models.UniqueConstraint(fields=("person", "kind", "token"), name="one_index_token_per_person")],
            },
        ),
        migrations.CreateModel(
            name="PossibleMatch",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("found_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("case", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="possible_matches", to="cases.case")),
                ("organisation", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.organisation", verbose_name="organisation to contact")),
            ],
            options={
                "verbose_name": "possible match",
                "verbose_name_plural": "possible matches",
                "ordering": ["found_at", "pk"],
                "constraints": [models.UniqueConstraint(fields=("case", "organisation"), name="one_possible_match_per_organisation")],
            },
        ),
        migrations.RunPython(build_index, migrations.RunPython.noop),
    ]
