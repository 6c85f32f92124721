"""Bad input through `kg build` on a store built from the seeds (issue #9, item 1 of "must show").

Each input gives one line naming the file and the problem; the exit status is non-zero only
with --strict; the store's N-Quads are byte for byte what they were before the build.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import display_name
from kg.store import KGStore

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
ARTICLE = (
    "Border commanders meet in Taftan\n\n"
    "Border commanders of Iran and Pakistan met in Taftan on Monday to discuss security along the "
    "frontier, officials said in a statement after the talks.\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00" + bytes(range(256))


def png(folder: Path) -> Path:
    path = folder / "photo.txt"
    path.write_bytes(PNG)
    return path


def empty(folder: Path) -> Path:
    path = folder / "empty.txt"
    path.write_bytes(b"")
    return path


def huge(folder: Path) -> Path:
    path = folder / "huge.txt"
    with open(path, "wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: the size is on paper only, and must not be read
    return path


def deep(folder: Path) -> Path:
    path = folder / "deep.html"
    path.write_text("<html><body>" + "<div>" * 100_000 + f"<p>{ARTICLE}</p>" + "</div>" * 100_000 + "</body></html>")
    return path


def hostile_name(folder: Path) -> Path:
    path = folder / 'evil\n"<>.txt'  # and nothing in it but blank space
    path.write_text("\n  \n")
    return path


BAD_INPUTS = {
    "png renamed .txt": (png, r"looks like a PNG image, not text"),
    "0-byte file": (empty, r"empty file \(0 bytes\): no article text"),
    "200 MB file": (huge, r"file too large \(200 MiB; the limit is 20 MiB, see --max-bytes\)"),
    "HTML 100,000 deep": (deep, r"HTML nested too deep \(more than 200 levels of elements"),
    'name with a newline and "<>': (hostile_name, r"empty file \(only blank space\)"),
}


@pytest.fixture(scope="module")
def seed_store_dir(tmp_path_factory, nlp):
    from kg.build import build

    path = tmp_path_factory.mktemp("hostile-build") / "store"
    with KGStore(path) as store:
        build([SEEDS], store)
        before = _knowledge(store)
    return path, before


@pytest.fixture
def store(seed_store_dir, tmp_path) -> tuple[Path, bytes]:
    """A copy of the seed store (closed, so copying its folder is safe) and its N-Quads."""
    src, before = seed_store_dir
    shutil.copytree(src, tmp_path / "store")
    return tmp_path / "store", before


def _knowledge(store: KGStore) -> bytes:
    """Every graph but the build log, which records each run, even one that wrote nothing else."""
    from kg.store.dump import dump_bytes
    from kg.namespaces import BUILD_LOG_GRAPH

    return dump_bytes(store, exclude=[BUILD_LOG_GRAPH])


def nquads(path: Path) -> bytes:
    with KGStore(path, create=False) as s:
        return _knowledge(s)


def kg_build(store: Path, *args: str):
    return CliRunner().invoke(main, ["build", "--store", str(store), *args])


def one_line(text: str, prefix: str, path: Path, problem: str) -> None:
    lines = text.splitlines()
    assert len(lines) == 1, lines
    shown = display_name(path.as_posix())
    assert lines[0].startswith(f"{prefix}{shown}: "), lines[0]
    assert re.search(problem, lines[0]), lines[0]


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_reported_skipped_and_the_store_unchanged(store, tmp_path, case):
    store_path, before = store
    make, problem = BAD_INPUTS[case]
    path = make(tmp_path)

    result = kg_build(store_path, str(path))
    assert result.exit_code == 0, result.output
    one_line(result.stderr, "kg: skipped ", path, problem)
    assert result.stdout.startswith(f"built 0 document(s) into {store_path} (0 unchanged, skipped 1)\n")
    assert nquads(store_path) == before

    result = kg_build(store_path, "--strict", str(path))
    assert result.exit_code == 1
    one_line(result.stderr, "kg: error: ", path, problem)
    assert nquads(store_path) == before


def test_the_rest_of_the_batch_is_still_built(store, tmp_path):
    store_path, before = store
    batch = tmp_path / "batch"
    batch.mkdir()
    bad = {make(batch): problem for make, problem in BAD_INPUTS.values()}
    good = batch / "good.txt"
    good.write_text(ARTICLE)

    result = kg_build(store_path, "--strict", str(batch))
    assert result.exit_code == 1 and result.stderr.startswith("kg: error: ")
    assert nquads(store_path) == before  # nothing written, not even the good article

    result = kg_build(store_path, str(batch))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"built 1 document(s) into {store_path} (0 unchanged, skipped {len(bad)})\n")
    skipped = result.stderr.splitlines()
    assert len(skipped) == len(bad)
    for path, problem in bad.items():
        line = next(x for x in skipped if x.startswith(f"kg: skipped {display_name(path.as_posix())}: "))
        assert re.search(problem, line)
    with KGStore(store_path, create=False) as s:
        titles = {str(r[0]) for r in s.query("SELECT ?t WHERE { ?d a kg:Document ; dcterms:title ?t }")}
    assert "Border commanders meet in Taftan" in titles


def test_utf16_with_bom_is_read_correctly(store, tmp_path):
    store_path, before = store
    path = tmp_path / "utf16.txt"
    path.write_bytes(ARTICLE.replace("Taftan", "Taftān").encode("utf-16"))  # Python writes the BOM
    assert path.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    result = kg_build(store_path, "--strict", str(path))
    assert result.exit_code == 0 and result.stderr == "", result.output
    with KGStore(store_path, create=False) as s:
        rows = list(s.query("SELECT ?t ?text WHERE { ?d a kg:Document ; dcterms:title ?t ; kg:text ?text ; "
                            "kg:sourcePath ?p FILTER(STRENDS(?p, 'utf16.txt')) }"))
        after = _knowledge(s)
    assert [(str(t), str(x)) for t, x in rows] == [("Border commanders meet in Taftān",
                                                   ARTICLE.replace("Taftan", "Taftān").strip())]
    # Every quad of the seeds' own document graphs is still there.
    seed_docs = {line for line in before.decode().splitlines() if "/newskg/doc/" in line.rsplit(" ", 2)[-2]}
    assert seed_docs <= set(after.decode().splitlines())


def test_article_under_a_hostile_name_is_built(store, tmp_path):
    store_path, _ = store
    path = tmp_path / 'news\n"<b>\u202e.txt'
    path.write_text(ARTICLE)
    result = kg_build(store_path, "--strict", str(path))
    assert result.exit_code == 0 and result.stderr == "", result.output
    with KGStore(store_path, create=False) as s:
        sources = {str(r[0]) for r in s.query("SELECT ?p WHERE { ?d kg:sourcePath ?p }")}
    assert display_name(path.as_posix()) in sources  # escaped: one line, no bidi override


_CLI = "import sys; from kg.cli import main; sys.argv[0] = 'kg'; main()"


def test_folder_and_file_without_permission(store, tmp_path, run_unprivileged):
    store_path, before = store
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text(ARTICLE)
    secret = tmp_path / "secret.txt"
    secret.write_text(ARTICLE)
    cases = {locked: r"cannot read folder: Permission denied", secret: r"cannot read file: permission denied"}
    for path in cases:
        path.chmod(0o000)
    try:
        for path, problem in cases.items():
            out = run_unprivileged(_CLI, "build", "--store", str(store_path), str(path))
            assert out.returncode == 0, out.stderr
            one_line(out.stderr, "kg: skipped ", path, problem)
            assert nquads(store_path) == before

            out = run_unprivileged(_CLI, "build", "--store", str(store_path), "--strict", str(path))
            assert out.returncode == 1
            one_line(out.stderr, "kg: error: ", path, problem)
            assert nquads(store_path) == before
    finally:
        for path in cases:
            path.chmod(0o755)


def test_limits_are_options_of_kg_build(store, tmp_path):
    store_path, before = store
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE)
    page = tmp_path / "nested.html"
    page.write_text("<html><body>" + "<div>" * 10 + f"<p>{ARTICLE}</p>" + "</div>" * 10 + "</body></html>")

    result = kg_build(store_path, "--max-bytes", "100", str(article))
    assert result.exit_code == 0
    size = article.stat().st_size
    one_line(result.stderr, "kg: skipped ", article, rf"file too large \({size} bytes; the limit is 100 bytes")
    result = kg_build(store_path, "--max-depth", "5", "--strict", str(page))
    assert result.exit_code == 1
    one_line(result.stderr, "kg: error: ", page, r"HTML nested too deep \(more than 5 levels")
    assert nquads(store_path) == before

    for bad in (["--max-bytes", "12Q"], ["--max-bytes", "0"], ["--max-depth", "0"], ["--max-depth", "99999"]):
        result = kg_build(store_path, *bad, str(article))
        assert result.exit_code == 2 and "Invalid value for '--max-" in result.stderr, bad
    assert nquads(store_path) == before


def test_hostile_names_in_an_article_become_readable_valid_iris(store, tmp_path):
    store_path, _ = store
    long_name = "Qarzaghulamzadeh" * 625  # 10,000 characters
    path = tmp_path / "names.txt"
    path.write_text(
        "Border commanders meet in Taftan\n\n"
        f'General Ali "The Hawk" Rez\u200fa, the commander of the <Frontier> Corps, met Colonel {long_name} '
        "and Brigadier \u202eKhan Omar\u202c in Taftan on Monday, officials of Iran and Pakistan said.\n\n"
        f"Rez\u200fa said the talks with Colonel {long_name} were useful.\n"
    )
    result = kg_build(store_path, "--strict", str(path))
    assert result.exit_code == 0 and result.stderr == "", result.output
    with KGStore(store_path, create=False) as s:
        rows = list(s.query("SELECT DISTINCT ?e ?l WHERE { ?d kg:sourcePath ?p ; kg:mentions ?e . "
                            "?e skos:prefLabel ?l FILTER(STRENDS(?p, 'names.txt')) }"))
    labels = {str(label): str(e) for e, label in rows}
    assert "Frontier> Corps" in labels  # the name as written, in a readable IRI
    assert labels["Frontier> Corps"] == "https://w3id.org/newskg/id/org/frontier-corps"
    for iri in labels.values():
        # person/ali--<document>: a lone first name is kept to its document (kg.resolve)
        assert re.fullmatch(r"https://w3id\.org/newskg/id/[a-z]+/[a-z0-9]+(?:--?[a-z0-9]+)*", iri), iri
