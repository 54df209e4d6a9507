"""Read-only analytics API: figures for a region inside the caller's jurisdiction and a period."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics import selectors
from analytics.periods import Period, PeriodError, period_default, period_parse
from analytics.permissions import VIEW_DASHBOARD
from grid.models import Region

PARAMETERS = [
    OpenApiParameter(
        "region", OpenApiTypes.STR, description="12-digit region code; default: your jurisdiction"
    ),
    OpenApiParameter(
        "period", OpenApiTypes.STR, description="2026-10 (month), 2026-Q3 (quarter), 2026 (year to date)"
    ),
]


class CanViewDashboard(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.user.has_perm(VIEW_DASHBOARD)


class AnalyticsAPIView(APIView):
    permission_classes = [IsAuthenticated, CanViewDashboard]

    def scope(self, request: Request) -> tuple[Region, Period]:
        """Validates `region` and `period`: a bad format is a 400 naming the field, a region outside
        the caller's jurisdiction a 404."""
        code = request.query_params.get("region", "")
        if code and not (len(code) == 12 and code.isdigit()):
            raise ValidationError({"region": [_("须为12位区划代码")]})
        try:
            period = (
                period_parse(request.query_params["period"]) if "period" in request.query_params else None
            )
        except PeriodError as error:
            raise ValidationError({"period": [str(error)]}) from error
        region = selectors.dashboard_region_get(user=request.user, code=code)
        return region, period or period_default()

    def respond(self, region: Region, period: Period, **data) -> Response:
        return Response(
            {
                "region": {"code": region.code, "name": region.name, "level": region.level},
                "period": {"code": period.code, "label": period.label},
                **data,
            }
        )


@extend_schema(parameters=PARAMETERS, responses=OpenApiTypes.OBJECT)
class SummaryAPI(AnalyticsAPIView):
    """Headline figures (current, previous period, same period a year earlier) and breakdowns by
    channel, colour, department and resolving tier. 化解率 = the period's received cases resolved now ÷
    received in it (never above 100%); `resolved` counts the cases resolved in the period whatever
    their month (throughput)."""

    def get(self, request: Request) -> Response:
        region, period = self.scope(request)
        return self.respond(
            region,
            period,
            figures=selectors.summary_get(region=region, period=period),
            channels=selectors.by_channel(region=region, period=period),
            colors=selectors.by_color(region=region, period=period),
            departments=selectors.by_department(region=region, period=period),
            tiers=selectors.by_tier(region=region, period=period),
        )


@extend_schema(parameters=PARAMETERS, responses=OpenApiTypes.OBJECT)
class ByCategoryAPI(AnalyticsAPIView):
    """Figures per category class and per kind."""

    def get(self, request: Request) -> Response:
        region, period = self.scope(request)
        return self.respond(region, period, **selectors.by_category(region=region, period=period))


@extend_schema(parameters=PARAMETERS, responses=OpenApiTypes.OBJECT)
class ByRegionAPI(AnalyticsAPIView):
    """Figures per region one tier below."""

    def get(self, request: Request) -> Response:
        region, period = self.scope(request)
        return self.respond(region, period, regions=selectors.by_region(region=region, period=period))


@extend_schema(
    parameters=[
        *PARAMETERS,
        OpenApiParameter("months", OpenApiTypes.INT, description="12 to 24 (default 24)"),
    ],
    responses=OpenApiTypes.OBJECT,
)
class TrendAPI(AnalyticsAPIView):
    """Monthly cases received per category class, ending with the period; rising classes marked."""

    def get(self, request: Request) -> Response:
        region, period = self.scope(request)
        months = request.query_params.get("months", "24")
        if not months.isdigit() or not 12 <= int(months) <= 24:
            raise ValidationError({"months": [_("须为12至24之间的整数")]})
        return self.respond(
            region, period, trend=selectors.trend_get(region=region, period=period, months=int(months))
        )


@extend_schema(parameters=PARAMETERS, responses=OpenApiTypes.OBJECT)
class WarningsAPI(AnalyticsAPIView):
    """三色预警: regions and categories reaching the configured thresholds, and overdue cases."""

    def get(self, request: Request) -> Response:
        region, period = self.scope(request)
        warnings = selectors.warnings_get(region=region, period=period)
        cases = [
            {
                "number": case.number,
                "summary": case.summary,
                "color": case.color,
                "region": case.region.name,
                "category": case.category.name,
                "received_at": case.received_at,
            }
            for case in warnings["cases"]
        ]
        return self.respond(region, period, groups=warnings["groups"], cases=cases)
