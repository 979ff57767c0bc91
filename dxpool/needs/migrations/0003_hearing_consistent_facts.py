"""Make existing hearing records consistent before 0004 adds the constraints that require it: an external
CIO補佐官 implies one is appointed, and a grouping to share through implies the municipality shares; the
old JSON step/measure shapes are kept as they are (both are {"status": …})."""

from django.db import migrations


def forwards(apps, schema_editor):
    HearingRecord = apps.get_model("needs", "HearingRecord")
    HearingRecord.objects.filter(cio_adviser_appointed=False, cio_adviser_external=True).update(
        cio_adviser_external=False)
    HearingRecord.objects.filter(shareable=False, grouping__isnull=False).update(grouping=None)
    HearingRecord.objects.exclude(support_kind__in=["", "advice", "hands_on", "both"]).update(support_kind="")
    HearingRecord.objects.exclude(
        talent_policy_status__in=["none", "drafting", "adopted", "adopted_with_targets"]).update(
        talent_policy_status="none")


class Migration(migrations.Migration):

    dependencies = [("needs", "0002_hearingrecord")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
