"""kg.network.viz: the PNG picture and the self-contained HTML page, opened in headless Chromium."""
from __future__ import annotations

import re
import subprocess

import pytest
from lxml import html as lxml_html

from kg.errors import ExportError
from kg.network.views import build_view
from kg.network.viz import draw, html_page, layout

from conftest import require_program


@pytest.fixture(scope="session")
def chromium() -> str:
    """Chromium's path. Without it the browser tests skip and say why (pytest -ra lists it), or
    fail under CI=true, where .ci/run installs it (Debian's package)."""
    return require_program("chromium", why="the HTML page is opened in headless Chromium "
                           "(apt-get install chromium; .ci/run installs it)")[0]


@pytest.fixture(scope="module")
def actors(seed_store):
    return build_view(seed_store, "actors")


def test_layout_is_seeded_and_inside_the_frame(actors):
    pos = layout(actors)
    assert pos == layout(actors)
    assert set(pos) == set(actors)
    assert all(0.0 <= x <= 1.0 and 0.0 <= y <= 1.0 for x, y in pos.values())
    assert len({(round(x, 3), round(y, 3)) for x, y in pos.values()}) == len(pos)  # no two on one spot


def test_png_is_a_picture_of_the_view(actors, tmp_path):
    import matplotlib.image as mpimg

    out = tmp_path / "seeds.png"
    draw(actors, out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = mpimg.imread(out)
    height, width = pixels.shape[:2]
    assert width >= 1200 and height >= 800
    # Coloured nodes, not a blank page: many pixels far from white and grey.
    rgb = pixels[..., :3]
    coloured = ((rgb.max(axis=2) - rgb.min(axis=2)) > 0.25).sum()
    assert coloured > 5000


def test_viz_refuses_other_suffixes(actors, tmp_path):
    with pytest.raises(ExportError, match=r"\.png picture or an \.html page"):
        draw(actors, tmp_path / "seeds.svg")
    assert list(tmp_path.iterdir()) == []


def test_html_is_self_contained(actors):
    page = html_page(actors)
    doc = lxml_html.fromstring(page)
    # Nothing is loaded from anywhere: no src, no stylesheet link, no url(), and a policy that
    # forbids every fetch even if a script tried.
    assert not doc.xpath("//*[@src]") and not doc.xpath("//link") and "url(" not in page.replace("url(#arrow)", "")
    csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert csp and "default-src 'none'" in csp[0]
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    # A label that would close the script element stays data.
    evil = actors.copy()
    first = next(iter(evil))
    evil.nodes[first]["label"] = "</script><script>alert(1)</script>"
    assert page.count("<script") == 2 and html_page(evil).count("<script") == 2


def open_in_chromium(chromium, path, tmp_path) -> tuple[lxml_html.HtmlElement, list[str]]:
    """The page's DOM after its scripts ran, and every console message Chromium logged."""
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", "--dump-dom", path.as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return lxml_html.fromstring(done.stdout), console


def test_html_in_headless_chromium_draws_every_node(chromium, actors, tmp_path):
    out = tmp_path / "seeds.html"
    draw(actors, out)
    dom, console = open_in_chromium(chromium, out, tmp_path)
    body = dom.xpath("//body")[0]
    assert console == []
    assert body.get("data-errors") == ""
    drawn = dom.xpath("//*[local-name()='circle'][@class='node']/@data-id")
    assert sorted(drawn) == sorted(actors.nodes)
    labels = [t.text_content() for t in dom.xpath("//*[local-name()='text'][@class='label']")]
    assert {"Asim Munir", "Hossein Salami", "Jaish al-Adl", "Pakistan Army"} <= set(labels)
    assert len(dom.xpath("//*[local-name()='line'][contains(@class, 'edge')]")) == actors.number_of_edges()


def test_chromium_check_sees_errors_and_fetches(chromium, actors, tmp_path):
    """The check above can fail: a page whose script throws and tries to fetch is caught."""
    out = tmp_path / "broken.html"
    page = html_page(actors).replace(
        'document.body.setAttribute("data-rendered-nodes"',
        'fetch("https://example.org/data.json"); undefinedFunction(); document.body.setAttribute("data-rendered-nodes"')
    out.write_text(page, encoding="utf-8")
    dom, console = open_in_chromium(chromium, out, tmp_path)
    assert "undefinedFunction" in dom.xpath("//body")[0].get("data-errors")
    assert any("Content Security Policy" in line for line in console)


@pytest.mark.parametrize("ci", ["", "true"])
def test_without_chromium_the_browser_tests_skip_or_fail_under_ci(tmp_path, ci):
    """On a machine without Chromium (a PATH that holds only the venv's programs) the browser tests
    skip with the reason shown; under CI=true they fail."""
    import os
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PATH"] = str(Path(sys.executable).parent)
    if ci:
        env["CI"] = ci
    here = Path(__file__).resolve()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                           f"--rootdir={here.parent.parent.parent}", "-k", "in_headless_chromium or chromium_check_sees",
                           str(here)],
                          capture_output=True, text=True, timeout=600, env=env, cwd=here.parent.parent.parent)
    if ci:
        assert done.returncode == 1 and "chromium not installed" in done.stdout and "CI=true" in done.stdout
    else:
        assert done.returncode == 0, done.stdout[-2000:]
        assert "2 skipped" in done.stdout and "chromium not installed: the HTML page is opened" in done.stdout
