"""The Python API: cleaning, options, results, site models, readers."""

from __future__ import annotations

import json
import pickle
import threading
from pathlib import Path
from typing import Any

import pytest

import boildown

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
FIXTURES = REPO / "tests" / "fixtures"
SAMPLES = REPO / "www" / "samples" / "site"


def test_clean_removes_the_repeat_and_says_why() -> None:
    cleaned = boildown.clean("Top stories\nThe council met on Monday.\nTop stories")
    assert cleaned.text == "Top stories\n\nThe council met on Monday."
    report = cleaned.to_dict()
    assert set(report) >= {"text", "blocks", "stats"}
    assert report["blocks"][2]["verdict"] == "remove"
    assert report["blocks"][2]["reason"]["kind"] == "exact_repeat"
    assert report["blocks"][2]["reason"]["of"] == 0
    assert cleaned.stats["exact_repeats"] == 1
    assert cleaned.format == "text"
    assert json.loads(cleaned.to_json()) == report


def test_start_and_end_index_the_python_string() -> None:
    page = "Café 😀 menu\nLa réunion du conseil a eu lieu lundi. 🎉\nCafé 😀 menu"
    cleaned = boildown.clean(page, format="text")
    blocks = cleaned.blocks
    assert [page[b["start"] : b["end"]] for b in blocks] == [b["text"] for b in blocks]
    assert blocks[1]["start"] == page.index("La réunion")


ARTICLE = (REPO / "www" / "samples" / "news-article.html").read_text(encoding="utf-8")


def test_bytes_are_decoded_as_natively_and_index_the_source() -> None:
    html = (
        ARTICLE.replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
        .replace("Traders in the old town", "Traders in the old town, café owners,")
        .encode("cp1252")
    )
    cleaned = boildown.clean(html)
    assert cleaned.decoding == {"encoding": "windows-1252", "source": "meta", "overruled": None, "replaced": 0}
    assert "café owners" in cleaned.text
    assert cleaned.source is not None
    block = next(b for b in cleaned.blocks if "café" in b["text"])
    assert "café owners" in cleaned.source[block["start"] : block["end"]]
    # The charset from outside the page, for bytes.
    plain = boildown.clean(b"caf\xe9 au lait", format="text", charset="latin1")
    assert plain.text == "café au lait"
    assert boildown.clean(bytearray(b"abc"), format="text").text == "abc"
    assert boildown.clean(memoryview(b"abc"), format="text").text == "abc"


def test_html_results_have_a_title_blocks_and_safe_markup() -> None:
    cleaned = boildown.clean(ARTICLE)
    assert cleaned.format == "html"
    assert cleaned.title
    assert "Traders in the old town" in cleaned.text
    assert "<p>" in cleaned.html and "<script" not in cleaned.html
    menu = next(b for b in cleaned.blocks if b["verdict"] == "remove" and b["reason"]["kind"] == "boilerplate")
    assert isinstance(menu["reason"]["score"], float)
    # For HTML, start/end index the source: the block's first to last text.
    first = next(b for b in cleaned.blocks if b["verdict"] == "keep")
    assert ARTICLE[first["start"] : first["end"]].startswith(first["text"][:10])


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"near_distanse": 3}, "unknown option `near_distanse`"),
        ({"near_distance": "8"}, "invalid type for `near_distance`: expected an int, not str"),
        ({"near_distance": True}, "invalid type for `near_distance`"),
        ({"near_distance": -1}, "`near_distance` must be a whole number"),
        ({"near_distance": 2**40}, "`near_distance` must be a whole number"),
        ({"near_repeats": 1}, "invalid type for `near_repeats`: expected a bool, not int"),
        ({"policy": "keep_last"}, "unknown `policy` \"keep_last\""),
        ({"policy": 3}, "invalid type for `policy`: expected a str"),
        ({"near_distance": 40}, "near"),  # out of the range Config accepts
    ],
)
def test_an_unknown_or_ill_typed_option_is_an_error_naming_it(options: dict[str, Any], message: str) -> None:
    with pytest.raises(boildown.Error, match=None) as caught:
        boildown.Cleaner(**options)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)
    with pytest.raises(boildown.Error):
        boildown.clean("text", **options)


def test_options_have_the_rust_names_and_none_means_the_default() -> None:
    cleaner = boildown.Cleaner(policy="remove_all", near_distance=None)
    assert list(cleaner.options) == boildown.OPTIONS
    assert cleaner.options["policy"] == "remove_all"
    assert cleaner.options["near_distance"] == boildown.Cleaner().options["near_distance"]
    assert cleaner.clean("Subscribe now\nReal text.\nSubscribe now").text == "Real text."
    assert pickle.loads(pickle.dumps(cleaner)).options == cleaner.options
    with pytest.raises(boildown.Error, match="format"):
        boildown.clean("x", format="pdf")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="a page is a str or bytes, not int"):
        boildown.clean(3)  # type: ignore[arg-type]


def test_a_page_object_carries_its_url_and_site() -> None:
    page = boildown.Page(b"<p>x</p>", format="html", url="https://www.example.org/a", charset="utf-8")
    assert (page.format, page.url, page.site, page.charset) == ("html", "https://www.example.org/a", None, "utf-8")
    model = boildown.SiteModel()
    assert model.observe(page)
    assert model.sites() == ["example.org"]
    with pytest.raises(boildown.Error, match="carries"):
        boildown.clean(page, url="https://other.example/")


def test_clean_many_equals_clean_one_by_one_in_order() -> None:
    pages: list[str | bytes | boildown.Page] = [
        f"Menu\nStory {i} about the harbour, long enough to be read.\nMenu" for i in range(50)
    ]
    pages.append(b"<p>bytes \xc3\xa9</p>")
    pages.append(boildown.Page("Menu\nA text.", format="text", site="s"))
    cleaner = boildown.Cleaner(dedup_only=True)
    many = cleaner.clean_many(pages, threads=2)
    assert [c.to_dict() for c in many] == [cleaner.clean(p).to_dict() for p in pages]
    assert many == [cleaner.clean(p) for p in pages]
    assert [c.text for c in cleaner.clean_many(pages)] == [c.text for c in many]
    with pytest.raises(boildown.Error, match="threads"):
        cleaner.clean_many(pages, threads=0)


def test_cleaning_releases_the_gil() -> None:
    # Threads clean at once; each result is the one-thread result.
    page = "\n".join(f"Line {i} of a long page with some words in it." for i in range(3000))
    expected = boildown.clean(page).text
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(boildown.clean(page).text)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 4


def test_the_seed_fixture_loses_exactly_its_repeats() -> None:
    text = (FIXTURES / "commonspace-azerbaijan-china.txt").read_text(encoding="utf-8")
    expected = json.loads((FIXTURES / "commonspace-azerbaijan-china.expected.json").read_text())
    cleaned = boildown.clean(text, format="text", dedup_only=True)

    def line_of(index: int) -> int:
        return text[:index].count("\n") + 1

    blocks = cleaned.blocks
    removed = {
        str(line_of(b["start"])): line_of(blocks[b["reason"]["of"]]["start"])
        for b in blocks
        if b["verdict"] == "remove"
    }
    assert removed == expected["repeats"]


def test_a_snapshot_made_in_rust_loads_and_cleans_as_natively() -> None:
    snapshot = (FIXTURES / "coast-gazette.site-model").read_bytes()
    model = boildown.SiteModel.from_bytes(snapshot)
    assert model.sites() == ["coast-gazette.example"]
    assert model.pages("coast-gazette.example") == 5
    pages = [(SAMPLES / f"story-{i}.html").read_text(encoding="utf-8") for i in range(5)]
    # The same counts as observing the same pages here: the same bytes.
    here = boildown.SiteModel()
    for page in pages:
        assert here.observe(page, site="coast-gazette.example")
    assert not here.observe(pages[0], url="https://coast-gazette.example/a")
    assert not here.observe(pages[0])  # no site key
    assert here.to_bytes() == snapshot
    report = boildown.clean(pages[0], site="coast-gazette.example", model=model)
    newsletter = next(b for b in report.blocks if b["text"].startswith("Sign up"))
    assert newsletter["verdict"] == "remove"
    assert newsletter["reason"]["kind"] == "site_template"
    assert "The old harbour reopened on Saturday" in report.text
    assert report.stats["site_template"] > 0
    assert report.site == "coast-gazette.example"
    template = model.template("coast-gazette.example")
    assert any(t["pages"] == 5 and (t["text"] or "").startswith("Sign up to our newsletter") for t in template)
    exact = boildown.fingerprint(newsletter["text"])["exact"]
    assert exact == newsletter["exact"]
    assert model.count("coast-gazette.example", exact) == 5
    with pytest.raises(boildown.Error, match="invalid site model"):
        boildown.SiteModel.from_bytes(snapshot[:30])
    back = pickle.loads(pickle.dumps(model))
    assert back.to_bytes() == snapshot


def test_partial_models_merge_into_the_model_of_all_pages() -> None:
    pages = [(SAMPLES / f"story-{i}.html").read_text(encoding="utf-8") for i in range(5)]
    one = boildown.SiteModel()
    parts = [boildown.SiteModel(partial=True) for _ in pages]
    for page, part in zip(pages, parts):
        one.observe(page, site="s")
        part.observe(page, site="s")
    merged = boildown.SiteModel()
    for part in reversed(parts):
        merged.merge(part)
    assert merged.to_bytes() == one.to_bytes()
    snapshots = [p.to_bytes() for p in parts]
    assert boildown.merge_snapshots(snapshots, partial=False) == one.to_bytes()
    tree = boildown.merge_snapshots(
        [boildown.merge_snapshots(snapshots[:2], partial=True), boildown.merge_snapshots(snapshots[2:], partial=True)],
        partial=False,
    )
    assert tree == one.to_bytes()
    assert boildown.SiteModel.from_bytes(snapshots[0]).partial
    assert [site for site, _ in one.split()] == ["s"]


def test_budgets_are_checked() -> None:
    assert boildown.SiteModel(blocks_per_site=100).budget["blocks_per_site"] == 100
    with pytest.raises(boildown.Error, match="blocks_per_site"):
        boildown.SiteModel(blocks_per_site="many")  # type: ignore[arg-type]


def test_readers_yield_every_record_with_its_position(tmp_path: Path) -> None:
    rows = tmp_path / "pages.jsonl"
    rows.write_text(
        '{"id": "a", "url": "https://x.example/1", "html": "<p>One</p>", "lang": "en"}\n'
        "not json\n"
        '{"url": "https://x.example/2", "text": "Two"}\n',
        encoding="utf-8",
    )
    records = list(boildown.read(rows))
    assert [type(r).__name__ for r in records] == ["Document", "Rejected", "Document"]
    first = records[0]
    assert isinstance(first, boildown.Document)
    assert (first.id, first.url, first.format, first.body) == ("a", "https://x.example/1", "html", b"<p>One</p>")
    assert first.extra == {"lang": '"en"'}
    assert (first.position_kind, first.position) == ("line", 1)
    assert isinstance(records[1], boildown.Rejected) and records[1].position == 2
    third = records[2]
    assert isinstance(third, boildown.Document) and third.format == "text"
    assert boildown.clean(third.page()).text == "Two"
    with pytest.raises(boildown.Error, match="not an input"):
        boildown.read(tmp_path / "pages.csv")
    assert boildown.inputs([tmp_path]) == [str(rows)]


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="no ../shared/corpus")
def test_a_real_warc_reads_as_the_corpus_command_counts_it() -> None:
    records = list(boildown.read(SHARED / "corpus" / "dolma-sample-0000.warc.gz"))
    documents = [r for r in records if isinstance(r, boildown.Document)]
    skipped = [r for r in records if isinstance(r, boildown.Skipped)]
    assert len(documents) + len(skipped) == len(records)
    assert documents and all(d.id and d.id.startswith("<urn:uuid:") for d in documents)
    assert {s.kind.split()[0] for s in skipped} >= {"warcinfo", "request"}
    clipped = list(boildown.read(SHARED / "corpus" / "resiliparse-clipped.warc.gz"))
    assert any(isinstance(r, boildown.Rejected) for r in clipped)
