from django.contrib import admin

from mediation.models import SupervisionNotice


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(admin.ModelAdmin):
    """Read-only: notices are issued and answered through their services, never edited here."""

    list_display = ["number", "kind", "title", "issuing_center", "state", "due_at", "overdue_at"]
    list_filter = ["kind", "state"]
    search_fields = ["number", "title"]

    def get_queryset(self, request):
        # due_at and overdue_at come from each notice's reply clock: one query for the page's clocks.
        return super().get_queryset(request).prefetch_related("deadlines")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
