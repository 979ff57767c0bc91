from django.urls import path

from dxpool.matching import views

app_name = "matching"
urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("runs/<int:pk>/rerun/", views.run_rerun, name="run_rerun"),
    path("runs/<int:pk>/send/confirm/", views.run_send_confirm, name="run_send_confirm"),
    path("runs/<int:pk>/send/", views.run_send, name="run_send"),
    path("runs/<int:pk>/compare/", views.run_compare, name="run_compare"),
    path("runs/<int:pk>/pair/", views.pair_rule, name="pair_rule"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/<int:pk>/answer/", views.proposal_answer, name="proposal_answer"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
]
