"""Shares carry their case's opening, so that an organisation's shared cases are read newest
first through an index (VisibleCaseList)."""

from django.db import migrations, models


def copy_opening(apps, schema_editor):
    CaseShare = apps.get_model("cases", "CaseShare")
    Case = apps.get_model("cases", "Case")
    CaseShare.objects.update(
        case_opened_at=models.Subquery(
            Case.objects.filter(pk=models.OuterRef("case_id")).values("opened_at")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_safe_contact")]

    operations = [
        migrations.AddField(
            model_name="caseshare",
            name="case_opened_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunPython(copy_opening, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="caseshare",
            name="case_opened_at",
            field=models.DateTimeField(editable=False),
        ),
        migrations.AddIndex(
            model_name="caseshare",
            index=models.Index(
                condition=models.Q(("revoked_at__isnull", True)),
                fields=["organisation", "-case_opened_at", "-case"],
                name="cases_share_org_opened",
            ),
        ),
    ]
