"""Frames, hedges, boosters and loaded words: hand-checked sentences and evidence tracing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from datasette_framing.pipeline import frames
from datasette_framing.pipeline.lexicon import Lexicon, LexiconError, default_lexicon
from datasette_framing.pipeline.records import Sentence

SEED = Path(__file__).resolve().parents[1] / "seeds" / "aljazeera-2022-01-20-blinken-lavrov.txt"


@pytest.fixture(autouse=True)
def _fresh_matchers():
    frames.matchers.cache_clear()
    yield


# (sentence, frame expected, a word that must be among its evidence)
HAND_CHECKED = [
    ("The two parties clashed over the budget and accused each other of lying.", "conflict", "clashed"),
    ("Biden's comments drew a sharp rebuke from the Kremlin.", "conflict", "rebuke"),
    ("Russia will be held accountable if it invades.", "responsibility", "held accountable"),
    ("The minister said the government must take action to solve the crisis.", "responsibility", "take action"),
    ("Sanctions would cost the economy billions of dollars in lost exports.", "economic", "economy"),
    ("Gas prices soared as investors fled the market.", "economic", "prices"),
    ("A mother of three, she lost her home and fears for her children.", "human_interest", "children"),
    ("Families mourned their loved ones at the funeral.", "human_interest", "loved ones"),
    ("This is a moral question about justice and human rights.", "morality", "human rights"),
    ("The bishop called the killings evil and a sin before God.", "morality", "evil"),
    ("Moscow massed tens of thousands of troops near the border.", "security", "troops"),
    ("The navy will stage exercises involving 140 warships.", "security", "warships"),
    ("Blinken will meet Lavrov in Geneva for talks on de-escalation.", "diplomacy", "de-escalation"),
    ("The envoy said negotiations on a peace treaty would resume.", "diplomacy", "negotiations"),
]


@pytest.mark.parametrize("sentence,frame,word", HAND_CHECKED)
def test_hand_checked_frames(sentence, frame, word):
    signals = frames.text_signals(sentence, default_lexicon())
    assert frame in signals.frames, signals
    assert word in signals.frames[frame]


@pytest.mark.parametrize(
    "sentence",
    [
        "The report was published on Tuesday.",
        "She lives in a small town near the coast.",
    ],
)
def test_plain_sentences_have_no_frames(sentence):
    s = frames.text_signals(sentence, default_lexicon())
    assert s.frames == {}
    assert s.loaded == ()


def test_one_word_can_signal_two_frames_and_phrases_keep_their_parts():
    s = frames.text_signals("They must be punished for war crimes.", default_lexicon())
    assert s.frames["morality"] == ("war crimes",)
    assert s.frames["conflict"] == ("war",)  # the shorter term inside the phrase still counts
    assert s.frames["responsibility"] == ("must be",)
    assert s.boosters == ("must",)


def test_hedges_boosters_loaded():
    lex = default_lexicon()
    s = frames.text_signals("The regime reportedly may have clearly lost its brutal grip, officials suggested.", lex)
    assert set(s.hedges) >= {"reportedly", "may have", "suggested"}
    assert "clearly" in s.boosters
    assert set(s.loaded) >= {"regime", "brutal"}


def test_month_may_is_not_a_hedge_but_modal_may_is():
    lex = default_lexicon()
    assert frames.text_signals("The talks were held in May.", lex).hedges == ()
    assert frames.text_signals("The talks may be held in Geneva.", lex).hedges == ("may",)


def test_word_boundaries():
    lex = default_lexicon()
    # 'warm' and 'award' must not count as 'war'; 'Warsaw' is not 'war*'
    s = frames.text_signals("A warm award ceremony took place in Warsaw.", lex)
    assert "conflict" not in s.frames


def test_evidence_words_are_in_their_sentence_for_the_seed():
    text = SEED.read_text(encoding="utf-8")
    sentences = []
    for m in re.finditer(r"[^\n]+", text):
        sentences.append(Sentence(len(sentences), m.start(), m.end(), len(sentences), "paragraph"))
    out = frames.sentence_signals(text, sentences, default_lexicon())
    assert len(out) == len(sentences)
    framed = 0
    for sentence, signals in zip(sentences, out):
        body = re.sub(r"\s+", " ", text[sentence.start : sentence.end].lower())
        for words in list(signals.frames.values()) + [signals.hedges, signals.boosters, signals.loaded]:
            for w in words:
                assert w in body
        framed += bool(signals.frames)
    assert framed > len(sentences) // 2
    mix = frames.article_frames(out)
    assert mix["security"]["sentences"] >= 5
    assert mix["diplomacy"]["sentences"] >= 3
    assert mix["economic"]["terms"] >= 3


def test_text_whose_lowercase_changes_length_keeps_offsets():
    lex = default_lexicon()
    matcher, _ = frames.matchers(lex)
    text = "İstanbul talks on sanctions"
    hits = matcher.find(text)
    for _cat, words, start, end in hits:
        assert text[start:end].lower() == words
    assert any(w == "sanctions" for _c, w, _s, _e in hits)


def test_user_override_replaces_the_frames(tmp_path):
    (tmp_path / "frames.yml").write_text(
        "frames:\n  sport:\n    terms: [football, goal*]\n", encoding="utf-8"
    )
    lex = Lexicon(data_dir=str(tmp_path))
    s = frames.text_signals("The football team scored two goals amid sanctions.", lex)
    assert s.frames == {"sport": ("football", "goals")}
    # the other lists still come from the package
    assert frames.text_signals("It is clearly so.", lex).boosters == ("clearly",)


@pytest.mark.parametrize(
    "content",
    ["frames: []\n", "frames:\n  x:\n    terms: []\n", "nothing: here\n", "frames:\n  x:\n    terms: [war, no]\n"],
)
def test_bad_frames_file_is_a_clear_error(tmp_path, content):
    (tmp_path / "frames.yml").write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError, match="frames.yml"):
        frames.text_signals("x", Lexicon(data_dir=str(tmp_path)))


def test_every_packaged_frame_documents_its_source():
    for d in frames.frame_definitions(default_lexicon()):
        assert d.source and d.description and d.questions, d.name
    assert tuple(d.name for d in frames.frame_definitions(default_lexicon())) == frames.FRAMES


def test_new_signals_equals_the_dataclass_constructor():
    """_signals fills Signals' instance dict directly (cheaper than the frozen __init__):
    the result must be the same object in every way a caller can see."""
    import dataclasses
    import pickle

    from datasette_framing.pipeline.frames import Signals, _new_signals

    args = ({"conflict": ("war",)}, ("may",), ("clearly",), ("brutal",))
    fast, slow = _new_signals(*args), Signals(*args)
    assert fast == slow
    assert list(vars(fast).items()) == list(vars(slow).items())
    assert dataclasses.asdict(fast) == dataclasses.asdict(slow)
    assert pickle.loads(pickle.dumps(fast)) == slow
    assert _new_signals({}, (), (), ()) == Signals()
    assert _new_signals({}, (), (), ()).frames is not _new_signals({}, (), (), ()).frames  # never shared
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.hedges = ()  # type: ignore[misc]
