"""Admins configure how the lifecycle behaves: time limits, triage rules, category → department routing.
Events, deadlines and escalations are records: readable here, never edited."""

from django.contrib import admin

from dispatch.models import (
    CaseEvent,
    CategoryDepartment,
    Deadline,
    DeadlinePolicy,
    Escalation,
    TrackLookup,
    TriageRule,
)


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = ("kind", "color", "level", "amount", "unit", "warn_ratio", "escalate_on_breach")
    list_filter = ("kind", "color", "level")


@admin.register(TriageRule)
class TriageRuleAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "color",
        "category",
        "min_parties",
        "min_repeat_visits",
        "keywords",
        "min_amount",
        "is_active",
    )
    list_filter = ("color", "is_active")
    autocomplete_fields = ("category",)


@admin.register(CategoryDepartment)
class CategoryDepartmentAdmin(admin.ModelAdmin):
    list_display = ("category", "department_kind", "priority")
    list_filter = ("department_kind",)
    autocomplete_fields = ("category",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ("case", "type", "from_status", "to_status", "actor", "at")
    list_filter = ("type",)
    search_fields = ("case__number",)
    list_select_related = ("case", "actor")


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ("case", "kind", "state", "due_at", "owner")
    list_filter = ("kind", "state")
    search_fields = ("case__number",)
    list_select_related = ("case", "owner")


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ("case", "from_center", "to_center", "automatic", "at")
    list_filter = ("automatic",)
    list_select_related = ("case", "from_center", "to_center")


@admin.register(TrackLookup)
class TrackLookupAdmin(ReadOnlyAdmin):
    list_display = ("at", "ip", "number", "found", "refused")
    list_filter = ("found", "refused")
    search_fields = ("number", "ip")
