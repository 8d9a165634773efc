from django.urls import path

from printops.library.views import categories, designs, imports, matching, uploads, versions

app_name = "library"

urlpatterns = [
    path("", designs.index, name="index"),
    path("upload/", uploads.upload, name="upload"),
    path("upload/file/", uploads.upload_file, name="upload_file"),
    path("upload/large/", uploads.chunked_start, name="chunked_start"),
    path("upload/large/<int:pk>/", uploads.chunked_piece, name="chunked_piece"),
    path("upload/large/<int:pk>/finish/", uploads.chunked_finish, name="chunked_finish"),
    path("models/<int:pk>/", designs.design_detail, name="design"),
    path("models/<int:pk>/favourite/", designs.design_favourite, name="favourite"),
    path("models/<int:pk>/delete/", designs.design_delete, name="design_delete"),
    path("versions/<int:pk>/", versions.version_detail, name="version"),
    path("versions/<int:pk>/download/", versions.version_download, name="download"),
    path("versions/<int:pk>/thumbnail.png", versions.version_thumbnail, name="thumbnail"),
    path("versions/<int:pk>/thumbnail/", versions.version_thumb_fragment, name="version_thumb"),
    path("designs/<int:pk>/card-thumbnail/", designs.design_card_thumb, name="design_card_thumb"),
    path("versions/<int:pk>/move/", versions.version_move, name="version_move"),
    path("versions/<int:pk>/correct/", versions.version_correct, name="version_correct"),
    path("versions/<int:pk>/default/", versions.version_make_default, name="version_default"),
    path("compare/", versions.compare, name="compare"),
    path("import/", imports.import_index, name="import"),
    path("import/<int:pk>/", imports.import_job, name="import_job"),
    path("import/<int:pk>/resume/", imports.import_job_resume, name="import_resume"),
    path("models/<int:pk>/images/", designs.image_add, name="image_add"),
    path("models/<int:pk>/files/", designs.file_add, name="file_add"),
    path("images/<int:pk>/", designs.image_show, name="image"),
    path("images/<int:pk>/primary/", designs.image_primary, name="image_primary"),
    path("images/<int:pk>/remove/", designs.image_remove, name="image_remove"),
    path("files/<int:pk>/download/", designs.file_download, name="file_download"),
    path("filaments/", matching.filament_review, name="filament_review"),
    path("filaments/rematch/", matching.filaments_rematch, name="filaments_rematch"),
    path("filaments/<int:pk>/confirm/", matching.usage_confirm, name="usage_confirm"),
    path(
        "filaments/<int:pk>/create/",
        matching.usage_create_filament,
        name="usage_create_filament",
    ),
    path("categories/", categories.categories, name="categories"),
    path("categories/<int:pk>/delete/", categories.category_delete, name="category_delete"),
]
