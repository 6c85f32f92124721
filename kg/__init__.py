"""newskg: news articles -> knowledge graph (RDF in Oxigraph, SPARQL, Gephi exports).

The Python API (docs/python-api.md, doctested):

- ``kg.build(paths, store="kg-store", **options)`` reads articles into a store; returns a `BuildReport`
- ``kg.open_store(path="kg-store", read_only=True)`` opens a store (a `KGStore`, usable in ``with``)
- ``kg.query(store, sparql_or_name, **params)`` rows as dicts, or a pandas DataFrame with ``frame=True``
- ``kg.network(store, view="actors", **filters)`` a view of the store as a networkx graph

``store`` is an open store or a store's folder. ``kg.build``, ``kg.query`` and ``kg.network`` are
the packages of those stages, made callable (`CallablePackage`), so ``import kg.query.run`` and
the rest of the library work as before. Nothing is imported until it is used: ``import kg`` is
cheap, and `kg query` / `kg export` never load spaCy.
"""
from __future__ import annotations

import types
from typing import Any

__version__ = "0.1.0"
__all__ = ["CallablePackage", "__version__", "build", "network", "open_store", "query"]

# name -> the module that provides it, imported on first use (PEP 562).
_LAZY = {"build": "kg.build", "query": "kg.query", "network": "kg.network", "open_store": "kg.store"}


class CallablePackage(types.ModuleType):
    """A package that can be called like a function: ``kg.build(...)`` runs the package's own
    module-level ``__call__``. Set on a package by ``sys.modules[__name__].__class__ = CallablePackage``."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.__dict__["__call__"](*args, **kwargs)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module = importlib.import_module(_LAZY[name])
        return module if _LAZY[name] == f"kg.{name}" else getattr(module, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
