from django.contrib.auth import get_user_model
from rest_framework import serializers

from dispatch.choices import ArbitrationDecision, TransferTarget, TriageColor
from dispatch.models import CaseEvent, Deadline
from grid.models import Department
from intake.models import Case


class VersionedSerializer(serializers.Serializer):
    # The version the caller saw; a stale one is refused with 409.
    version = serializers.IntegerField(required=False, min_value=0)


class EmptySerializer(VersionedSerializer):
    pass


class ReasonSerializer(VersionedSerializer):
    reason = serializers.CharField(max_length=2000)


class TriageSerializer(VersionedSerializer):
    color = serializers.ChoiceField(choices=TriageColor.choices)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class HandlerSerializer(VersionedSerializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False)
    assignee = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.filter(is_active=True), required=False
    )
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ArbitrateSerializer(HandlerSerializer):
    decision = serializers.ChoiceField(choices=ArbitrationDecision.choices)


class TransferSerializer(ReasonSerializer):
    to = serializers.ChoiceField(choices=TransferTarget.choices)


class ResolveSerializer(VersionedSerializer):
    resolved = serializers.BooleanField()
    outcome = serializers.CharField(max_length=50)
    payload = serializers.DictField(required=False, default=dict)


class CloseSerializer(VersionedSerializer):
    report_back = serializers.DictField(allow_empty=False)


class FollowUpSerializer(VersionedSerializer):
    payload = serializers.DictField(allow_empty=False)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    # Stable English code, e.g. "stale_version", "invalid_transition", "permission_denied".
    code = serializers.CharField()


class CaseStateSerializer(serializers.ModelSerializer):
    handling_center = serializers.CharField(source="handling_center.code")
    assignee = serializers.CharField(source="assignee.username", default=None, allow_null=True)

    class Meta:
        model = Case
        fields = [
            "number",
            "status",
            "color",
            "handling_center",
            "assignee",
            "assigned_department",
            "version",
        ]


class CaseEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, allow_null=True)

    class Meta:
        model = CaseEvent
        fields = ["id", "type", "from_status", "to_status", "actor", "reason", "payload", "at"]


class DeadlineSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", default=None, allow_null=True)

    class Meta:
        model = Deadline
        fields = [
            "id",
            "kind",
            "state",
            "unit",
            "started_at",
            "warn_at",
            "due_at",
            "owner",
            "remaining",
            "breached_at",
        ]
