from django.contrib import admin

from analytics.models import ReportIssue, WarningThreshold


@admin.register(WarningThreshold)
class WarningThresholdAdmin(admin.ModelAdmin):
    list_display = ["scope", "metric", "color", "threshold", "is_active"]
    list_filter = ["scope", "color", "is_active"]
    list_editable = ["threshold", "is_active"]


@admin.register(ReportIssue)
class ReportIssueAdmin(admin.ModelAdmin):
    list_display = ["__str__", "period", "issued_by", "issued_at"]
    readonly_fields = ["region", "period", "year", "sequence", "figures", "issued_by", "issued_at"]
