"""Referral.territory: the case's département, kept on the referral so that the deadline lists
and counts select pending referrals without reading the cases (a million of them nationally)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_case_territory(apps, schema_editor):
    Referral = apps.get_model("identification", "Referral")
    Case = apps.get_model("cases", "Case")
    Referral.objects.update(
        territory_id=Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("territory_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_case_transfer"),
        ("core", "0006_form_submissions"),
        ("identification", "0006_referral_withheld_evidence"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="territory",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.territory",
            ),
        ),
        migrations.RunPython(copy_case_territory, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(
                fields=["territory", "status", "decision_due"], name="referral_pending_by_unit"
            ),
        ),
    ]
