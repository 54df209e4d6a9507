"""Admin pages for intake's configuration (the category taxonomy) and its audit log (identity views).
Cases and parties are not edited here: they change only through the services."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from intake.models import Category, IdentityView
from intake.services import category_set_active


class KindInline(admin.TabularInline):
    model = Category
    fk_name = "parent"
    fields = ("code", "name", "sort_order", "is_active")
    extra = 1
    verbose_name = _("小类")
    verbose_name_plural = _("小类")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # retire instead: old cases keep pointing at their kind


class LevelFilter(admin.SimpleListFilter):
    title = _("层级")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [("class", _("大类")), ("kind", _("小类"))]

    def queryset(self, request, queryset):
        if self.value() == "class":
            return queryset.filter(parent__isnull=True)
        if self.value() == "kind":
            return queryset.filter(parent__isnull=False)
        return queryset


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent", "sort_order", "is_active", "case_count")
    list_filter = (LevelFilter, "is_active", "parent")
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    ordering = ("code",)
    actions = ("retire", "restore")
    inlines = (KindInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Category]:
        from django.db.models import Count

        return super().get_queryset(request).annotate(_cases=Count("cases"))

    @admin.display(description=_("案件数"), ordering="_cases")
    def case_count(self, obj: Category) -> int:
        return obj._cases

    def get_inlines(self, request, obj=None):
        return self.inlines if obj is not None and obj.parent_id is None else ()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("停用所选类别（历史案件不受影响）"), permissions=["change"])
    def retire(self, request: HttpRequest, queryset: QuerySet[Category]) -> None:
        count = category_set_active(categories=queryset, active=False)
        self.message_user(
            request, ngettext("已停用 %d 个类别。", "已停用 %d 个类别。", count) % count, messages.SUCCESS
        )

    @admin.action(description=_("重新启用所选类别"), permissions=["change"])
    def restore(self, request: HttpRequest, queryset: QuerySet[Category]) -> None:
        count = category_set_active(categories=queryset, active=True)
        self.message_user(
            request, ngettext("已启用 %d 个类别。", "已启用 %d 个类别。", count) % count, messages.SUCCESS
        )


@admin.register(IdentityView)
class IdentityViewAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only and written by intake.masking."""

    list_display = ("viewed_at", "user", "party_name", "case", "ip_address", "context")
    list_filter = ("context",)
    search_fields = ("user__username", "user__first_name", "party__name", "case__number", "ip_address")
    date_hierarchy = "viewed_at"
    list_select_related = ("user", "party", "case")
    show_full_result_count = False

    @admin.display(description=_("当事人"))
    def party_name(self, obj: IdentityView) -> str:
        return obj.party.name

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
