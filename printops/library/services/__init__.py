"""Every write in the library: staging uploads, filing versions, designs, variants, tags.

`versions` files sliced files and changes versions, `designs` the designs around them, `common`
what both use. Callers use `from printops.library import services` and `services.<name>`.
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
    design_image_add,
    design_image_make_primary,
    design_image_remove,
    design_update,
    library_workspace_setup,
    variant_rename,
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
    "category_create",
    "category_delete",
    "design_create",
    "design_delete",
    "design_favourite_toggle",
    "design_file_add",
    "design_image_add",
    "design_image_make_primary",
    "design_image_remove",
    "design_update",
    "filament_usage_rows",
    "library_workspace_setup",
    "variant_rename",
    "version_correct",
    "version_delete",
    "version_move",
    "version_set_default",
    "version_upload",
]
