"""Mediation over HTTP, thin: fetch through the jurisdiction selectors, ask the service's guard, validate,
call the service. Refused by state → 409, by role → 403, outside the jurisdiction → 404, bad input → 400
naming the field: the services' DomainErrors, answered in the one error shape by zhongxin.api_errors.
Claiming is the lifecycle's own endpoint (POST /api/v1/cases/{number}/claim/, dispatch.api)."""

from collections.abc import Callable

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dispatch.serializers import CaseStateSerializer
from grid.selectors import center_list_for_user, department_list_for_user
from intake.selectors import case_list_for_user
from mediation import notices, serializers, services
from mediation.permissions import MediationPermission
from mediation.selectors import (
    Queue,
    QueueFilters,
    agreement_get_for_user,
    case_get_for_user,
    case_queue,
    notice_get_for_user,
    notice_inbox,
    queue_counts,
)


def _require(request: Request, permission: str) -> None:
    """For reads and notices; the case services check mediation work themselves (mediation_authorize)."""
    if not request.user.has_perm(permission):
        raise ApiPermissionDenied


def _run(
    action: Callable[[], object], serialize: Callable[[object], dict], created: bool = False
) -> Response:
    result = action()
    return Response(serialize(result), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _valid(serializer_class, request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class QueueView(ListAPIView):
    """GET /api/v1/mediation/queues/{mine|team|unclaimed}/?status=&category=&region=&order="""

    serializer_class = serializers.QueueCaseSerializer

    def get_queryset(self):
        _require(self.request, "mediation.view_mediationrecord")
        name = self.kwargs["queue"]
        if name not in (Queue.MINE, Queue.TEAM, Queue.UNCLAIMED):
            raise Http404
        params = serializers.QueueParamsSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return case_queue(user=self.request.user, queue=name, filters=QueueFilters(**params.validated_data))


class QueueCountsView(APIView):
    @extend_schema(responses=serializers.QueueCountsSerializer)
    def get(self, request: Request) -> Response:
        _require(request, "mediation.view_mediationrecord")
        return Response(queue_counts(user=request.user))


class MediationStartView(APIView):
    """POST /api/v1/mediation/cases/{number}/mediations/ — opens a mediation record."""

    @extend_schema(
        request=serializers.MediationStartSerializer, responses={201: serializers.RecordSerializer}
    )
    def post(self, request: Request, number: str) -> Response:
        case = case_get_for_user(user=request.user, number=number)
        services.mediation_authorize(case, request.user)
        data = _valid(serializers.MediationStartSerializer, request)
        return _run(
            lambda: services.mediation_start(case=case, actor=request.user, **data),
            lambda record: serializers.RecordSerializer(record).data,
            created=True,
        )


def _record(request: Request, number: str, pk: int):
    """The mediation record, once the service's guard allows the caller: asked before the body is
    validated, so someone else's case is a 403 whatever they send."""
    case = case_get_for_user(user=request.user, number=number)
    record = case.mediations.filter(pk=pk).first()
    if record is None:
        raise Http404
    services.mediation_authorize(case, request.user, record=record)
    return record


def _agreement(request: Request, pk: int):
    agreement = agreement_get_for_user(user=request.user, pk=pk)
    services.mediation_authorize(agreement.record.case, request.user, record=agreement.record)
    return agreement


class SessionView(APIView):
    @extend_schema(request=serializers.SessionSerializer, responses={201: serializers.SessionSerializer})
    def post(self, request: Request, number: str, pk: int) -> Response:
        record = _record(request, number, pk)
        data = _valid(serializers.SessionSerializer, request)
        return _run(
            lambda: services.session_record(record=record, actor=request.user, **data),
            lambda session: serializers.SessionSerializer(session).data,
            created=True,
        )


class AgreementGenerateView(APIView):
    @extend_schema(request=None, responses={201: serializers.AgreementSerializer})
    def post(self, request: Request, number: str, pk: int) -> Response:
        record = _record(request, number, pk)
        return _run(
            lambda: services.agreement_generate(record=record, actor=request.user),
            lambda agreement: serializers.AgreementSerializer(agreement).data,
            created=True,
        )


class AgreementView(APIView):
    """GET an agreement; PATCH its draft text (409 once final)."""

    @extend_schema(responses=serializers.AgreementSerializer)
    def get(self, request: Request, pk: int) -> Response:
        _require(request, "mediation.view_agreement")
        return Response(
            serializers.AgreementSerializer(agreement_get_for_user(user=request.user, pk=pk)).data
        )

    @extend_schema(request=serializers.AgreementEditSerializer, responses=serializers.AgreementSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        agreement = _agreement(request, pk)
        data = _valid(serializers.AgreementEditSerializer, request)
        return _run(
            lambda: services.agreement_update(agreement=agreement, actor=request.user, **data),
            lambda result: serializers.AgreementSerializer(result).data,
        )


class AgreementFinaliseView(APIView):
    @extend_schema(request=None, responses=serializers.AgreementSerializer)
    def post(self, request: Request, pk: int) -> Response:
        agreement = _agreement(request, pk)
        return _run(
            lambda: services.agreement_finalise(agreement=agreement, actor=request.user),
            lambda result: serializers.AgreementSerializer(result).data,
        )


class ConcludeView(APIView):
    @extend_schema(request=serializers.ConcludeSerializer, responses=serializers.RecordSerializer)
    def post(self, request: Request, number: str, pk: int) -> Response:
        record = _record(request, number, pk)
        data = _valid(serializers.ConcludeSerializer, request)
        return _run(
            lambda: services.mediation_conclude(record=record, actor=request.user, **data),
            lambda result: serializers.RecordSerializer(result).data,
        )


class CloseView(APIView):
    """POST /api/v1/mediation/cases/{number}/close/ — close with the report-back to the applicant."""

    @extend_schema(request=serializers.ReportBackSerializer, responses=CaseStateSerializer)
    def post(self, request: Request, number: str) -> Response:
        case = case_get_for_user(user=request.user, number=number)
        services.mediation_authorize(case, request.user)
        report_back = services.ReportBack(**_valid(serializers.ReportBackSerializer, request))
        return _run(
            lambda: services.case_close_with_report_back(
                case=case, actor=request.user, report_back=report_back
            ),
            lambda result: CaseStateSerializer(result).data,
        )


class FollowUpView(APIView):
    """Records a 回访 on a closed case (closed → followed_up) with its satisfaction and recurrence."""

    @extend_schema(
        request=serializers.FollowUpRecordSerializer,
        responses={
            201: serializers.FollowUpResultSerializer,
            400: OpenApiResponse(description="bad input: field name → messages"),
            403: OpenApiResponse(description="the caller may not follow up this case"),
            404: OpenApiResponse(description="no such case in your jurisdiction"),
            409: OpenApiResponse(description="the case is not closed"),
        },
    )
    def post(self, request: Request, number: str) -> Response:
        case = case_get_for_user(user=request.user, number=number)
        services.mediation_authorize(case, request.user, permission=MediationPermission.FOLLOW_UP)
        data = _valid(serializers.FollowUpRecordSerializer, request)
        return _run(
            lambda: services.follow_up_record(case=case, actor=request.user, **data),
            lambda result: serializers.FollowUpResultSerializer(result).data,
            created=True,
        )


class NoticeListView(APIView):
    """GET: the notices addressed to me or my unit. POST: issue one (county supervisors and above)."""

    @extend_schema(responses=serializers.NoticeSerializer(many=True))
    def get(self, request: Request) -> Response:
        _require(request, "mediation.view_supervisionnotice")
        rows = notice_inbox(user=request.user).prefetch_related("cases")[:200]
        return Response(serializers.NoticeSerializer(rows, many=True).data)

    @extend_schema(request=serializers.NoticeIssueSerializer, responses={201: serializers.NoticeSerializer})
    def post(self, request: Request) -> Response:
        _require(request, MediationPermission.ISSUE_NOTICE)
        data = _valid(serializers.NoticeIssueSerializer, request)
        center = _pick(
            center_list_for_user(user=request.user), data.pop("recipient_center"), "recipient_center"
        )
        department = _pick(
            department_list_for_user(user=request.user),
            data.pop("recipient_department"),
            "recipient_department",
        )
        numbers = data.pop("cases")
        cases = list(case_list_for_user(user=request.user).filter(number__in=numbers))
        if len(cases) != len(set(numbers)):
            raise ValidationError({"cases": [_("案件编号不存在或不在辖区内")]})
        return _run(
            lambda: notices.notice_issue(
                issuer=request.user,
                recipient_center=center,
                recipient_department=department,
                cases=cases,
                **data,
            ),
            lambda notice: serializers.NoticeSerializer(notice).data,
            created=True,
        )


def _pick(queryset, pk: int | None, field: str):
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: [_("不存在或不在辖区内")]})
    return found


class NoticeAcknowledgeView(APIView):
    @extend_schema(request=None, responses=serializers.NoticeSerializer)
    def post(self, request: Request, pk: int) -> Response:
        _require(request, MediationPermission.REPLY_NOTICE)
        notice = notice_get_for_user(user=request.user, pk=pk)
        return _run(
            lambda: notices.notice_acknowledge(notice=notice, actor=request.user),
            lambda result: serializers.NoticeSerializer(result).data,
        )


class NoticeRespondView(APIView):
    @extend_schema(request=serializers.NoticeResponseSerializer, responses=serializers.NoticeSerializer)
    def post(self, request: Request, pk: int) -> Response:
        _require(request, MediationPermission.REPLY_NOTICE)
        notice = notice_get_for_user(user=request.user, pk=pk)
        data = _valid(serializers.NoticeResponseSerializer, request)
        return _run(
            lambda: notices.notice_respond(notice=notice, actor=request.user, **data),
            lambda result: serializers.NoticeSerializer(result).data,
        )
