"""Demo rows for the library: designs → variants → versions with real (small) G-code files.

Deterministic: the same seed gives the same designs, files and metadata, and the n-th design
does not depend on how many are asked for, so `--designs 100` after `--designs 40` adds 60.
Idempotent: designs are keyed by name; a name already in the workspace is skipped.

Fast enough for `printops demo --designs 10000` (~50 000 versions): rows go in with
bulk_create in chunks, and each G-code file is written straight to storage under its content
address (the same key and Blob row blob_put would make; blob_put per file was the bottleneck).

`catalogue` holds the words and numbers designs are drawn from, `specs` draws designs and
writes their G-code, `rows` stores them. The builder's dotted name (and so its random seed's
key) stays `printops.library.demo.build_demo`.
"""

from printops.library.demo.rows import build_demo
from printops.library.demo.specs import DesignSpec, VariantSpec, VersionSpec, design_specs

__all__ = ["DesignSpec", "VariantSpec", "VersionSpec", "build_demo", "design_specs"]
