"""Tests for kg.ingest: reading files, stripping page furniture, page metadata."""
from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

import pytest

from kg import ingest
from kg.errors import InputError
from kg.ingest import iter_files, load_furniture, read_document, read_documents
from kg.limits import IngestLimits, parse_size

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
HTML = Path(__file__).resolve().parent / "data" / "html"
MEMO = SEEDS / "000_cec75e075edad840.txt"
IRAN_INTL = SEEDS / "003_7e09eed4d988b256.txt"

BODY = (
    "Iran and Pakistan agreed on Saturday to expand border cooperation after talks in Tehran "
    "between senior military officials from both countries, officials said."
)


def write(path: Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode(encoding)
    path.write_bytes(content)
    return path


def paragraphs(doc) -> list[str]:
    return doc.text.split("\n\n")


# --------------------------------------------------------------------------- seeds


def test_seed_memo_title_and_furniture():
    doc = read_document(MEMO)
    assert doc.title == "Iran's IRGC to work with Pakistan army on border security"
    assert doc.text.startswith(doc.title + "\n\n")
    caption = (
        "The Chief of Army Staff of the Pakistan Army, General Asim Munir, gifts a Pakistan Ordnance "
        "Factory gold-plated submachine gun"
    )
    assert doc.text.count(caption) == 1
    assert paragraphs(doc)[1].startswith(caption)
    for junk in ("READ:", "Show Comments", "Categories", "Asia & Americas", "Order your copy", "Portuguese / English"):
        assert junk not in doc.text
    assert "Portuguese / English" in doc.furniture
    assert "Categories" in doc.furniture
    # The page names no author, date or outlet: none may be invented.
    assert doc.author is None and doc.date is None and doc.outlet is None
    # Body kept, in order, ending with the last article paragraph.
    assert "Salami was quoted as saying:" in doc.text  # no-break spaces normalised
    assert paragraphs(doc)[-1].startswith("On 8 July, four militants")
    assert doc.source == MEMO.as_posix()


def test_seed_iran_international_metadata():
    doc = read_document(IRAN_INTL)
    assert doc.title == "Iran, Pakistan Defense Officials Discuss Cooperation to Fight Terrorism"
    assert doc.author == "Nigar Bayramli"
    assert doc.date == dt.date(2023, 6, 17)
    for junk in ("Newsroom logo", "Last update", "By Nigar Bayramli", "March 1, 2024"):
        assert junk not in doc.text
    assert paragraphs(doc)[0] == doc.title
    assert paragraphs(doc)[1].startswith("Iranian Deputy Minister of Defense")
    assert paragraphs(doc)[-1].startswith("The three countries decided")
    assert all(p == p.strip() and "  " not in p and "\n" not in p for p in paragraphs(doc))


# --------------------------------------------------------------------------- HTML fixtures


def test_html_og_meta_article():
    doc = read_document(HTML / "frontier_post.html")
    assert doc.title == "Pakistan, Iran agree joint patrols along Balochistan border"
    assert doc.date == dt.date(2023, 7, 18)  # published, not modified
    assert doc.author == "Ayesha Siddiqa"
    assert doc.outlet == "The Frontier Post"
    paras = paragraphs(doc)
    assert paras[0] == doc.title
    assert doc.text.count(doc.title) == 1  # the <h1> does not repeat the title
    caption = "Security officials at the Taftan crossing on the Pakistan–Iran border. [File photo]"
    assert paras.count(caption) == 1  # figcaption and the <p> copy: kept once
    assert "Trade crossings" in paras  # sub-heading kept as its own paragraph
    assert paras[-1].startswith("The two sides also discussed reopening")
    for junk in ("Home", "Facebook", "Advertisement", "Read more", "Share this", "Most Read",
                 "Petrol price", "cookies", "All rights reserved", "Tags", "dataLayer", "min-height"):
        assert junk not in doc.text, junk


def test_html_json_ld_without_article_element():
    doc = read_document(HTML / "regional_monitor.html")
    # <title> suffix " - Outlet" stripped; outlet from JSON-LD publisher (an @id reference).
    assert doc.title == "Iranian guards seize arms cache near Saravan"
    assert doc.outlet == "Regional Security Monitor"
    assert doc.date == dt.date(2024, 2, 27)
    assert doc.author == "Kamran Yousefi and Sara Malik"
    paras = paragraphs(doc)
    assert paras[1].startswith("The Islamic Revolutionary Guard Corps (IRGC) ground forces said")
    caption = "Weapons displayed by IRGC ground forces in Saravan, February 26, 2024. (Tasnim)"
    assert paras.count(caption) == 1
    assert paras[-1].startswith("Three suspects were arrested")
    for junk in ("Last update", "Portuguese", "English", "Sign up", "Also read", "Tags", "Jaish al-Adl\n",
                 "Most popular", "Subscribe", "Copyright"):
        assert junk not in doc.text, junk
    assert "Iran, Pakistan, IRGC, Jaish al-Adl" in doc.furniture


def test_html_cp1252_meta_charset_byline_and_time():
    doc = read_document(HTML / "legacy_cp1252.htm")
    assert doc.title == "Café owners protest new tax in Karachi"  # article <h1>, not the logo <h1>
    assert doc.author == "Omar Farooq"
    assert doc.date == dt.date(2022, 11, 3)
    assert doc.outlet is None
    paras = paragraphs(doc)
    assert paras[0] == doc.title and doc.text.count(doc.title) == 1
    assert "“The tax is unfair to small businesses,” said Naeem Qureshi" in doc.text
    for junk in ("Karachi Daily Chronicle", "by Omar", "3 November 2022", "Advertisement", "Great article"):
        assert junk not in doc.text, junk


def test_html_title_suffix_and_jsonld_author_fallbacks(tmp_path):
    page = f"""<html><head><title>Army chief visits Tehran | Daily Bulletin</title>
    <meta property="og:site_name" content="Daily Bulletin">
    <script type="application/ld+json">{{"@type": "NewsArticle", "datePublished": "2023-07-16",
      "author": {{"@type": "Organization", "name": "Daily Bulletin"}}}}</script>
    <script type="application/ld+json">{{ this is broken json </script>
    </head><body><div class="main"><p class="byline">By Hamid Mir, Reuters</p>
    <p>{BODY}</p><p>Second paragraph of the article text.</p></div></body></html>"""
    doc = read_document(write(tmp_path / "bulletin.html", page))
    assert doc.title == "Army chief visits Tehran"
    assert doc.outlet == "Daily Bulletin"
    assert doc.date == dt.date(2023, 7, 16)
    assert doc.author == "Hamid Mir"  # organisation author skipped; agency dropped from byline
    assert paragraphs(doc) == ["Army chief visits Tehran", BODY, "Second paragraph of the article text."]


def test_html_external_references_ignored_and_unknown_entities_kept(tmp_path):
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://127.0.0.1:9/x.dtd">
    <html><head><title>Talks in Tehran</title></head><body><article><p>{BODY} Tom &amp; Jerry &bogus;</p>
    <iframe src="http://127.0.0.1:9/ad"></iframe><img src="http://127.0.0.1:9/p.png"></article></body></html>"""
    doc = read_document(write(tmp_path / "x.html", page))
    assert doc.text.endswith("Tom & Jerry &bogus;")


def test_html_teaser_article_elements_are_not_the_story(tmp_path):
    teaser = "<article class='card'><p>Cricket: Pakistan beat Sri Lanka.</p></article>"
    page = f"""<html><head><title>Border talks resume</title></head><body>
    <div id="story"><p>{BODY}</p><p>{BODY.replace("Saturday", "Sunday")}</p></div>
    <aside>{teaser * 3}</aside><div class="more">{teaser}</div></body></html>"""
    doc = read_document(write(tmp_path / "t.html", page))
    assert paragraphs(doc) == ["Border talks resume", BODY, BODY.replace("Saturday", "Sunday")]


def test_html_with_title_but_no_body_is_no_article(tmp_path):
    page = "<html><head><title>Loading…</title><meta property='og:title' content='Border talks'></head>" \
           "<body><div id='app'></div><script>render()</script></body></html>"
    assert_input_error(write(tmp_path / "spa.html", page), "no article text")


def test_txt_file_holding_html_is_parsed_as_html(tmp_path):
    page = f"<!DOCTYPE html><html><head><title>Talks in Tehran</title></head><body><p>{BODY}</p></body></html>"
    doc = read_document(write(tmp_path / "saved.txt", page))
    assert doc.title == "Talks in Tehran"
    assert "<p>" not in doc.text


# --------------------------------------------------------------------------- plain-text rules


def test_text_furniture_rules_generalise(tmp_path):
    text = "\n".join([
        "Skip to main content",
        "English | Français | العربية",
        "Site Logo",
        "WORLD",
        "Pakistan army chief meets Iranian commander in Tehran",
        "Saturday, 17 July 2023 10:30 GMT",
        "By Jane Doe and John Roe in Islamabad",
        "Advertisement",
        "",
        BODY,
        "",
        "Also read: Iran opens new border market",
        "Share this article",
        "We use cookies to give you the best experience on our website.",
        "Subscribe to our newsletter for daily updates",
        "Second paragraph, which the article needs to keep in full.",
        "Tags:",
        "Iran, Pakistan, Border security",
        "Related Articles",
        "Some other story entirely about football results",
        "© 2023 Example News Network. All rights reserved.",
    ])
    doc = read_document(write(tmp_path / "a.txt", text))
    assert doc.title == "Pakistan army chief meets Iranian commander in Tehran"
    assert doc.date == dt.date(2023, 7, 17)
    assert doc.author == "Jane Doe and John Roe"
    assert paragraphs(doc) == [doc.title, BODY, "Second paragraph, which the article needs to keep in full."]
    assert "WORLD" in doc.furniture  # section label above the headline
    assert "Some other story entirely about football results" in doc.furniture


def test_text_outlet_only_when_stated(tmp_path):
    doc = read_document(write(tmp_path / "a.txt", f"Border talks resume\n\n{BODY}\n\nSource: Dawn\n"))
    assert doc.outlet == "Dawn"
    assert "Source:" not in doc.text
    doc = read_document(write(tmp_path / "b.txt", f"Border talks resume\n\n{BODY}\n\nCopyright 2023 Iran Daily.\n"))
    assert doc.outlet == "Iran Daily"
    doc = read_document(write(tmp_path / "c.txt", f"Border talks resume\n\n{BODY}\n"))
    assert doc.outlet is None


def test_text_iso_date_line_and_no_title(tmp_path):
    doc = read_document(write(tmp_path / "a.txt", f"2023-06-17\n\n{BODY}\n\n{BODY}\n"))
    assert doc.date == dt.date(2023, 6, 17)
    assert doc.title is None
    assert doc.text == BODY  # the repeated paragraph is kept once


def test_dateline_gives_date_and_stays_in_text(tmp_path):
    first = "TEHRAN, June 17, 2023 (IRNA) - " + BODY
    doc = read_document(write(tmp_path / "a.txt", f"Border talks resume\n\n{first}\n"))
    assert doc.date == dt.date(2023, 6, 17)
    assert paragraphs(doc) == ["Border talks resume", first]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("June 17, 2023", dt.date(2023, 6, 17)),
        ("17 July 2023", dt.date(2023, 7, 17)),
        ("Published: Sat 17 Jun 2023 | 10:30 AM", dt.date(2023, 6, 17)),
        ("2023-06-17T09:41:00+05:00", dt.date(2023, 6, 17)),
        ("17/06/2023", dt.date(2023, 6, 17)),
        ("06/07/2023", None),  # day-first or month-first: not guessed
        ("June 17, 2023 in Tehran", None),
        ("February 30, 2023", None),
    ],
)
def test_date_lines(line, expected):
    assert ingest.parse_date_line(line) == expected


def test_text_last_update_is_not_the_publication_date(tmp_path):
    doc = read_document(write(tmp_path / "a.txt", f"Last update: March 1, 2024 01:47\n\nBorder talks resume\n\n{BODY}\n"))
    assert doc.date is None
    assert "Last update" not in doc.text


def test_byline_lookalikes_stay_in_text(tmp_path):
    line = "By the end of the day, the two sides had agreed on a new border regime"
    doc = read_document(write(tmp_path / "a.txt", f"Border talks resume\n\n{line}\n\n{BODY}\n"))
    assert doc.author is None
    assert line in paragraphs(doc)


def test_one_line_note_is_text_not_title(tmp_path):
    doc = read_document(write(tmp_path / "note.txt", "Imran Khan visited Tehran\n"))
    assert doc.text == "Imran Khan visited Tehran"
    assert doc.title is None


def test_headline_starting_with_by_is_not_a_byline(tmp_path):
    doc = read_document(write(tmp_path / "a.txt", f"By Land and Sea\n\n{BODY}\n"))
    assert doc.title == "By Land and Sea" and doc.author is None
    doc = read_document(write(tmp_path / "b.txt", f"Border talks resume\n\nBy Reuters Staff\n\n{BODY}\n"))
    assert doc.author is None  # an agency byline names no person
    assert "Reuters Staff" not in doc.text


def test_one_line_tag_list_and_tags_before_headline(tmp_path):
    text = f"Topics\nIran\nPakistan\nPakistan army chief meets Iranian commander in Tehran\n\n{BODY}\n\nTags: Iran, Pakistan\n"
    doc = read_document(write(tmp_path / "a.txt", text))
    assert doc.title == "Pakistan army chief meets Iranian commander in Tehran"
    assert paragraphs(doc) == [doc.title, BODY]
    assert doc.furniture == ("Topics", "Iran", "Pakistan", "Tags: Iran, Pakistan")


def test_hard_wrapped_text_is_rejoined(tmp_path):
    text = (
        "Border talks resume\n\n"
        "Iran and Pakistan agreed on Saturday to expand border cooperation\n"
        "after talks in Tehran between senior military officials from both\n"
        "countries, officials said.\n\n"
        "The two sides will meet again in Islamabad next month to sign a\n"
        "memorandum on joint patrols along the frontier.\n"
    )
    doc = read_document(write(tmp_path / "a.txt", text))
    assert paragraphs(doc) == [
        "Border talks resume",
        "Iran and Pakistan agreed on Saturday to expand border cooperation after talks in Tehran "
        "between senior military officials from both countries, officials said.",
        "The two sides will meet again in Islamabad next month to sign a memorandum on joint "
        "patrols along the frontier.",
    ]


def test_control_characters_and_lone_surrogates_removed(tmp_path):
    raw = ("Border talks\x07 resume\n\n" + BODY.replace("Tehran", "Teh\x1bran\u200b") + "\n").encode("utf-8")
    raw = raw.replace(b"Saturday", b"Satur\xed\xa0\x80day")  # an encoded lone surrogate
    doc = read_document(write(tmp_path / "a.txt", raw))
    assert doc.title == "Border talks resume"
    assert paragraphs(doc)[1] == BODY


# --------------------------------------------------------------------------- files and folders


def test_iter_files_recursion_and_filter(tmp_path):
    write(tmp_path / "b.TXT", BODY)
    write(tmp_path / "a.html", BODY)
    write(tmp_path / "sub" / "deeper" / "c.htm", BODY)
    write(tmp_path / "sub" / "notes.md", BODY)
    write(tmp_path / "sub" / "image.png", b"\x89PNG\r\n")
    write(tmp_path / ".git" / "d.txt", BODY)
    write(tmp_path / "sub" / ".hidden.txt", BODY)
    files = iter_files([tmp_path])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["a.html", "b.TXT", "sub/deeper/c.htm"]
    assert iter_files([tmp_path / "sub", tmp_path / "a.html", tmp_path / "sub"]) == sorted(
        [tmp_path / "a.html", tmp_path / "sub" / "deeper" / "c.htm"]
    )
    (tmp_path / "empty-dir").mkdir()
    assert iter_files([tmp_path / "empty-dir"]) == []


def test_iter_files_missing_path_and_wrong_type(tmp_path):
    missing = tmp_path / "nope" / "gone.txt"
    with pytest.raises(InputError, match="no such file") as err:
        iter_files([missing])
    assert missing.as_posix() in str(err.value)
    pdf = write(tmp_path / "report.pdf", b"%PDF-1.4")
    with pytest.raises(InputError, match="unsupported file type") as err:
        iter_files([pdf])
    assert pdf.as_posix() in str(err.value)


def test_read_documents_collects_errors_and_goes_on(tmp_path):
    good = write(tmp_path / "in" / "good.txt", f"Border talks resume\n\n{BODY}\n")
    write(tmp_path / "in" / "empty.txt", "")
    missing = tmp_path / "missing.txt"
    errors: list[InputError] = []
    docs = list(read_documents([tmp_path / "in", missing], on_error=errors.append))
    assert [d.source for d in docs] == [good.as_posix()]
    assert sorted(e.path for e in errors) == sorted([(tmp_path / "in" / "empty.txt").as_posix(), missing.as_posix()])
    with pytest.raises(InputError):
        list(read_documents([tmp_path / "in"], strict=True))


def test_read_documents_logs_when_no_callback(tmp_path, caplog):
    write(tmp_path / "empty.txt", "  \n")
    with caplog.at_level(logging.WARNING, logger="kg.ingest"):
        assert list(read_documents([tmp_path])) == []
    assert "empty.txt" in caplog.text


# --------------------------------------------------------------------------- bad input


def assert_input_error(path: Path, match: str, **kw) -> InputError:
    with pytest.raises(InputError, match=match) as err:
        read_document(path, **kw)
    assert err.value.path == path.as_posix()
    assert str(err.value).startswith(path.as_posix() + ": ")
    return err.value


def test_missing_file(tmp_path):
    assert_input_error(tmp_path / "missing.txt", "no such file")


def test_empty_and_whitespace_files(tmp_path):
    assert_input_error(write(tmp_path / "empty.txt", ""), "no article text")
    assert_input_error(write(tmp_path / "blank.html", " \n\t\n"), "no article text")


def test_only_furniture_is_no_article_text(tmp_path):
    assert_input_error(write(tmp_path / "f.txt", "Show Comments\nAdvertisement\nShare this article\n"), "no article text")
    assert_input_error(write(tmp_path / "f.html", "<html><body><nav>Home</nav><script>x()</script></body></html>"), "no article text")


def test_binary_file_renamed_txt(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4
    assert_input_error(write(tmp_path / "photo.txt", png), "looks like a PNG image, not text")
    noisy = bytes((i * 7) % 32 for i in range(1, 2000) if (i * 7) % 32 not in (0, 9, 10, 13)) + b"abc"
    assert_input_error(write(tmp_path / "noise.txt", noisy), "looks binary, not text")


def test_too_large(tmp_path):
    path = write(tmp_path / "big.txt", f"Border talks resume\n\n{BODY}\n")
    assert_input_error(path, "too large", max_bytes=50)
    assert read_document(path, max_bytes=10_000).title == "Border talks resume"


def test_cp1252_file(tmp_path):
    text = f"Café owners protest “new tax”\n\n{BODY} It cost €5 – said Zoë.\n"
    doc = read_document(write(tmp_path / "cp.txt", text, encoding="cp1252"))
    assert doc.title == "Café owners protest “new tax”"
    assert doc.text.endswith("It cost €5 – said Zoë.")


def test_latin1_fallback_when_not_cp1252(tmp_path):
    raw = f"Border talks resume\n\n{BODY}\n".encode("ascii") + b"Caf\xe9 \x81ok.\n"
    doc = read_document(write(tmp_path / "l1.txt", raw))
    assert paragraphs(doc)[-1] == "Café ok."  # 0x81 is no cp1252 character; latin-1 C1 control dropped


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_bom_files(tmp_path, encoding):
    text = f"Iran’s border talks resume\n\n{BODY}\n"
    raw = text.encode(encoding)
    if encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw
    doc = read_document(write(tmp_path / f"{encoding}.txt", raw))
    assert doc.title == "Iran’s border talks resume"
    assert paragraphs(doc)[1] == BODY
    assert "\ufeff" not in doc.text


_READ_ONE = """
import sys
from kg.errors import InputError
from kg.ingest import read_document
try:
    read_document(sys.argv[1])
except InputError as err:
    print(err)
"""


def test_unreadable_file(tmp_path, run_unprivileged):
    path = write(tmp_path / "secret.txt", f"Border talks resume\n\n{BODY}\n")
    path.chmod(0o000)
    out = run_unprivileged(_READ_ONE, str(path))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"{path.as_posix()}: cannot read file: permission denied"
    path.chmod(0o644)  # the same file, readable, is read: the message was about permission
    out = run_unprivileged(_READ_ONE, str(path))
    assert out.returncode == 0 and out.stdout == "", out.stdout + out.stderr


def test_unreadable_folder_is_reported_and_the_rest_is_read(tmp_path, run_unprivileged):
    write(tmp_path / "in" / "good.txt", f"Border talks resume\n\n{BODY}\n")
    locked = tmp_path / "in" / "locked"
    write(locked / "hidden.txt", f"Border talks resume\n\n{BODY}\n")
    locked.chmod(0o000)
    code = """
import sys
from kg.ingest import read_documents
docs = list(read_documents([sys.argv[1]], on_error=lambda e: print("error", e)))
print("read", *[d.source for d in docs])
"""
    out = run_unprivileged(code, str(tmp_path / "in"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        f"error {locked.as_posix()}: cannot read folder: Permission denied",
        f"read {(tmp_path / 'in' / 'good.txt').as_posix()}",
    ]


def test_folder_given_to_read_document(tmp_path):
    folder = tmp_path / "dir.txt"
    folder.mkdir()
    assert_input_error(folder, "folder")


# --------------------------------------------------------------------------- rules are data


def test_furniture_rules_come_from_toml(tmp_path):
    rules_file = write(tmp_path / "furniture.toml", """
[lines]
literal = ["Bonus Line"]
patterns = ['''promo\\s*#\\d+''']
[headers]
words = ["Themen"]
""")
    rules = load_furniture(rules_file)
    text = f"Border talks resume\n\nBonus Line\n\nShow Comments\n\nPromo #42\n\n{BODY}\n\nThemen\nIran Pakistan\n"
    doc = read_document(write(tmp_path / "a.txt", text), rules=rules)
    assert paragraphs(doc) == ["Border talks resume", "Show Comments", BODY]  # default rules not loaded
    assert doc.furniture == ("Bonus Line", "Promo #42", "Themen", "Iran Pakistan")


def test_bad_furniture_file_is_reported(tmp_path):
    bad = write(tmp_path / "bad.toml", "[lines]\npatterns = ['(unclosed']\n")
    with pytest.raises(InputError, match="bad regular expression") as err:
        load_furniture(bad)
    assert bad.as_posix() in str(err.value)


def test_default_rules_file_present():
    rules = load_furniture()
    assert rules.source == ingest.DEFAULT_FURNITURE.as_posix()
    assert rules.is_literal("Show Comments") and rules.is_header("Categories")


# --------------------------------------------------------------------------- limits


def nested(depth: int, tag: str = "div") -> str:
    return (f"<html><body>{f'<{tag}>' * depth}<p>{BODY}</p>"
            f"<p>Closing paragraph at the bottom of the nest, with enough words to be article text.</p>"
            f"{f'</{tag}>' * depth}</body></html>")


def test_html_nested_100000_deep_is_refused_with_a_clean_message(tmp_path):
    # libxml2 alone stops nesting at 256 levels and silently drops the rest of the page.
    path = write(tmp_path / "deep.html", nested(100_000))
    err = assert_input_error(path, r"HTML nested too deep \(more than 200 levels")
    assert "\n" not in str(err)
    for tag in ("span", "b", "table", "ul"):
        assert_input_error(write(tmp_path / f"deep-{tag}.html", nested(100_000, tag)), "nested too deep")


def test_html_depth_limit_is_configurable(tmp_path):
    path = write(tmp_path / "d150.html", nested(150))
    doc = read_document(path)  # 150 levels: under the default
    assert paragraphs(doc)[-1].startswith("Closing paragraph at the bottom of the nest")
    assert_input_error(path, "more than 100 levels", max_depth=100)
    deep = write(tmp_path / "d600.html", nested(600))
    assert_input_error(deep, "more than 200 levels")
    # Above libxml2's default ceiling of 256 the parser's huge mode is used, and nothing is lost.
    doc = read_document(deep, limits=IngestLimits(max_depth=1000))
    assert BODY in doc.text and paragraphs(doc)[-1].startswith("Closing paragraph at the bottom of the nest")


def test_html_too_many_elements(tmp_path):
    page = "<html><body>" + f"<p>{BODY}</p>" + "<a></a>" * 500 + "</body></html>"
    path = write(tmp_path / "many.html", page)
    assert BODY in read_document(path).text
    assert_input_error(path, r"too many elements \(50[0-9]; the limit is 100\)",
                       limits=IngestLimits(max_elements=100))


def test_article_text_too_long(tmp_path):
    path = write(tmp_path / "long.txt", f"Border talks resume\n\n{BODY}\n")
    assert_input_error(path, r"article text too long \(1[0-9]{2} characters; the limit is 50\)",
                       limits=IngestLimits(max_chars=50))


def test_size_limit_is_decided_by_stat_on_a_sparse_file(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: 200 MiB on paper, no blocks on disk
    assert_input_error(path, r"file too large \(200 MiB; the limit is 20 MiB, see --max-bytes\)")
    assert_input_error(path, r"file too large \(200 MiB; the limit is 1 MiB", max_bytes=1024 * 1024)


def test_limits_are_checked_and_sizes_parsed():
    with pytest.raises(ValueError, match="max_depth"):
        IngestLimits(max_depth=0)
    with pytest.raises(ValueError, match="at most"):
        IngestLimits(max_depth=5000)
    with pytest.raises(ValueError, match="max_bytes"):
        IngestLimits(max_bytes=-1)
    assert [parse_size(s) for s in ("700", "512K", "20M", "20MiB", "1g")] == [
        700, 512 * 1024, 20 * 1024 ** 2, 20 * 1024 ** 2, 1024 ** 3]
    with pytest.raises(ValueError, match="not a size"):
        parse_size("12Q")


def test_named_pipe_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert_input_error(fifo, "is a named pipe, not a regular file")  # a blocking open would hang here
    assert iter_files([tmp_path]) == []  # a folder walk passes over it


# --------------------------------------------------------------------------- encodings and characters


def test_utf16_html_with_bom(tmp_path):
    page = f"<html><head><title>Café talks</title></head><body><article><p>{BODY} Zoë said “yes”.</p></article></body></html>"
    for enc in ("utf-16-le", "utf-16-be"):
        bom = b"\xff\xfe" if enc.endswith("le") else b"\xfe\xff"
        doc = read_document(write(tmp_path / f"{enc}.html", bom + page.encode(enc)))
        assert doc.title == "Café talks"
        assert paragraphs(doc)[-1] == f"{BODY} Zoë said “yes”."


def test_declared_charset_is_used_only_when_it_is_a_web_encoding(tmp_path):
    body = "Министерство обороны заявило о переговорах на границе с Пакистаном и Ираном в эту субботу."
    page = f'<html><head><meta charset="windows-1251"></head><body><p>{body}</p></body></html>'
    assert read_document(write(tmp_path / "ru.html", page, encoding="cp1251")).text == body
    # Transform codecs are no character sets: a page declaring one is read as cp1252/latin-1.
    for charset in ("rot13", "punycode", "hex", "utf-7", "base64"):
        page = f'<html><head><meta charset="{charset}"></head><body><p>{BODY} Caf\xe9.</p></body></html>'
        doc = read_document(write(tmp_path / f"{charset}.html", page, encoding="cp1252"))
        assert doc.text == f"{BODY} Café.", charset


def test_xml_illegal_non_characters_removed(tmp_path):
    raw = f"Border talks resume\n\n{BODY}\ufffe\uffff\n".encode("utf-8")
    doc = read_document(write(tmp_path / "nc.txt", raw))
    assert paragraphs(doc)[-1] == BODY


def test_hostile_file_name_is_one_escaped_line(tmp_path):
    name = 'evil\n"<>\u202etxt.png.txt'
    path = write(tmp_path / name, f"Border talks resume\n\n{BODY}\n")
    doc = read_document(path)
    assert doc.source == (tmp_path / 'evil\\n"<>\\u202etxt.png.txt').as_posix()
    empty = write(tmp_path / f"{name}.txt", b"")
    with pytest.raises(InputError) as err:
        read_document(empty)
    assert err.value.path == empty.as_posix()  # the real name, for programs
    assert str(err.value) == f'{tmp_path.as_posix()}/evil\\n"<>\\u202etxt.png.txt.txt: empty file (0 bytes): no article text'


def test_file_name_that_is_not_utf8(tmp_path):
    raw_name = os.fsencode(tmp_path) + b"/caf\xe9 \xff.txt"  # Latin-1 bytes: no UTF-8 name
    with open(raw_name, "wb") as fh:
        fh.write(f"Border talks resume\n\n{BODY}\n".encode())
    (path,) = iter_files([tmp_path])
    doc = read_document(path)
    assert doc.source == f"{tmp_path.as_posix()}/caf\\udce9 \\udcff.txt"
    doc.source.encode("utf-8")  # printable and storable: no lone surrogate left


def test_signature_words_at_the_start_of_a_text_are_not_binary(tmp_path):
    doc = read_document(write(tmp_path / "mz.txt", f"MZ Transport strike ends\n\n{BODY}\n"))
    assert doc.title == "MZ Transport strike ends"


# --------------------------------------------------------------------------- entities, DTDs, network


_LAUGHS = ('<!DOCTYPE html [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "' + (f"&lol{i - 1};" if i > 1 else "&lol;") * 10 + '">' for i in range(1, 10))
           + "]>")


def test_doctype_entity_declarations_are_never_expanded(tmp_path):
    page = _LAUGHS + f"<html><body><article><p>{BODY} &lol9;</p></article></body></html>"
    doc = read_document(write(tmp_path / "laughs.html", page))
    assert doc.text == f"{BODY} &lol9;"  # left as written: a billion "lol"s would be 3 GB


def test_external_entities_are_never_read(tmp_path):
    secret = write(tmp_path / "secret.txt", "TOP-SECRET-MARKER")
    page = (f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret.as_posix()}">'
            f'<!ENTITY % p SYSTEM "file://{secret.as_posix()}"> %p;]>'
            f'<html><body><article><p>{BODY} &xxe;</p></article></body></html>')
    for suffix in (".html", ".txt"):  # a .txt file holding HTML is parsed as HTML
        doc = read_document(write(tmp_path / f"xxe{suffix}", page))
        assert "TOP-SECRET-MARKER" not in doc.text and doc.text.startswith(BODY)
    xhtml = '<?xml version="1.0"?>' + page.replace("<html>", '<html xmlns="http://www.w3.org/1999/xhtml">')
    assert "TOP-SECRET-MARKER" not in read_document(write(tmp_path / "x.htm", xhtml)).text


def test_nothing_is_fetched(tmp_path):
    # A listening socket that every reference in the page points at: a fetch would connect to it.
    import socket

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        server.setblocking(False)
        url = f"http://127.0.0.1:{server.getsockname()[1]}"
        page = (f'<!DOCTYPE html SYSTEM "{url}/dtd" [<!ENTITY ext SYSTEM "{url}/ent"><!ENTITY % pe SYSTEM "{url}/pe"> %pe;]>'
                f'<html><head><base href="{url}/"><link rel="stylesheet" href="{url}/css">'
                f'<script type="application/ld+json">{{"@context": "{url}/ctx", "@type": "NewsArticle", '
                f'"datePublished": "2023-07-17"}}</script><script src="{url}/js"></script></head>'
                f'<body><article><p>{BODY} &ext;</p><img src="{url}/img"><iframe src="{url}/frame"></iframe>'
                f'<object data="{url}/obj"></object><svg><use href="{url}/svg#x"/></svg></article></body></html>')
        doc = read_document(write(tmp_path / "refs.html", page))
        assert doc.text == f"{BODY} &ext;" and doc.date == dt.date(2023, 7, 17)
        with pytest.raises(BlockingIOError):
            server.accept()  # no connection was ever made
