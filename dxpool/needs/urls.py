from django.urls import path

from dxpool.needs import views

app_name = "needs"
urlpatterns = [
    path("hearings/", views.hearing_list, name="hearing_list"),
    path("hearings/<int:pk>/", views.hearing_detail, name="hearing_detail"),
    path("hearings/template.xlsx", views.hearing_template, name="hearing_template"),
    path("hearings/export.xlsx", views.hearing_export, name="hearing_export"),
    path("hearings/upload/", views.hearing_upload, name="hearing_upload"),
    path("", views.need_list, name="need_list"),
]
