"""The admins' configuration pages. Region choosers are searchable autocompletes, never one dropdown."""

import csv
import json

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grid.audit import audit_access
from grid.calendar import official_calendar_knows
from grid.forms import StaffImportForm
from grid.models import (
    CalendarOverride,
    Center,
    Department,
    GridCell,
    Region,
    RotaPeriod,
    StaffProfile,
    Window,
)
from grid.services import staff_import


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)
    show_full_result_count = False  # counting 600,000 rows on every page is wasted work

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if term.isdigit():  # a code prefix: use the unique index instead of a LIKE over names
            return queryset.filter(code__startswith=term), False
        return super().get_search_results(request, queryset, term)


@admin.register(GridCell)
class GridCellAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "region")
    search_fields = ("code", "name", "region__name")
    autocomplete_fields = ("region",)
    list_select_related = ("region",)


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


class WindowInline(admin.TabularInline):
    model = Window
    extra = 0
    filter_horizontal = ("departments",)


@admin.register(Center)
class CenterAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "region", "phone")
    search_fields = ("name", "code", "region__name")
    autocomplete_fields = ("region",)
    list_select_related = ("region",)
    inlines = [DepartmentInline, WindowInline]


class RotaInline(admin.TabularInline):
    model = RotaPeriod
    extra = 1


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "residency", "center")
    list_filter = ("residency", "kind")
    search_fields = ("name", "center__name")
    autocomplete_fields = ("center",)
    list_select_related = ("center",)
    inlines = [RotaInline]


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = ("name", "center")
    search_fields = ("name", "center__name")
    autocomplete_fields = ("center",)
    filter_horizontal = ("departments",)


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "region", "center", "department", "grid_cell", "phone")
    search_fields = ("user__username", "user__first_name", "region__name", "region__code", "phone")
    autocomplete_fields = ("user", "region", "center", "department", "grid_cell")
    list_select_related = ("user", "region", "center", "department", "grid_cell")
    change_list_template = "admin/grid/staffprofile/change_list.html"

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="grid_staffprofile_import")
        ] + super().get_urls()

    def import_view(self, request):
        """Bulk staff provisioning from CSV/Excel, the same validation as `manage.py import_staff`."""
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = StaffImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                count = staff_import(filename=upload.name, content=upload.read())
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("file", message)
            else:
                messages.success(request, _("已导入 %(count)d 名工作人员。") % {"count": count})
                return redirect("admin:grid_staffprofile_changelist")
        context = {**self.admin_site.each_context(request), "form": form, "title": _("批量导入工作人员")}
        return render(request, "admin/grid/staffprofile/import.html", context)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("day", "is_workday", "note")
    list_filter = ("is_workday",)
    date_hierarchy = "day"

    def changelist_view(self, request, extra_context=None):
        next_year = timezone.localdate().year + 1
        if (
            not official_calendar_knows(next_year)
            and not CalendarOverride.objects.filter(day__year=next_year).exists()
        ):
            messages.warning(
                request,
                _("官方节假日数据尚不包含%(year)d年：请在国务院公布安排后录入，否则期限只按周末计算。")
                % {"year": next_year},
            )
        return super().changelist_view(request, extra_context)


class AuditLogEntryAdmin(LogEntryAdmin):
    """django-auditlog's read-only trail, plus an export of the filtered rows for inspectors."""

    actions = ["export_csv"]
    list_filter = [*LogEntryAdmin.list_filter, "timestamp"]

    @admin.action(description=_("导出所选审计记录（CSV）"))
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
        response.write("\ufeff")  # Excel opens UTF-8 Chinese correctly only with a BOM
        writer = csv.writer(response)
        writer.writerow(["time", "actor", "address", "action", "object_type", "object", "changes"])
        for entry in queryset.select_related("actor", "content_type").order_by("timestamp"):
            writer.writerow(
                [
                    entry.timestamp.isoformat(),
                    entry.actor.get_username() if entry.actor else "",
                    entry.remote_addr or "",
                    entry.get_action_display(),
                    entry.content_type.model,
                    entry.object_repr,
                    json.dumps(entry.changes, ensure_ascii=False),
                ]
            )
        audit_access(request=request, obj=request.user, what=f"export:audit_log:{queryset.count()}")
        return response


admin.site.unregister(LogEntry)
admin.site.register(LogEntry, AuditLogEntryAdmin)
