"""Notices' reply clocks move onto dispatch's Deadline (kind notice_reply, the notice as its target): each
existing notice gets the clock its due_at and overdue_at described, then those columns go."""

from django.db import migrations

WARN_SHARE = 0.8  # dispatch's default warning ratio, frozen here as migrations must not follow later code


def clocks_from_notices(apps, schema_editor) -> None:
    notice_model = apps.get_model("mediation", "SupervisionNotice")
    deadline_model = apps.get_model("dispatch", "Deadline")
    content_type_model = apps.get_model("contenttypes", "ContentType")
    notice_type, _ = content_type_model.objects.get_or_create(app_label="mediation", model="supervisionnotice")
    clocks = [
        deadline_model(
            kind="notice_reply",
            unit="working_days",
            state=_state(notice),
            started_at=notice.issued_at,
            warn_at=notice.issued_at + (notice.due_at - notice.issued_at) * WARN_SHARE,
            due_at=notice.due_at,
            owner_id=notice.recipient_person_id,
            met_at=notice.responded_at,
            breached_at=notice.overdue_at,
            content_type=notice_type,
            object_id=notice.pk,
        )
        for notice in notice_model.objects.iterator()
    ]
    deadline_model.objects.bulk_create(clocks, batch_size=1000)


def _state(notice) -> str:
    if notice.overdue_at is not None:
        return "breached"
    return "met" if notice.state == "responded" else "pending"


class Migration(migrations.Migration):
    dependencies = [
        ("mediation", "0001_initial"),
        ("dispatch", "0004_notification_kinds_for_mediation"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(clocks_from_notices, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="supervisionnotice", name="notice_open_due"),
        migrations.RemoveField(model_name="supervisionnotice", name="due_at"),
        migrations.RemoveField(model_name="supervisionnotice", name="overdue_at"),
    ]
