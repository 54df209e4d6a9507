from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dispatch.choices import (
    RESOLVED_OUTCOMES,
    ArbitrationDecision,
    HandlingOutcome,
    NextStep,
    ReportBackMethod,
    TransferTarget,
    TriageColor,
)
from dispatch.models import CaseEvent, Deadline, ExtensionRequest
from dispatch.transitions import EXTENSION_MAX_DAYS, ReportBack
from grid.models import Center, Department
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


class HandDownSerializer(ReasonSerializer):
    # The code of a center strictly below the handling center (下沉交办).
    to_center = serializers.SlugRelatedField(slug_field="code", queryset=Center.objects.all())


class ExtensionRequestSerializer(ReasonSerializer):
    """延期 of the close clock: more working days, or the working day it should end on; one of the two."""

    extra_days = serializers.IntegerField(
        required=False, help_text=f"working days to add, 1 to {EXTENSION_MAX_DAYS}"
    )
    new_due_date = serializers.DateField(
        required=False, help_text=f"a working day at most {EXTENSION_MAX_DAYS} working days later"
    )


class ExtensionDecisionSerializer(VersionedSerializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    extension = serializers.IntegerField(
        required=False, help_text="which pending request; by default the case's oldest"
    )


class ResolveSerializer(VersionedSerializer):
    """The conclusion page's rules (mediation's ConclusionForm): an outcome code, and where the parties
    were guided when it failed. Whether the case counts as resolved follows from the outcome."""

    outcome = serializers.ChoiceField(choices=HandlingOutcome.choices)
    next_step = serializers.ChoiceField(
        choices=NextStep.choices, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    resolved = serializers.BooleanField(
        required=False, help_text="optional: when given, it must agree with the outcome"
    )

    def validate(self, attrs: dict) -> dict:
        outcome, next_step = attrs["outcome"], attrs["next_step"]
        resolved = outcome in RESOLVED_OUTCOMES
        if attrs.get("resolved", resolved) != resolved:
            raise serializers.ValidationError(
                {"resolved": [_("与办理结果不一致：只有达成协议（书面或口头）的结果算已化解。")]}
            )
        if outcome == HandlingOutcome.FAILED and not next_step:
            raise serializers.ValidationError(
                {"next_step": [_("调解不成时须选择后续途径（诉讼、仲裁或信访）。")]}
            )
        next_step = next_step if outcome == HandlingOutcome.FAILED else ""
        version = {"version": attrs["version"]} if "version" in attrs else {}
        payload = {"next_step": next_step, "note": attrs["note"]}
        return {**version, "resolved": resolved, "outcome": outcome, "payload": payload}


class ReportBackSerializer(serializers.Serializer):
    """How and when the applicant was told the result: the close page's form (mediation's CloseForm)."""

    method = serializers.ChoiceField(choices=ReportBackMethod.choices)
    reported_at = serializers.DateTimeField()
    note = serializers.CharField()


class CloseSerializer(VersionedSerializer):
    report_back = ReportBackSerializer()

    def validate_report_back(self, value: dict) -> dict:
        return ReportBack(**value).payload()


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


class OverdueSerializer(DeadlineSerializer):
    """One row of the overdue list (超期清单): the case and its current close clock."""

    number = serializers.CharField(source="case.number")
    summary = serializers.CharField(source="case.summary")
    color = serializers.CharField(source="case.color")
    status = serializers.CharField(source="case.status")
    handling_center = serializers.CharField(source="case.handling_center.code")

    class Meta(DeadlineSerializer.Meta):
        fields = ["number", "summary", "color", "status", "handling_center", *DeadlineSerializer.Meta.fields]


class TrackSerializer(serializers.Serializer):
    """办理进度查询: the receipt's number and the applicant's phone."""

    number = serializers.CharField(max_length=32)
    phone = serializers.CharField(max_length=20)


class StageSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    at = serializers.DateTimeField(allow_null=True)


class ProgressSerializer(serializers.Serializer):
    """What a resident sees of their case: stages with dates and the handling center, nothing personal."""

    number = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    stages = StageSerializer(many=True)
    center_name = serializers.CharField()
    center_phone = serializers.CharField()


class ExtensionPendingSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.number")
    handling_center = serializers.CharField(source="case.handling_center.code")
    kind = serializers.CharField(source="deadline.kind")
    due_at = serializers.DateTimeField(source="deadline.due_at")
    requested_by = serializers.CharField(source="requested_by.username")

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "case",
            "handling_center",
            "kind",
            "due_at",
            "extra_days",
            "reason",
            "requested_by",
            "created_at",
        ]
