"""Lifecycle actions over HTTP: validate, fetch through the jurisdiction selector, call the transition.
Invalid or stale → 409, forbidden → 403, outside the jurisdiction → 404, bad input → 400: the transitions'
DomainErrors, answered in the one error shape by zhongxin.api_errors."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from dispatch import selectors, serializers, tracking, transitions
from dispatch.permissions import DispatchPermission
from intake.api import CanViewCases
from zhongxin.errors import DomainError


class CanDecideExtensions(BasePermission):
    """Deciding extensions is part of review (审批延期); which requests, the selector decides."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.user.has_perm(DispatchPermission.REVIEW)


@dataclass(frozen=True)
class Action:
    serializer: type[Serializer]
    run: Callable


ACTIONS: dict[str, Action] = {
    "triage": Action(serializers.TriageSerializer, transitions.case_triage),
    "assign": Action(serializers.HandlerSerializer, transitions.case_assign),
    "arbitrate": Action(serializers.ArbitrateSerializer, transitions.case_arbitrate),
    # 签收 is the receiving unit's response (响应): both names reach the same transition.
    "sign": Action(serializers.EmptySerializer, transitions.case_sign),
    "respond": Action(serializers.EmptySerializer, transitions.case_sign),
    "return": Action(serializers.ReasonSerializer, transitions.case_return),
    "claim": Action(serializers.EmptySerializer, transitions.case_claim),
    "resolve": Action(serializers.ResolveSerializer, transitions.case_resolve),
    "close": Action(serializers.CloseSerializer, transitions.case_close),
    "send-back": Action(serializers.ReasonSerializer, transitions.case_send_back),
    # 回访 is not here: it records a FollowUp (satisfaction, recurrence), so mediation serves it, at
    # /api/v1/cases/{number}/follow-up/ as well as /api/v1/mediation/cases/{number}/follow-ups/.
    "reopen": Action(serializers.ReasonSerializer, transitions.case_reopen),
    "escalate": Action(serializers.ReasonSerializer, transitions.case_escalate),
    "hand-down": Action(serializers.HandDownSerializer, transitions.case_hand_down),
    "transfer": Action(serializers.TransferSerializer, transitions.case_transfer),
    "suspend": Action(serializers.ReasonSerializer, transitions.case_suspend),
    "resume": Action(serializers.EmptySerializer, transitions.case_resume),
    "request-extension": Action(serializers.ExtensionRequestSerializer, transitions.case_request_extension),
    "approve-extension": Action(
        serializers.ExtensionDecisionSerializer, partial(transitions.case_decide_extension, approve=True)
    ),
    "refuse-extension": Action(
        serializers.ExtensionDecisionSerializer, partial(transitions.case_decide_extension, approve=False)
    ),
}


class CaseActionView(APIView):
    """POST /api/v1/cases/{number}/{action}/ — answers with the case's new state and version."""

    action_name = ""

    def get_serializer_class(self) -> type[Serializer]:
        return ACTIONS[self.action_name].serializer

    @extend_schema(
        responses={
            200: serializers.CaseStateSerializer,
            400: OpenApiResponse(description="bad input: the field and a code"),
            403: OpenApiResponse(description="permission_denied, outside_jurisdiction or not_assignee"),
            404: OpenApiResponse(description="no such case in your jurisdiction"),
            409: OpenApiResponse(description="invalid_transition or stale_version"),
        }
    )
    def post(self, request: Request, number: str) -> Response:
        case = selectors.case_get_for_user(user=request.user, number=number)
        action = ACTIONS[self.action_name]
        serializer = action.serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        case = action.run(case, actor=request.user, expected_version=version, **data)
        return Response(serializers.CaseStateSerializer(case).data)


class CaseEventList(generics.ListAPIView):
    """The case's timeline (全流程), oldest first."""

    permission_classes = [IsAuthenticated, CanViewCases]
    serializer_class = serializers.CaseEventSerializer

    def get_queryset(self):
        return selectors.case_events(
            selectors.case_get_for_user(user=self.request.user, number=self.kwargs["number"])
        )


class CaseDeadlineList(generics.ListAPIView):
    permission_classes = [IsAuthenticated, CanViewCases]
    serializer_class = serializers.DeadlineSerializer

    def get_queryset(self):
        case = selectors.case_get_for_user(user=self.request.user, number=self.kwargs["number"])
        return selectors.case_deadlines(case)


class CanReviewCases(BasePermission):
    message = gettext_lazy("查看超期清单需要督办权限")

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.has_perm(DispatchPermission.REVIEW))


class OverdueList(generics.ListAPIView):
    """超期清单: open cases in the caller's jurisdiction whose close clock is past due, most overdue first
    (the same cases as the overdue page, the supervisor's board and the dashboard's 当前超期)."""

    permission_classes = [IsAuthenticated, CanReviewCases]
    serializer_class = serializers.OverdueSerializer

    def get_queryset(self):
        return selectors.overdue_list(user=self.request.user)


class PublicTrackView(APIView):
    """POST /api/v1/public/track/ — 办理进度查询 for residents, without logging in: the receipt's number and
    the applicant's phone give the stages with dates and the handling center. An unknown number and a
    wrong phone both answer 404; past the limits (per address and per number, `dispatch.tracking`) 429."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    # dispatch.tracking limits lookups itself, per address and per number, and counts misses.
    throttle_classes: list = []

    @extend_schema(
        request=serializers.TrackSerializer,
        responses={
            200: serializers.ProgressSerializer,
            400: OpenApiResponse(description="number or phone missing"),
            404: OpenApiResponse(description="no case with this number and applicant phone"),
            429: OpenApiResponse(description="too many lookups or misses: try again later"),
        },
    )
    def post(self, request: Request) -> Response:
        data = serializers.TrackSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            progress = tracking.progress_lookup(request=request, **data.validated_data)
        except tracking.LookupRefused as refused:
            raise DomainError("too_many_lookups", TRACK_REFUSED, status=429) from refused
        if progress is None:
            raise DomainError("not_found", TRACK_MISSED, status=404)
        return Response(serializers.ProgressSerializer(progress).data)


TRACK_MISSED = gettext_lazy("未查到：请核对回执编号和申请人手机号。")
TRACK_REFUSED = gettext_lazy("查询次数过多，请一小时后再试，或致电办理中心。")


class ExtensionPendingList(generics.ListAPIView):
    """GET /api/v1/extensions/pending/ — requests this supervisor may decide (待审批延期), oldest first."""

    permission_classes = [IsAuthenticated, CanDecideExtensions]
    serializer_class = serializers.ExtensionPendingSerializer

    def get_queryset(self):
        return selectors.extension_pending_list(user=self.request.user)
