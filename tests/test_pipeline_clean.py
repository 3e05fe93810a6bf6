"""Clean: the seed against its hand annotation, the official seeds, and the generic rules on unseen pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from datasette_framing.pipeline.clean import clean, is_wrapped, rules_for
from datasette_framing.pipeline.ingest import read_paths
from datasette_framing.pipeline.lexicon import Lexicon, default_lexicon
from datasette_framing.pipeline.records import Document, Source

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "aljazeera-2022-01-20-blinken-lavrov.txt"
OFFICIAL = ROOT / "seeds" / "official"
GOLD = json.loads((Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "seed-gold.json").read_text("utf-8"))


def blocks_of(doc: Document, kind: str | None = None) -> list[str]:
    return [doc.text[b.start : b.end] for b in doc.blocks if kind is None or b.kind == kind]


def check_structure(doc: Document, source_text: str) -> None:
    """Blocks tile the text with blank lines, are non-empty, trimmed and (bar metadata titles) verbatim."""
    pieces = blocks_of(doc)
    assert "\n\n".join(pieces) == doc.text
    previous = -2
    for block, piece in zip(doc.blocks, pieces):
        assert block.start == previous + 2
        previous = block.end
        assert piece and piece == piece.strip()
        if block.kind in ("paragraph", "heading"):
            assert piece in source_text


@pytest.fixture(scope="module")
def seed_doc() -> Document:
    return clean(Source(path=str(SEED), text=SEED.read_text("utf-8")))


# ------------------------------------------------------------------ the seed


def test_seed_metadata_matches_gold(seed_doc):
    for key in ("outlet", "title", "standfirst", "published", "caption"):
        assert seed_doc.metadata[key] == GOLD["article"][key], key
    assert seed_doc.metadata["source"] == str(SEED)
    assert seed_doc.metadata["format"] == "txt"


def test_seed_boilerplate_is_not_in_the_text(seed_doc):
    for line in GOLD["boilerplate_lines_not_in_sentences"]:
        assert line not in seed_doc.text, line
        assert any(r.startswith(line) for r in seed_doc.removed), line
    # The caption is set apart, not analysed.
    assert GOLD["article"]["caption"] not in seed_doc.text
    assert "20 Jan 2022" not in seed_doc.text


def test_seed_blocks(seed_doc):
    assert blocks_of(seed_doc, "title") == [GOLD["article"]["title"]]
    assert blocks_of(seed_doc, "standfirst") == [GOLD["article"]["standfirst"]]
    assert blocks_of(seed_doc, "heading") == GOLD["subheadings"]
    assert len(blocks_of(seed_doc, "paragraph")) == GOLD["body_paragraphs"]
    assert [b.kind for b in seed_doc.blocks[:3]] == ["title", "standfirst", "paragraph"]
    check_structure(seed_doc, SEED.read_text("utf-8"))


def test_seed_through_analyze_keeps_recovered_metadata():
    from datasette_framing import analyze

    article = analyze(SEED.read_text("utf-8")).to_dict()["article"]
    for key in ("outlet", "title", "standfirst", "published", "caption"):
        assert article[key] == GOLD["article"][key]
    assert article["paragraph_count"] == GOLD["body_paragraphs"]


def test_clean_is_deterministic(seed_doc):
    again = clean(Source(path=str(SEED), text=SEED.read_text("utf-8")))
    assert again == seed_doc


# ------------------------------------------------------------------ official seeds


@pytest.fixture(scope="module")
def official() -> list[tuple[Source, Document]]:
    return [(s, clean(s)) for s in read_paths([OFFICIAL])]


def test_official_seeds_keep_header_metadata_and_title_first(official):
    assert len(official) == 25
    for source, doc in official:
        for key in ("title", "outlet", "published", "url", "author", "licence"):
            assert doc.metadata[key] == source.metadata[key]
        assert doc.blocks[0].kind == "title"
        assert blocks_of(doc)[0] == source.metadata["title"]
        assert blocks_of(doc, "paragraph"), source.path
        check_structure(doc, source.text)


def test_kremlin_and_ukraine_bodies_are_one_paragraph_per_line(official):
    for source, doc in official:
        if "whitehouse" in source.path:
            continue
        lines = [line.strip() for line in source.text.split("\n") if line.strip()]
        assert blocks_of(doc, "paragraph") == lines


def test_white_house_wrapped_lines_join_into_verbatim_paragraphs(official):
    for source, doc in official:
        if "whitehouse" not in source.path:
            continue
        paragraphs = blocks_of(doc, "paragraph")
        # No paragraph is a lone wrapped line: wrapped ones keep their inner line breaks.
        assert any("\n" in p for p in paragraphs), source.path
        for p in paragraphs:
            assert "\n\n" not in p
            assert p in source.text
        # Time stamps, venue lines and end marks are not article text.
        assert "P.M. EST" not in doc.text
        assert "###" not in doc.text
        assert "East Room" not in doc.text.split("\n\n")[1]
        assert not blocks_of(doc, "heading"), blocks_of(doc, "heading")


def test_white_house_transcript_keeps_speaker_labels(official):
    doc = next(d for s, d in official if s.path.endswith("whitehouse-2022-01-20-psaki-press-briefing.txt"))
    paragraphs = blocks_of(doc, "paragraph")
    assert paragraphs[0].startswith("MS. PSAKI:")
    assert paragraphs[1].startswith("Q")
    assert paragraphs[3] == "Okay, I don’t have anything at the top, so let’s kick off with your\nquestions."
    assert sum(p.startswith("MS. PSAKI:") for p in paragraphs) > 50


def test_white_house_text_is_detected_as_wrapped_and_the_seed_is_not(official):
    width = rules_for(default_lexicon()).limits["wrapped_max_width"]
    wh = next(s for s, _ in official if "whitehouse" in s.path)
    lines = _lines(wh.text)
    assert is_wrapped(wh.text, lines, width)
    seed = SEED.read_text("utf-8")
    assert not is_wrapped(seed, _lines(seed), width)


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


# ------------------------------------------------------------------ unseen pages

UNSEEN_PAGE = """Skip to main content
News
World
Business
Sport
Ceasefire talks stall as both sides trade blame
Negotiators left the capital without a deal on Tuesday, officials said.
By Maria Lopez and Tom Becker
Updated: Tuesday, March 8, 2022 14:05 GMT
Delegates arrive for the talks in the capital on Tuesday (AP Photo/Jane Roe)
Advertisement
Talks between the two delegations ended on Tuesday without an agreement, according to officials from both sides.
“We came here in good faith. They did not,” the lead negotiator told reporters after the meeting.
Read more: Five things to know about the ceasefire
The United Nations urged both sides to return to the table within days.
What happens next
Diplomats expect a new round of talks next week in a neutral city, though no date has been set.
Analysts said pressure from allies would grow if fighting resumed.
Share this article
Sign up for our daily briefing newsletter to get the latest news in your inbox
Related stories
Ceasefire explained in five charts
Who are the negotiators
Follow The Daily Ledger on Twitter
© 2022 The Daily Ledger Company. All rights reserved.
We use cookies to improve your experience. By continuing you accept our use of cookies and your privacy settings.
"""


def test_unseen_page_layout_and_metadata():
    doc = clean(Source(path="ledger.txt", text=UNSEEN_PAGE))
    meta = doc.metadata
    assert meta["title"] == "Ceasefire talks stall as both sides trade blame"
    assert meta["standfirst"] == "Negotiators left the capital without a deal on Tuesday, officials said."
    assert meta["author"] == "Maria Lopez and Tom Becker"
    assert meta["published"] == "2022-03-08"
    assert meta["caption"] == "Delegates arrive for the talks in the capital on Tuesday (AP Photo/Jane Roe)"
    assert meta["outlet"] == "The Daily Ledger"
    assert blocks_of(doc, "heading") == ["What happens next"]
    assert blocks_of(doc, "paragraph") == [
        "Talks between the two delegations ended on Tuesday without an agreement, according to officials from both sides.",
        "“We came here in good faith. They did not,” the lead negotiator told reporters after the meeting.",
        "The United Nations urged both sides to return to the table within days.",
        "Diplomats expect a new round of talks next week in a neutral city, though no date has been set.",
        "Analysts said pressure from allies would grow if fighting resumed.",
    ]
    for gone in ("Skip to", "Advertisement", "Read more", "Share this", "newsletter", "Related", "Ceasefire explained",
                 "Follow", "©", "cookies", "Sport"):
        assert gone not in doc.text, gone
    check_structure(doc, UNSEEN_PAGE)


def test_outlet_from_url_domain_when_the_page_names_none():
    doc = clean(Source(path="x.txt", text="Some paragraph of news text here.", metadata={"url": "https://www.example.org/a/b"}))
    assert doc.metadata["outlet"] == "example.org"


def test_metadata_given_wins_over_the_page():
    doc = clean(Source(path="x.txt", text=SEED.read_text("utf-8"), metadata={"outlet": "Mine", "published": "Jan 21, 2022"}))
    assert doc.metadata["outlet"] == "Mine"
    assert doc.metadata["published"] == "2022-01-21"


def test_metadata_title_not_in_body_is_put_first():
    doc = clean(Source(path="x.json", text="First paragraph.\n\nSecond paragraph.", metadata={"title": "Given  title"}, record="3", format="json"))
    assert blocks_of(doc) == ["Given title", "First paragraph.", "Second paragraph."]
    assert [b.kind for b in doc.blocks] == ["title", "paragraph", "paragraph"]
    assert doc.metadata["source"] == "x.json#3" and doc.metadata["format"] == "json"


def test_metadata_title_repeated_in_body_is_not_doubled():
    doc = clean(Source(path="x", text="Big story\n\nText of it.", metadata={"title": "Big Story"}))
    assert blocks_of(doc) == ["Big story", "Text of it."]


def test_header_block_in_raw_text_is_read():
    raw = "title: Raw title\noutlet: Raw Outlet\ndate: 2022-02-24\n\nThe body paragraph.\n"
    doc = clean(Source(path="<text>", text=raw))
    assert doc.metadata["title"] == "Raw title" and doc.metadata["outlet"] == "Raw Outlet"
    assert doc.metadata["published"] == "2022-02-24"
    assert blocks_of(doc) == ["Raw title", "The body paragraph."]
    assert "outlet:" not in doc.text


def test_markdown_headings_are_marked_and_their_marker_left_out():
    doc = clean(Source(path="x.html", text="# Title here\n\nA first paragraph that is long enough.\n\n## Sub part\n\nMore text follows here.", format="html"))
    assert [(b.kind, doc.text[b.start : b.end]) for b in doc.blocks] == [
        ("title", "Title here"), ("paragraph", "A first paragraph that is long enough."),
        ("heading", "Sub part"), ("paragraph", "More text follows here."),
    ]


def test_a_first_sentence_is_not_taken_for_a_title():
    doc = clean(Source(path="x", text="Russia invaded Ukraine on Thursday.\nThe world reacted with sanctions."))
    assert [b.kind for b in doc.blocks] == ["paragraph", "paragraph"]
    assert "title" not in doc.metadata


def test_runs_of_short_lines_are_not_headings():
    text = "Intro paragraph that ends properly.\nApples\nPears\nPlums\nClosing paragraph that ends properly."
    doc = clean(Source(path="x", text=text))
    assert "heading" not in [b.kind for b in doc.blocks]


def test_copyright_near_the_top_does_not_cut_the_article():
    text = "© Reuters\nFirst paragraph of the story is here.\nSecond paragraph is here too.\nThird one."
    doc = clean(Source(path="x", text=text))
    assert blocks_of(doc, "paragraph") == ["First paragraph of the story is here.", "Second paragraph is here too.", "Third one."]


def test_mixed_line_endings_and_separators():
    doc = clean(Source(path="x", text="One paragraph.\r\nTwo paragraph.\rThree paragraph.\u2028Four.\n***\n"))
    assert blocks_of(doc) == ["One paragraph.", "Two paragraph.", "Three paragraph.", "Four."]


def test_empty_and_furniture_only_texts_give_empty_documents():
    for text in ("", "   \n\n \t", "Skip to content\n© 2022 Somebody"):
        doc = clean(Source(path="x", text=text))
        assert doc.text == "" and doc.blocks == ()


def test_rules_file_is_user_overridable(tmp_path):
    custom = (ROOT / "datasette_framing" / "data" / "boilerplate.yml").read_text("utf-8")
    custom = custom.replace("drop:\n", "drop:\n  - name: house-promo\n    match: '^listen to our podcast'\n", 1)
    (tmp_path / "boilerplate.yml").write_text(custom, encoding="utf-8")
    text = "A paragraph of text.\nListen to our podcast about this\nAnother paragraph."
    assert "Listen to our podcast" in clean(Source(path="x", text=text)).text
    doc = clean(Source(path="x", text=text), Lexicon(data_dir=str(tmp_path)))
    assert "Listen to our podcast" not in doc.text
    assert doc.removed == ("Listen to our podcast about this",)


def test_literal_prefilter_never_changes_a_rule_result():
    """The drop and caption rules skip the regex when a literal every match needs is absent.

    Fuzzed with texts glued from the patterns' own words and punctuation (so many match),
    plus real boilerplate lines: the prefiltered search agrees with the plain one every time.
    """
    import random
    import re

    from datasette_framing.pipeline import clean
    from datasette_framing.pipeline.lexicon import default_lexicon

    rules = clean.rules_for(default_lexicon())
    patterns = [p for r in rules.drop for p in ((r.match,) if r.match else ()) + r.all] + list(rules.caption)
    guarded = [p for p in patterns if isinstance(p, clean._Guarded)]
    assert len(guarded) >= 15  # the prefilter is in use for most rules
    assert clean._guarded(re.compile(r"\bcookies?\b")).needed == ("cookie",)
    assert clean._guarded(re.compile(r"(?i)cookie")).__class__ is re.Pattern  # case-blind: no prefilter
    pieces = sorted({w for p in guarded for w in re.findall(r"[a-z]+", p.pattern.pattern)})
    pieces += list("  ..::|-—–[]()/©#") + ["(c)", "\n", "30", "2024", "photo:", " by "]
    rng = random.Random(11)
    texts = ["skip to content", "we use cookies to improve your experience. accept all",
             "© 2024 example news. all rights reserved.", "follow us on twitter",
             "sign up for our newsletter", "advertisement", "download the app",
             "tags: ukraine, russia", "support our journalism", "###", "- 30 -",
             "the minister speaks [photo: reuters/john smith]", "(ap photo/jane doe)",
             "photo: getty images", "kyiv | photo by afp", "image: reuters/alamy"]
    for _ in range(4000):
        texts.append("".join(rng.choice(pieces) + rng.choice(("", " ", " ")) for _ in range(rng.randint(1, 12))))
    for p in guarded:
        for t in texts:
            assert bool(p.search(t)) == bool(p.pattern.search(t)), (p.pattern.pattern, t)
