from django.urls import path

from dispatch.api import (
    ACTIONS,
    CaseActionView,
    CaseDeadlineList,
    CaseEventList,
    ExtensionPendingList,
    OverdueList,
    PublicTrackView,
)

app_name = "dispatch_api"
urlpatterns = [
    *[
        path(f"cases/<str:number>/{name}/", CaseActionView.as_view(action_name=name), name=f"case-{name}")
        for name in ACTIONS
    ],
    path("cases/<str:number>/events/", CaseEventList.as_view(), name="case-events"),
    path("cases/<str:number>/deadlines/", CaseDeadlineList.as_view(), name="case-deadlines"),
    path("overdue/", OverdueList.as_view(), name="overdue"),
    path("public/track/", PublicTrackView.as_view(), name="public-track"),
    path("extensions/pending/", ExtensionPendingList.as_view(), name="extensions-pending"),
]
