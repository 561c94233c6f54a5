"""Every organisation recognised before this app (in the Django admin) gets a recognition in
force: its reference and date, no agreement details, expiry unknown, its territories."""

from django.db import migrations


def take_over(apps, schema_editor):  # type: ignore[no-untyped-def]
    Organisation = apps.get_model("core", "Organisation")
    Recognition = apps.get_model("recognition", "Recognition")
    RecognitionTransition = apps.get_model("recognition", "RecognitionTransition")
    for organisation in Organisation.objects.filter(authorised_reporter=True).order_by("pk"):
        if Recognition.objects.filter(organisation=organisation, status="in_force").exists():
            continue
        recognition = Recognition.objects.create(
            organisation=organisation,
            reference=organisation.reporter_recognition_ref or f"ORG-{organisation.pk}",
            recognised_on=organisation.reporter_recognised_on or organisation.created_at.date(),
            agreement_signed_on=organisation.agreement_signed_on,
            status="in_force",
            migrated=True,
        )
        recognition.territories.set(organisation.territories.all())
        RecognitionTransition.objects.create(recognition=recognition, action="migrated")


class Migration(migrations.Migration):
    dependencies = [
        ("recognition", "0001_recognitions"),
        ("core", "0007_notification_preferences"),
    ]

    operations = [migrations.RunPython(take_over, migrations.RunPython.noop)]
