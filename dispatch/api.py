"""Lifecycle actions over HTTP: validate, fetch through the jurisdiction selector, call the transition.
Invalid or stale → 409, forbidden → 403, outside the jurisdiction → 404, bad input → 400: the transitions'
DomainErrors, answered in the one error shape by zhongxin.api_errors."""

from collections.abc import Callable
from dataclasses import dataclass

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from dispatch import selectors, serializers, transitions
from intake.api import CanViewCases


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
    "transfer": Action(serializers.TransferSerializer, transitions.case_transfer),
    "suspend": Action(serializers.ReasonSerializer, transitions.case_suspend),
    "resume": Action(serializers.EmptySerializer, transitions.case_resume),
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
