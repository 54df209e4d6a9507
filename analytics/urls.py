from django.urls import path

from analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.cases, name="cases"),
    path("export/breakdowns.xlsx", views.export_breakdowns, name="export_breakdowns"),
    path("export/cases.xlsx", views.export_cases, name="export_cases"),
    path("report/", views.report, name="report"),
    path("report/<int:pk>/", views.report_issued, name="report_issued"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("report/<int:pk>.pdf", views.report_issued_pdf, name="report_issued_pdf"),
]
