from django.urls import path

from dxpool.places import views

app_name = "places"
urlpatterns = [
    path("prefectures/", views.prefecture_list, name="prefecture_list"),
    path("municipalities/", views.municipality_list, name="municipality_list"),
    path("municipalities/<str:code>/", views.municipality_detail, name="municipality_detail"),
    path("groupings/", views.grouping_list, name="grouping_list"),
    path("groupings/new/", views.grouping_edit, name="grouping_create"),
    path("groupings/<int:pk>/", views.grouping_detail, name="grouping_detail"),
    path("groupings/<int:pk>/edit/", views.grouping_edit, name="grouping_edit"),
    path("groupings/<int:pk>/delete/", views.grouping_delete, name="grouping_delete"),
]
