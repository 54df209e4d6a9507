from rest_framework import serializers

from dispatch.serializers import ReportBackSerializer as ReportBackSerializer
from mediation.choices import (
    ContactMethod,
    MediationKind,
    MediationOutcome,
    NextStep,
    NoticeKind,
    Satisfaction,
)
from mediation.models import Agreement, MediationSession, SupervisionNotice


class QueueCaseSerializer(serializers.Serializer):
    number = serializers.CharField()
    summary = serializers.CharField()
    status = serializers.CharField()
    color = serializers.CharField()
    category = serializers.CharField(source="category.name")
    region = serializers.CharField(source="region.name")
    received_at = serializers.DateTimeField()
    assignee = serializers.CharField(source="assignee.username", default=None)
    next_due = serializers.DateTimeField(allow_null=True)
    repeat_count = serializers.IntegerField()


class QueueParamsSerializer(serializers.Serializer):
    status = serializers.CharField(required=False, default="")
    category = serializers.IntegerField(required=False, min_value=1, allow_null=True, default=None)
    region = serializers.IntegerField(required=False, min_value=1, allow_null=True, default=None)
    order = serializers.ChoiceField(choices=["deadline", "color", "age", "category"], default="deadline")


class QueueCountsSerializer(serializers.Serializer):
    mine = serializers.IntegerField()
    team = serializers.IntegerField()
    unclaimed = serializers.IntegerField()


class RecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    committee = serializers.CharField()
    outcome = serializers.CharField()
    next_step = serializers.CharField()
    case_status = serializers.CharField(source="case.status")


class FollowUpResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    satisfaction = serializers.CharField()
    recurred = serializers.BooleanField()
    needs_review = serializers.BooleanField()


class MediationStartSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MediationKind.choices)
    committee = serializers.CharField(max_length=100)


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediationSession
        fields = ["id", "held_at", "place", "participants", "minutes"]


class AgreementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agreement
        fields = [
            "id",
            "version",
            "state",
            "number",
            "parties",
            "facts",
            "terms",
            "performance",
            "body_name",
            "mediator_names",
            "finalised_at",
            "confirmation",
        ]
        read_only_fields = fields


class AgreementEditSerializer(serializers.Serializer):
    facts = serializers.CharField()
    terms = serializers.CharField()
    performance = serializers.CharField(required=False, allow_blank=True, default="")


class ConcludeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=MediationOutcome.choices)
    next_step = serializers.ChoiceField(
        choices=NextStep.choices, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class FollowUpRecordSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=ContactMethod.choices)
    contacted_at = serializers.DateTimeField()
    contact_person = serializers.CharField(max_length=50)
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
    recurred = serializers.BooleanField(default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class NoticeSerializer(serializers.ModelSerializer):
    cases = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    # Plain codes on output: the choices are documented once, on NoticeIssueSerializer.
    kind = serializers.CharField(read_only=True)
    # From the notice's reply clock (a dispatch Deadline): null only for a clock not started.
    due_at = serializers.DateTimeField(read_only=True, allow_null=True)
    overdue_at = serializers.DateTimeField(read_only=True, allow_null=True)
    state = serializers.CharField(read_only=True)

    class Meta:
        model = SupervisionNotice
        fields = [
            "id",
            "kind",
            "number",
            "title",
            "body",
            "issuing_center",
            "recipient_center",
            "recipient_department",
            "recipient_person",
            "cases",
            "reply_days",
            "issued_at",
            "due_at",
            "state",
            "acknowledged_at",
            "response",
            "responded_at",
            "overdue_at",
        ]
        read_only_fields = fields


class NoticeIssueSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NoticeKind.choices)
    title = serializers.CharField(max_length=200)
    body = serializers.CharField()
    reply_days = serializers.IntegerField(min_value=1, max_value=60)
    recipient_center = serializers.IntegerField(required=False, allow_null=True, default=None)
    recipient_department = serializers.IntegerField(required=False, allow_null=True, default=None)
    cases = serializers.ListField(child=serializers.CharField(), required=False, default=list)


class NoticeResponseSerializer(serializers.Serializer):
    response = serializers.CharField()
