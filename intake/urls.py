from django.urls import path

from intake import views

app_name = "intake"
NUMBER = "<str:number>"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("grid/report/", views.grid_report, name="grid_report"),
    path("today/", views.today, name="today"),
    path("today/export.csv", views.today_export, name="today_export"),
    path("duplicates/", views.duplicates_panel, name="duplicates"),
    path(f"cases/{NUMBER}/", views.case_detail, name="case_detail"),
    path(f"cases/{NUMBER}/receipt/", views.receipt, name="receipt"),
    path(f"cases/{NUMBER}/repeat/", views.repeat_visit, name="repeat_visit"),
    path(f"cases/{NUMBER}/attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
