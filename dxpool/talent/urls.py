from django.urls import path

from dxpool.talent import views

app_name = "talent"
urlpatterns = [
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_edit, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/status/", views.round_status, name="round_status"),
    path("rounds/<int:pk>/apply/", views.apply, name="apply"),
    path("signup/", views.signup, name="signup"),
    path("assess-preview/", views.assess_preview, name="assess_preview"),
    path("me/", views.me, name="me"),
    path("me/applications/<int:pk>/", views.me_application, name="me_application"),
    path("me/applications/<int:pk>/withdraw/", views.me_withdraw, name="me_withdraw"),
    path("profiles/<int:pk>/", views.profile_detail, name="profile_detail"),
    path("profiles/<int:pk>/edit/", views.profile_edit, name="profile_edit"),
    path("profiles/<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("pool/", views.pool, name="pool"),
    path("pool/<str:pseudonym>/", views.pool_member, name="pool_member"),
]
