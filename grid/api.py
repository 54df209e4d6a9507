"""Read-only API over the tier tree, scoped to the caller's jurisdiction by the selectors."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from grid import selectors
from grid.models import Region
from grid.serializers import CenterSerializer, DepartmentSerializer, RegionSerializer


@extend_schema(
    parameters=[
        OpenApiParameter(
            "parent", OpenApiTypes.STR, description="12-digit code: list this region's children"
        ),
        OpenApiParameter("q", OpenApiTypes.STR, description="search by name or code prefix"),
    ]
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RegionSerializer
    lookup_field = "code"
    lookup_value_regex = r"\d{12}"

    def get_queryset(self):
        user = self.request.user
        params = self.request.query_params
        if self.action != "list":
            return selectors.region_list_for_user(user=user).select_related("parent")
        if params.get("q"):
            return selectors.region_search(user=user, term=params["q"], limit=50)
        if params.get("parent"):
            parent = self._region(params["parent"])
            return (
                selectors.region_children(user=user, parent=parent).select_related("parent").order_by("code")
            )
        root = selectors.jurisdiction_root(user=user)
        if root is None:
            return selectors.region_children(user=user, parent=None).order_by("code")
        return Region.objects.filter(pk=root.pk).select_related("parent")

    def _region(self, code: str) -> Region:
        if not (len(code) == 12 and code.isdigit()):
            raise ValidationError({"parent": [_("须为12位区划代码")]})
        region = selectors.region_list_for_user(user=self.request.user).filter(code=code).first()
        if region is None:
            raise Http404
        return region

    # The whole path, never a page of it: no pagination, and the list's query parameters do not apply.
    @extend_schema(
        responses=RegionSerializer(many=True),
        parameters=[OpenApiParameter("parent", exclude=True), OpenApiParameter("q", exclude=True)],
    )
    @action(detail=True, pagination_class=None, filter_backends=[])
    def ancestors(self, request: Request, code: str) -> Response:
        """The path from the province down to this region (the caller must see the region itself)."""
        region = self.get_object()
        path = selectors.region_ancestors(region=region).select_related("parent")
        return Response(RegionSerializer(path, many=True).data)


class CenterViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CenterSerializer

    def get_queryset(self):
        return selectors.center_list_for_user(user=self.request.user).order_by("code")


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DepartmentSerializer

    def get_queryset(self):
        return selectors.department_list_for_user(user=self.request.user).order_by("id")
