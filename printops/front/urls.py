from django.urls import path

from printops.front import views

app_name = "front"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
]
