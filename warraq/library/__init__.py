"""A library: many books built into one DIST folder, with their catalogue.

`build_library` (in `build`) builds every book folder of a library whose inputs changed
(`state`), on a process pool or a Dask cluster (`runner`, running `task.build_book`),
then writes the catalogue: OPDS 1.2 (`opds1`), OPDS 2.0 (`opds2`), `manifest` and the
catalogue `page`. `cli.run_library` is the command line's entry point.
"""

from .build import LibraryResult, build_library
from .config import LibraryConfig, is_library

__all__ = ["LibraryConfig", "LibraryResult", "build_library", "is_library"]
