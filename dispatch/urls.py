from django.urls import path

from dispatch import views

app_name = "dispatch"
NUMBER = "<str:number>"

urlpatterns = [
    path("triage/", views.triage_board, name="triage_board"),
    path("overdue/", views.overdue, name="overdue"),
    path("inbox/", views.inbox, name="inbox"),
    path("extensions/", views.extensions, name="extensions"),
    path(f"cases/{NUMBER}/", views.case_timeline, name="case"),
    path(f"cases/{NUMBER}/triage/", views.triage, name="triage"),
    path(f"cases/{NUMBER}/assign/", views.assign, name="assign"),
    path(f"cases/{NUMBER}/escalate/", views.escalate, name="escalate"),
    path(f"cases/{NUMBER}/transfer/", views.transfer, name="transfer"),
    path(f"cases/{NUMBER}/hand-down/", views.hand_down, name="hand_down"),
    path(f"cases/{NUMBER}/extension/", views.request_extension, name="request_extension"),
    path(f"cases/{NUMBER}/extension/<str:decision>/", views.decide_extension, name="decide_extension"),
    path(f"cases/{NUMBER}/step/<str:name>/", views.step, name="step"),
]
