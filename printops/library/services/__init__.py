"""Every write in the library: staging uploads, filing versions, designs, variants, tags,
imports, filament links, pictures and the search rows.

`versions` files sliced files and changes versions, `designs` the designs around them (and is
the one place a design is created: `design_get_or_create`), `common` what both use; `uploads`
resumable uploads, `imports` folder and zip imports (`import_files` files one file of one,
`import_recovery` finds and resumes interrupted ones), `filament_usages` links a file's
filaments to stock, `thumbnails` draws a mesh's picture, `search_index` keeps the search rows
current. Callers use `from printops.library import services` and `services.<name>`.
"""

from printops.library.services.common import (
    CORRECTABLE_FIELDS,
    DESIGN_FIELDS,
)
from printops.library.services.designs import (
    IMAGE_TYPES,
    MAX_IMAGE_BYTES,
    SOURCE_SUFFIXES,
    category_create,
    category_delete,
    design_create,
    design_delete,
    design_favourite_toggle,
    design_file_add,
    design_get_or_create,
    design_image_add,
    design_image_make_primary,
    design_image_remove,
    design_update,
    library_workspace_setup,
    variant_rename,
)
from printops.library.services.filament_usages import (
    usage_confirm,
    usage_create_filament,
    usages_rematch,
    usages_rematch_after_catalogue_change,
    usages_rematch_open,
)
from printops.library.services.import_recovery import (
    import_job_resume,
    import_jobs_mark_interrupted,
    interrupted_import_archives_release,
)
from printops.library.services.imports import (
    archive_import_claim_and_run,
    archive_import_run,
    archive_import_submit,
    import_fail,
    import_job_create,
    import_run,
)
from printops.library.services.search_index import (
    search_index_design,
    search_rebuild,
    search_rebuild_workspace_id,
)
from printops.library.services.thumbnails import version_thumbnail_render
from printops.library.services.uploads import (
    chunked_upload_append,
    chunked_upload_discard,
    chunked_upload_finish,
    chunked_upload_start,
    chunked_uploads_expire,
)
from printops.library.services.versions import (
    FOREIGN_CONTENT,
    ZIP_BASED_SUFFIXES,
    filament_usage_rows,
    version_correct,
    version_delete,
    version_move,
    version_set_default,
    version_upload,
)

__all__ = [
    "CORRECTABLE_FIELDS",
    "DESIGN_FIELDS",
    "FOREIGN_CONTENT",
    "IMAGE_TYPES",
    "MAX_IMAGE_BYTES",
    "SOURCE_SUFFIXES",
    "ZIP_BASED_SUFFIXES",
    "archive_import_claim_and_run",
    "archive_import_run",
    "archive_import_submit",
    "category_create",
    "category_delete",
    "chunked_upload_append",
    "chunked_upload_discard",
    "chunked_upload_finish",
    "chunked_upload_start",
    "chunked_uploads_expire",
    "design_create",
    "design_delete",
    "design_favourite_toggle",
    "design_file_add",
    "design_get_or_create",
    "design_image_add",
    "design_image_make_primary",
    "design_image_remove",
    "design_update",
    "filament_usage_rows",
    "import_fail",
    "import_job_create",
    "import_job_resume",
    "import_jobs_mark_interrupted",
    "import_run",
    "interrupted_import_archives_release",
    "library_workspace_setup",
    "search_index_design",
    "search_rebuild",
    "search_rebuild_workspace_id",
    "usage_confirm",
    "usage_create_filament",
    "usages_rematch",
    "usages_rematch_after_catalogue_change",
    "usages_rematch_open",
    "variant_rename",
    "version_correct",
    "version_delete",
    "version_move",
    "version_set_default",
    "version_thumbnail_render",
    "version_upload",
]
