from django.urls import path

from printops.library import views

app_name = "library"

urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("upload/file/", views.upload_file, name="upload_file"),
    path("models/<int:pk>/", views.design_detail, name="design"),
    path("models/<int:pk>/favourite/", views.design_favourite, name="favourite"),
    path("models/<int:pk>/delete/", views.design_delete, name="design_delete"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/download/", views.version_download, name="download"),
    path("versions/<int:pk>/thumbnail.png", views.version_thumbnail, name="thumbnail"),
    path("versions/<int:pk>/move/", views.version_move, name="version_move"),
    path("versions/<int:pk>/correct/", views.version_correct, name="version_correct"),
    path("versions/<int:pk>/default/", views.version_make_default, name="version_default"),
    path("compare/", views.compare, name="compare"),
]
