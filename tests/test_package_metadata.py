"""pyproject.toml against what it claims: the LICENSE file, the Oxigraph version ranges, matplotlib
only in extras (and `kg viz OUT.png` saying which extra when it is missing)."""
from __future__ import annotations

import sys
import tomllib

from click.testing import CliRunner

from conftest import ROOT, build_mini_store

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_license_file_is_the_mit_text_the_metadata_names():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert PROJECT["license"] == "MIT" and PROJECT["license-files"] == ["LICENSE"]
    assert text.startswith("MIT License\n") and "Copyright (c) " in text and "the newskg developers" in text
    assert "Permission is hereby granted, free of charge" in text and 'THE SOFTWARE IS PROVIDED "AS IS"' in text
    assert any(c.startswith("Programming Language :: Python :: 3.11") for c in PROJECT["classifiers"])
    assert "urls" not in PROJECT  # no public address exists yet: none is made up


def test_pyoxigraph_and_the_oxigraph_server_share_one_minor_series():
    deps = {d.split(">")[0].split("<")[0].split("=")[0]: d for d in PROJECT["dependencies"]}
    lib, server = deps["pyoxigraph"], deps["oxigraph"]
    assert lib.removeprefix("pyoxigraph") == server.removeprefix("oxigraph") == ">=0.5,<0.6"
    from importlib.metadata import version

    assert version("pyoxigraph").split(".")[:2] == version("oxigraph").split(".")[:2]


def test_matplotlib_is_only_in_extras():
    assert not any(d.startswith("matplotlib") for d in PROJECT["dependencies"])
    extras = PROJECT["optional-dependencies"]
    assert any(d.startswith("matplotlib") for d in extras["viz"])
    assert any(d.startswith("matplotlib") for d in extras["test"])


def test_png_without_matplotlib_names_the_extra(tmp_path, monkeypatch):
    from kg.cli import main

    store = tmp_path / "store"
    build_mini_store(store).close()
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if it were not installed
    r = CliRunner().invoke(main, ["viz", str(tmp_path / "net.png"), "--store", str(store)])
    assert r.exit_code == 1 and len(r.stderr.splitlines()) == 1
    assert "pip install 'newskg[viz]'" in r.stderr and "net.png" in r.stderr
    assert not (tmp_path / "net.png").exists()
    r = CliRunner().invoke(main, ["viz", str(tmp_path / "net.html"), "--store", str(store)])
    assert r.exit_code == 0 and (tmp_path / "net.html").is_file()
