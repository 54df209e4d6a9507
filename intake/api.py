"""The intake API: register and read cases (scoped to the caller's jurisdiction), categories, channels.
Thin: the serializer checks shapes, intake.services registers, intake.selectors scopes."""

import hashlib
import json
import re
from collections.abc import Sequence

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from intake import selectors
from intake.choices import Channel, MatterType
from intake.masking import party_identities_for
from intake.models import Case
from intake.permissions import IntakePermission
from intake.serializers import (
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseSerializer,
    CategoryClassSerializer,
    ChoiceSerializer,
)
from intake.services import PARTY_ERROR_KEY, case_register, case_register_once
from zhongxin.errors import DomainError

IDEMPOTENCY_HEADER = "Idempotency-Key"
_KEY = re.compile(r"^[\x21-\x7e]{1,100}$")


class CanRegister(BasePermission):
    message = gettext_lazy("登记案件需要窗口受理员或网格员角色")

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.has_perm(IntakePermission.ADD_CASE))


class CanViewCases(BasePermission):
    message = gettext_lazy("查看案件需要相应权限")

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.has_perm(IntakePermission.VIEW_CASE))


def nest_errors(message_dict: dict[str, list[str]]) -> dict:
    """A service's flat `parties[1].id_number` keys in DRF's nested shape: {"parties": {"1": {...}}}."""
    nested: dict = {}
    for key, messages in message_dict.items():
        if match := PARTY_ERROR_KEY.match(key):
            entry = nested.setdefault("parties", {}).setdefault(match[1], {})
            entry.setdefault(match[2] or "non_field_errors", []).extend(messages)
    for key, messages in message_dict.items():
        if PARTY_ERROR_KEY.match(key):
            continue
        if key == "parties" and "parties" in nested:
            nested["parties"]["non_field_errors"] = messages
        else:
            nested[key] = messages
    return nested


ERROR_RESPONSE = OpenApiResponse(
    description="bad input: the first failing field (dotted, parties nested by index) and all of them "
    'in "errors", e.g. {"code": "invalid", "detail": "身份证号码校验位错误…", '
    '"field": "parties.0.id_number"}',
)


@extend_schema(tags=["intake"])
class CaseViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = CaseSerializer
    lookup_field = "number"
    lookup_value_regex = r"[0-9A-Za-z-]{1,32}"

    def get_permissions(self):
        if self.action == "create":
            return [IsAuthenticated(), CanRegister()]
        return [IsAuthenticated(), CanViewCases()]

    def get_queryset(self) -> QuerySet[Case]:
        qs = selectors.case_list_for_user(user=self.request.user)
        params = self.request.query_params
        if params.get("q"):
            qs = selectors.case_search(queryset=qs, term=params["q"][:50])
        for field in ("channel", "matter_type", "status"):
            if params.get(field):
                qs = qs.filter(**{field: params[field]})
        if params.get("center"):
            qs = qs.filter(center__code=params["center"])
        qs = qs.select_related("category__parent", "region", "grid_cell", "center", "window", "received_by")
        return qs.prefetch_related("attachments").order_by("-received_at", "-id")

    def get_object(self) -> Case:
        return selectors.case_get_for_user(user=self.request.user, number=self.kwargs["number"])

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q", OpenApiTypes.STR, description="case number, party name, phone or ID number"
            ),
            OpenApiParameter("channel", OpenApiTypes.STR, enum=Channel.values),
            OpenApiParameter("matter_type", OpenApiTypes.STR, enum=MatterType.values),
            OpenApiParameter("status", OpenApiTypes.STR),
            OpenApiParameter("center", OpenApiTypes.STR, description="receiving center's code"),
        ]
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        """Cases in the caller's jurisdiction, newest first; parties' ID numbers and phones masked."""
        page = self.paginate_queryset(self.get_queryset())
        cases = list(page if page is not None else self.get_queryset())
        selectors.with_parties_for(cases)
        context = self.get_serializer_context() | {"identities": self._identities(cases)}
        data = CaseSerializer(cases, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def _identities(self, cases: Sequence[Case]) -> dict:
        rows = [(row.party, case) for case in cases for row in case.party_rows]
        return party_identities_for(
            self.request.user,
            [party for party, _case in rows],
            request=self.request,
            cases={party.pk: case for party, case in reversed(rows)},
            context="api.case_list",
        )

    @extend_schema(
        responses={200: CaseDetailSerializer, 404: OpenApiResponse(description="not in your jurisdiction")}
    )
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        """One case by number, with the steps the caller may take now; 404 outside the jurisdiction."""
        return Response(CaseDetailSerializer(self.get_object(), context=self.get_serializer_context()).data)

    @extend_schema(
        request=CaseCreateSerializer,
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="optional, up to 100 printable ASCII characters; a retry with the same key "
                "returns the first result and creates nothing",
            )
        ],
        responses={
            201: CaseSerializer,
            400: ERROR_RESPONSE,
            403: OpenApiResponse(description="the caller may not register cases (clerk or grid worker role)"),
            422: OpenApiResponse(description="the Idempotency-Key was used before with a different body"),
        },
        examples=[
            OpenApiExample(
                "walk-in dispute",
                request_only=True,
                value={
                    "channel": "walk_in",
                    "category": "0104",
                    "region": "220102001001",
                    "summary": "楼上漏水致楼下天花板受损",
                    "description": "申请人称楼上住户卫生间漏水两月未修，协商未果。",
                    "parties": [
                        {
                            "kind": "person",
                            "name": "张伟",
                            "id_number": "11010519491231002X",
                            "phone": "13812345678",
                            "role": "applicant",
                        },
                        {"kind": "person", "name": "李强", "phone": "13998765432", "role": "respondent"},
                    ],
                },
            )
        ],
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        """Registers a matter at the caller's center; answers 201 with the case and its `number`."""
        key = request.headers.get(IDEMPOTENCY_HEADER, "")
        if key and not _KEY.match(key):
            raise ValidationError({IDEMPOTENCY_HEADER: [_("须为1–100个可打印ASCII字符")]})
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        fields = {
            "center": selectors.intake_center_for_user(user=request.user),
            "window": getattr(getattr(request.user, "staff_profile", None), "window", None),
            "channel": data["channel"],
            "matter_type": data["matter_type"],
            "category": data["category"],
            "region": data["region"],
            "grid_cell": data["grid_cell"] or None,
            "summary": data["summary"],
            "description": data["description"],
            "amount": data.get("amount"),
            "involved_people": data["involved_people"],
            "received_at": data.get("received_at"),
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "parties": [dict(p) for p in data["parties"]],
        }
        try:
            if key:
                case, created = case_register_once(
                    actor=request.user, key=key, fingerprint=_fingerprint(request.data), **fields
                )
            else:
                case, created = case_register(actor=request.user, **fields), True
        except DjangoValidationError as error:
            body = nest_errors(error.message_dict)
            if "idempotency_key" in body:
                raise DomainError(
                    "idempotency_key_reused",
                    body["idempotency_key"][0],
                    field=IDEMPOTENCY_HEADER,
                    status=status.HTTP_422_UNPROCESSABLE_ENTITY,
                ) from None
            raise ValidationError(body) from None
        case = selectors.case_get_for_user(user=request.user, number=case.number)
        headers = {"Location": reverse("intake_api:case-detail", args=[case.number])}
        if not created:
            headers["Idempotent-Replayed"] = "true"
        body = CaseSerializer(case, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED, headers=headers)


def _fingerprint(data) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@extend_schema(tags=["intake"])
class CategoryListView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("include_retired", OpenApiTypes.BOOL, description="also retired categories")
        ],
        responses=CategoryClassSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        """The two-level taxonomy: classes with their kinds (a case takes a kind's code)."""
        include_retired = request.query_params.get("include_retired") in ("1", "true")
        tree = selectors.category_tree(include_retired=include_retired)
        return Response(CategoryClassSerializer(tree, many=True).data)


@extend_schema(tags=["intake"])
class ChannelListView(APIView):
    @extend_schema(responses=ChoiceSerializer(many=True))
    def get(self, request: Request) -> Response:
        """The channels a matter can come through (来访, 来电, 12345热线, ...)."""
        return Response([{"value": v, "label": str(label)} for v, label in Channel.choices])


@extend_schema(tags=["intake"])
class MatterTypeListView(APIView):
    @extend_schema(responses=ChoiceSerializer(many=True))
    def get(self, request: Request) -> Response:
        """What a matter is: dispute, petition matter, livelihood service request, risk report."""
        return Response([{"value": v, "label": str(label)} for v, label in MatterType.choices])
