"""PrintOps: runs a 3D-printing business or a makerspace print service."""

__version__ = "0.1.0"
