from django.urls import path

from printops.materials import views

app_name = "materials"

urlpatterns = [
    path("", views.index, name="index"),
]
