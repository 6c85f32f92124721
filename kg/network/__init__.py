"""Network views of the store (`kg.network.views`), their files (`kg.network.formats`) and
pictures (`kg.network.viz`); `kg.network.export` joins them for `kg export` and `kg viz`.

The package is callable: ``kg.network(store, view="actors", **filters)`` (`kg.network.export.network`).
"""
from __future__ import annotations

import sys
from typing import Any

from kg import CallablePackage


def __call__(store: Any, view: str = "actors", **filters: Any) -> Any:
    """`kg.network`: see `kg.network.export.network`."""
    from kg.network.export import network

    return network(store, view, **filters)


sys.modules[__name__].__class__ = CallablePackage
