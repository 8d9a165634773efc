"""Library pages by resource: designs (with their pictures and source files), versions,
uploads, imports, filament matching and categories."""
