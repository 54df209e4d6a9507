"""API shapes. Input serializers check types and the ID check digit; the service checks the rest.
Output never carries a full ID number or phone unless the caller may see it (intake.masking)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from intake import hooks
from intake.choices import Channel, MatterType, PartyKind, PartyRole
from intake.masking import PartyIdentity, party_identities_for
from intake.models import Attachment, Case, Category
from intake.receipts import cases_promises
from intake.validators import normalize_id_number, validate_party_id_number


class StrictString:
    """A code is a string: DRF would turn the number 220102001001 into "220102001001" and accept it, so a
    client that sends numbers would register cases until a code with a leading zero (0104) breaks it."""

    default_error_messages = {"not_a_string": _("须为字符串（请用引号括起），不能是数字或其他类型。")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        return super().to_internal_value(data)


class CodeField(StrictString, serializers.CharField):
    pass


class CodeChoiceField(StrictString, serializers.ChoiceField):
    pass


class CodeRegexField(StrictString, serializers.RegexField):
    pass


class PartyInputSerializer(serializers.Serializer):
    kind = CodeChoiceField(choices=PartyKind.choices, default=PartyKind.PERSON)
    name = serializers.CharField(max_length=100)
    id_number = CodeField(max_length=20, required=False, allow_blank=True, default="")
    phone = CodeField(max_length=20, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    role = CodeChoiceField(choices=PartyRole.choices, default=PartyRole.APPLICANT)

    def validate(self, attrs: dict) -> dict:
        attrs["id_number"] = normalize_id_number(attrs.get("id_number", ""))
        if attrs["id_number"]:
            try:
                validate_party_id_number(attrs.get("kind", ""), attrs["id_number"])
            except DjangoValidationError as error:
                raise serializers.ValidationError({"id_number": error.messages}) from None
        return attrs


class CaseCreateSerializer(serializers.Serializer):
    channel = CodeChoiceField(choices=Channel.choices)
    matter_type = CodeChoiceField(choices=MatterType.choices, default=MatterType.DISPUTE)
    category = CodeField(max_length=20, help_text="a kind's code, e.g. 0101")
    region = CodeRegexField(r"^\d{12}$", help_text="12-digit statistical division code")
    grid_cell = CodeField(max_length=20, required=False, allow_blank=True, default="")
    summary = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=10_000)
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, min_value=0
    )
    involved_people = serializers.IntegerField(min_value=1, max_value=1_000_000, default=1)
    received_at = serializers.DateTimeField(required=False, allow_null=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    parties = PartyInputSerializer(many=True, allow_empty=True, max_length=50)


class CategoryKindSerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["code", "name", "is_active", "sort_order"]


class CategoryClassSerializer(serializers.Serializer):
    code = serializers.CharField(source="category.code")
    name = serializers.CharField(source="category.name")
    is_active = serializers.BooleanField(source="category.is_active")
    kinds = CategoryKindSerializer(many=True)


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class PartyOutputSerializer(serializers.Serializer):
    kind = serializers.CharField()
    name = serializers.CharField()
    id_number = serializers.CharField(
        help_text="masked (2201**********1234) unless intake.view_full_identity"
    )
    phone = serializers.CharField(help_text="masked (138****5678) unless intake.view_full_identity")
    role = serializers.CharField()
    masked = serializers.BooleanField()


class AttachmentOutputSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "content_type", "size", "url"]

    def get_url(self, obj: Attachment) -> str:
        return reverse("intake:attachment", args=[obj.case.number, obj.pk])


class CaseSerializer(serializers.ModelSerializer):
    channel_label = serializers.CharField(source="get_channel_display")
    matter_type_label = serializers.CharField(source="get_matter_type_display")
    category = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()
    grid_cell = serializers.CharField(source="grid_cell.code", default=None, allow_null=True)
    center = serializers.SerializerMethodField()
    window = serializers.CharField(source="window.name", default=None, allow_null=True)
    received_by = serializers.SerializerMethodField()
    parties = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    promises = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "number",
            "status",
            "channel",
            "channel_label",
            "matter_type",
            "matter_type_label",
            "category",
            "region",
            "grid_cell",
            "summary",
            "description",
            "amount",
            "involved_people",
            "latitude",
            "longitude",
            "received_at",
            "center",
            "window",
            "received_by",
            "repeat_count",
            "parties",
            "attachments",
            "promises",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "name": {"type": "string"},
                "class_code": {"type": "string", "nullable": True},
                "class_name": {"type": "string", "nullable": True},
            },
        }
    )
    def get_category(self, obj: Case) -> dict:
        kind = obj.category
        return {
            "code": kind.code,
            "name": kind.name,
            "class_code": kind.parent.code if kind.parent_id else None,
            "class_name": kind.parent.name if kind.parent_id else None,
        }

    @extend_schema_field(
        {"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"}}}
    )
    def get_region(self, obj: Case) -> dict:
        return {"code": obj.region.code, "name": obj.region.name}

    @extend_schema_field(
        {"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"}}}
    )
    def get_center(self, obj: Case) -> dict:
        return {"code": obj.center.code, "name": obj.center.name}

    def get_received_by(self, obj: Case) -> str:
        return obj.received_by.get_full_name() or obj.received_by.username

    @extend_schema_field(PartyOutputSerializer(many=True))
    def get_parties(self, obj: Case) -> list[dict]:
        rows = getattr(obj, "party_rows", None)
        if rows is None:
            rows = list(obj.case_parties.select_related("party").order_by("id"))
        identities: dict[int, PartyIdentity] = self.context.get("identities") or party_identities_for(
            self.context["request"].user,
            [row.party for row in rows],
            request=self.context["request"],
            case=obj,
            context="api.case",
        )
        return [{**identities[row.party_id].as_dict(), "role": row.role} for row in rows]

    @extend_schema_field(AttachmentOutputSerializer(many=True))
    def get_attachments(self, obj: Case) -> list[dict]:
        attachments = sorted(obj.attachments.all(), key=lambda a: a.pk)  # uses the list's prefetch
        return AttachmentOutputSerializer(attachments, many=True).data

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "respond_by": {"type": "string", "format": "date-time"},
                "close_by": {"type": "string", "format": "date-time"},
            },
        }
    )
    def get_promises(self, obj: Case) -> dict:
        # A list serializes its cases' promises from one read (the parent's instance is that list).
        if "promises" not in self.context:
            listed = getattr(self.parent, "instance", None) if self.parent is not None else None
            self.context["promises"] = cases_promises(cases=list(listed) if listed is not None else [obj])
        promises = self.context["promises"].get(obj.pk) or cases_promises(cases=[obj])[obj.pk]
        field = serializers.DateTimeField()
        return {
            "respond_by": field.to_representation(promises.respond_by),
            "close_by": field.to_representation(promises.close_by),
        }


class CaseDetailSerializer(CaseSerializer):
    """One case, with what the caller may do with it next."""

    available_steps = serializers.SerializerMethodField(
        help_text="the lifecycle steps the caller may take now, from dispatch's step table; each with an "
        "endpoint is POST /api/v1/cases/{number}/{step}/ with _ written - (send_back → send-back)"
    )

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "available_steps"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_steps(self, obj: Case) -> list[str]:
        return sorted(hooks.steps_available(obj, self.context["request"].user))
