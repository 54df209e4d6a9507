from django.urls import path

from mediation.selectors import Queue
from mediation.views import cases, notices

app_name = "mediation"
urlpatterns = [
    path("mine/", cases.queue, {"name": Queue.MINE}, name="queue_mine"),
    path("team/", cases.queue, {"name": Queue.TEAM}, name="queue_team"),
    path("unclaimed/", cases.queue, {"name": Queue.UNCLAIMED}, name="queue_unclaimed"),
    path("cases/<str:number>/", cases.workspace, name="workspace"),
    path("cases/<str:number>/claim/", cases.claim, name="claim"),
    path("cases/<str:number>/do/<slug:name>/", cases.action, name="action"),
    path("agreements/<int:pk>/print/", cases.agreement_print, name="agreement_print"),
    path("board/", notices.board, name="supervisor_board"),
    path("notices/", notices.notice_list, name="notice_list"),
    path("notices/new/", notices.issue, name="notice_issue"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/acknowledge/", notices.acknowledge, name="notice_acknowledge"),
    path("notices/<int:pk>/respond/", notices.respond, name="notice_respond"),
    path("notices/<int:pk>/print/", notices.notice_print, name="notice_print"),
]
