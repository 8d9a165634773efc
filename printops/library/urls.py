from django.urls import path

from printops.library import views, views_chunked, views_design, views_import, views_matching

app_name = "library"

urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("upload/file/", views.upload_file, name="upload_file"),
    path("upload/large/", views_chunked.start, name="chunked_start"),
    path("upload/large/<int:pk>/", views_chunked.piece, name="chunked_piece"),
    path("upload/large/<int:pk>/finish/", views_chunked.finish, name="chunked_finish"),
    path("models/<int:pk>/", views.design_detail, name="design"),
    path("models/<int:pk>/favourite/", views.design_favourite, name="favourite"),
    path("models/<int:pk>/delete/", views.design_delete, name="design_delete"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/download/", views.version_download, name="download"),
    path("versions/<int:pk>/thumbnail.png", views.version_thumbnail, name="thumbnail"),
    path("versions/<int:pk>/thumbnail/", views.version_thumb_fragment, name="version_thumb"),
    path("designs/<int:pk>/card-thumbnail/", views.design_card_thumb, name="design_card_thumb"),
    path("versions/<int:pk>/move/", views.version_move, name="version_move"),
    path("versions/<int:pk>/correct/", views.version_correct, name="version_correct"),
    path("versions/<int:pk>/default/", views.version_make_default, name="version_default"),
    path("compare/", views.compare, name="compare"),
    path("import/", views_import.import_index, name="import"),
    path("import/<int:pk>/", views_import.import_job, name="import_job"),
    path("import/<int:pk>/resume/", views_import.import_job_resume, name="import_resume"),
    path("models/<int:pk>/images/", views_design.image_add, name="image_add"),
    path("models/<int:pk>/files/", views_design.file_add, name="file_add"),
    path("images/<int:pk>/", views_design.image_show, name="image"),
    path("images/<int:pk>/primary/", views_design.image_primary, name="image_primary"),
    path("images/<int:pk>/remove/", views_design.image_remove, name="image_remove"),
    path("files/<int:pk>/download/", views_design.file_download, name="file_download"),
    path("filaments/", views_matching.filament_review, name="filament_review"),
    path("filaments/rematch/", views_matching.filaments_rematch, name="filaments_rematch"),
    path("filaments/<int:pk>/confirm/", views_matching.usage_confirm, name="usage_confirm"),
    path(
        "filaments/<int:pk>/create/",
        views_matching.usage_create_filament,
        name="usage_create_filament",
    ),
    path("categories/", views_design.categories, name="categories"),
    path("categories/<int:pk>/delete/", views_design.category_delete, name="category_delete"),
]
