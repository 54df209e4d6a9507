from django.urls import path

from mediation import api

app_name = "mediation_api"
CASE = "mediation/cases/<str:number>"
urlpatterns = [
    path("mediation/queues/counts/", api.QueueCountsView.as_view(), name="queue-counts"),
    path("mediation/queues/<str:queue>/", api.QueueView.as_view(), name="queue"),
    path(f"{CASE}/mediations/", api.MediationStartView.as_view(), name="mediation-start"),
    path(f"{CASE}/mediations/<int:pk>/sessions/", api.SessionView.as_view(), name="session"),
    path(
        f"{CASE}/mediations/<int:pk>/agreements/",
        api.AgreementGenerateView.as_view(),
        name="agreement-generate",
    ),
    path(f"{CASE}/mediations/<int:pk>/conclude/", api.ConcludeView.as_view(), name="conclude"),
    path(f"{CASE}/close/", api.CloseView.as_view(), name="close"),
    path(f"{CASE}/follow-ups/", api.FollowUpView.as_view(), name="follow-up"),
    # The lifecycle's follow-up step, beside dispatch's /api/v1/cases/{number}/{step}/: the same view, so
    # a follow-up is always a FollowUp row (satisfaction, recurrence), never a bare status change.
    path("cases/<str:number>/follow-up/", api.FollowUpView.as_view(), name="case-follow-up"),
    path("mediation/agreements/<int:pk>/", api.AgreementView.as_view(), name="agreement"),
    path(
        "mediation/agreements/<int:pk>/finalise/",
        api.AgreementFinaliseView.as_view(),
        name="agreement-finalise",
    ),
    path("mediation/notices/", api.NoticeListView.as_view(), name="notices"),
    path(
        "mediation/notices/<int:pk>/acknowledge/",
        api.NoticeAcknowledgeView.as_view(),
        name="notice-acknowledge",
    ),
    path("mediation/notices/<int:pk>/respond/", api.NoticeRespondView.as_view(), name="notice-respond"),
]
