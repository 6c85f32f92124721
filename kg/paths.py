"""Where the project's data folders are: `ontology/` and `queries/` beside the package.

`KG_HOME` overrides the location (for installs that are not from a checkout).
"""
from __future__ import annotations

import os
from pathlib import Path

HOME = Path(os.environ.get("KG_HOME", Path(__file__).resolve().parent.parent))
ONTOLOGY_DIR = HOME / "ontology"
QUERIES_DIR = HOME / "queries"
DEFAULT_STORE = Path("kg-store")
