from django.urls import path

from dxpool.needs import views

app_name = "needs"
urlpatterns = [
    path("hearings/", views.hearing_list, name="hearing_list"),
    path("hearings/new/", views.hearing_new, name="hearing_new"),
    path("hearings/<int:pk>/", views.hearing_detail, name="hearing_detail"),
    path("hearings/<int:pk>/edit/", views.hearing_edit, name="hearing_edit"),
    path("hearings/<int:pk>/jds/", views.jd_from_hearing, name="jd_from_hearing"),
    path("hearings/template.xlsx", views.hearing_template, name="hearing_template"),
    path("hearings/export.xlsx", views.hearing_export, name="hearing_export"),
    path("hearings/upload/", views.hearing_upload, name="hearing_upload"),
    path("suggestions/", views.suggestion_preview, name="suggestion_preview"),
    path("hearings/imports/", views.hearing_import_list, name="hearing_import_list"),
    path("hearings/imports/<int:pk>/", views.hearing_import_detail, name="hearing_import_detail"),
    path("hearings/imports/<int:pk>/confirm/", views.hearing_import_confirm, name="hearing_import_confirm"),
    path("hearings/imports/<int:pk>/undo/", views.hearing_import_undo, name="hearing_import_undo"),
    path("hearings/imports/<int:pk>/errors.csv", views.hearing_import_errors, name="hearing_import_errors"),
    path("overview/", views.overview, name="overview"),
    path("municipalities/<str:code>/", views.municipality_history, name="municipality_history"),
    path("jds/", views.jd_list, name="jd_list"),
    path("jds/new/", views.jd_new, name="jd_new"),
    path("jds/<int:pk>/", views.jd_detail, name="jd_detail"),
    path("jds/<int:pk>/edit/", views.jd_edit, name="jd_edit"),
    path("jds/<int:pk>/versions/<int:number>/", views.jd_version, name="jd_version"),
    path("jds/<int:pk>/print/", views.jd_print, name="jd_print"),
    path("jds/<int:pk>/pdf/", views.jd_pdf, name="jd_pdf"),
    path("jds/<int:pk>/submit/", views.jd_submit, name="jd_submit"),
    path("jds/<int:pk>/withdraw/", views.jd_withdraw, name="jd_withdraw"),
    path("<int:pk>/", views.need_detail, name="need_detail"),
    path("<int:pk>/status/", views.need_status, name="need_status"),
    path("", views.need_list, name="need_list"),
]
