"""Descriptors: titles, appositives, modifiers and noun modifiers attached to mentions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from datasette_framing.pipeline import descriptors
from datasette_framing.pipeline.lexicon import Lexicon, default_lexicon
from datasette_framing.pipeline.records import Block, Document, Mention, Sentence

SEED = Path(__file__).resolve().parents[1] / "seeds" / "aljazeera-2022-01-20-blinken-lavrov.txt"


def labels_for(sentence: str, surface: str, role: str = "other", occurrence: int = 0) -> tuple[str, ...]:
    """Descriptors of the `occurrence`-th `surface` in a one-sentence document."""
    starts = [m.start() for m in re.finditer(re.escape(surface), sentence)]
    start = starts[occurrence]
    doc = Document(text=sentence, blocks=(Block(0, 0, len(sentence), "paragraph"),), metadata={})
    sent = Sentence(0, 0, len(sentence), 0, "paragraph")
    mention = Mention("x", start, start + len(surface), surface, 0, role=role)
    (out,) = descriptors.attach(doc, (sent,), (mention,), default_lexicon())
    return out.descriptors


@pytest.mark.parametrize(
    "sentence,surface,role,expected",
    [
        # titles written inside the mention
        ("US Secretary of State Antony Blinken on Thursday said so.", "US Secretary of State Antony Blinken", "speaker", ("US secretary of state",)),
        ("On Friday he will meet Russian Foreign Minister Sergey Lavrov in Geneva.", "Russian Foreign Minister Sergey Lavrov", "patient", ("Russian foreign minister",)),
        ("The remarks by President Joe Biden suggested divisions.", "President Joe Biden", "other", ("president",)),
        ("On Thursday, the US president sought to clarify his remarks.", "the US president", "agent", ("US president",)),
        # a title just outside the mention
        ("Kremlin spokesman Dmitry Peskov rejected the claim.", "Dmitry Peskov", "agent", ("Kremlin spokesman",)),
        # appositives
        ("Ursula von der Leyen, chief of the European Union’s executive arm, said the bloc would respond.", "Ursula von der Leyen", "speaker", ("chief of the European Union's executive arm",)),
        ("Moscow, Europe’s main energy supplier, has long calculated that the West would stop short.", "Moscow", "agent", ("Europe's main energy supplier",)),
        ("It could halt Nord Stream 2, a new gas pipeline from Russia that skirts Ukraine, if Moscow invades.", "Nord Stream 2", "patient", ("new gas pipeline from Russia",)),
        # demonyms and possessives: the noun they modify
        ("Washington says any Russian aggression towards Ukraine will be met with a response.", "Russian", "modifier", ("aggression",)),
        ("If any assembled Russian units move across the border, that is an invasion.", "Russian", "modifier", ("unit",)),
        ("It was a call for the Washington-led NATO military alliance to end military activity.", "NATO", "patient", ("Washington-led", "military alliance")),
        ("Talks between Washington and Moscow’s top diplomats went on.", "Moscow", "modifier", ("top diplomat",)),
        ("Eyeing those talks, Washington’s European allies also stressed their unity.", "Washington", "speaker", ("European ally",)),
        ("He expected Russia’s sweeping wishlist of security demands to be met.", "Russia", "modifier", ("sweeping wishlist",)),
        ("The collapse of the historical Russia known as the USSR is on their conscience.", "Russia", "other", ("historical",)),
        ("These are the red lines the President spoke about.", "the President", "speaker", ("president",)),
        ("He spoke with French President Emmanuel Macron, German Chancellor Olaf Scholz, and others.", "French President Emmanuel Macron", "other", ("French president",)),
        # a relative clause with an object
        ("It appeared to anger Ukrainian President Volodymyr Zelenskyy, who issued an unusually blunt public riposte towards Kyiv.", "Ukrainian President Volodymyr Zelenskyy", "agent", ("Ukrainian president", "unusually blunt public riposte")),
    ],
)
def test_hand_checked_descriptors(sentence, surface, role, expected):
    assert labels_for(sentence, surface, role) == expected


@pytest.mark.parametrize(
    "sentence,surface,role",
    [
        ("Russia announced on Thursday its navy would stage exercises.", "Russia", "agent"),  # a verb, not a noun
        ("The made up of the US, Germany, France and the United Kingdom met.", "US", "other"),  # a list, not an appositive
        ("It annexed Ukraine’s Crimean Peninsula in 2014.", "Ukraine", "modifier"),  # runs into a name
        ("Ahead of the Blinken-Lavrov talks, tension rose.", "Blinken", "modifier"),  # a compound
        ("Sanctions against Russia, the US president said, would be severe.", "Russia", "patient"),  # a clause
        ("He met Blinken in the Ukrainian capital.", "Blinken", "patient"),
        ("It means lifting up those tariffs on China.", "China", "patient"),  # 'on' is not a modifier
        ("It had a devastating impact on Russia.", "Russia", "patient"),
        ("When the U.S. presents its response next week, will it offer something?", "U.S.", "agent"),  # a verb
        ("I note that the Treasury Department did announce sanctions.", "Treasury Department", "agent"),  # a name, not a title
    ],
)
def test_no_false_descriptors(sentence, surface, role):
    assert labels_for(sentence, surface, role) == ()


def test_second_occurrence_and_existing_descriptors_are_kept():
    sentence = "Russian troops and Russian aggression."
    assert labels_for(sentence, "Russian", "modifier", occurrence=1) == ("aggression",)
    doc = Document(text=sentence, blocks=(Block(0, 0, len(sentence), "paragraph"),), metadata={})
    sent = Sentence(0, 0, len(sentence), 0, "paragraph")
    m = Mention("russia", 0, 7, "Russian", 0, role="modifier", descriptors=("already there",))
    (out,) = descriptors.attach(doc, (sent,), (m,), default_lexicon())
    assert out.descriptors == ("already there", "troop")
    assert m.descriptors == ("already there",)  # the input is not changed


def test_mention_outside_its_sentence_is_left_alone():
    doc = Document(text="Russian aggression.", blocks=(), metadata={})
    m = Mention("russia", 0, 7, "Russian", 5, role="modifier")
    assert descriptors.attach(doc, (Sentence(0, 0, 19, 0, "paragraph"),), (m,), default_lexicon()) == (m,)


@pytest.mark.parametrize(
    "plural,singular",
    [("allies", "ally"), ("diplomats", "diplomat"), ("crises", "crisis"), ("talks", "talks"), ("boss", "boss"),
     ("marches", "march"), ("news", "news"), ("US", "US")],
)
def test_singular(plural, singular):
    assert descriptors.singular(plural) == singular


def test_every_label_of_the_seed_is_written_near_its_mention():
    """Labels are lower-cased and lemmatised, but their words come from the sentence."""
    from datasette_framing import analyze

    analysis = analyze(SEED.read_text(encoding="utf-8"))
    found = 0
    for m in analysis.mentions:
        s = analysis.sentences[m.sentence]
        sentence = analysis.text[s.start : s.end].lower().replace("’", "'")
        for label in m.descriptors:
            found += 1
            for word in label.lower().replace("’", "'").split():
                stem = word[:-1] if len(word) > 3 else word  # singular heads: 'ally' in 'allies'
                assert stem[:4] in sentence, (label, sentence)
    assert found >= 15


def test_user_override_of_word_classes(tmp_path):
    base = default_lexicon().load("descriptors.yml")
    custom = dict(base)
    custom["demonym_suffixes"] = []  # no demonyms: 'Russian aggression' gives nothing
    import yaml

    (tmp_path / "descriptors.yml").write_text(yaml.safe_dump(custom), encoding="utf-8")
    lex = Lexicon(data_dir=str(tmp_path))
    sentence = "Russian aggression will be met."
    doc = Document(text=sentence, blocks=(), metadata={})
    m = Mention("russia", 0, 7, "Russian", 0, role="other")
    sents = (Sentence(0, 0, len(sentence), 0, "paragraph"),)
    assert descriptors.attach(doc, sents, (m,), default_lexicon())[0].descriptors == ("aggression",)
    assert descriptors.attach(doc, sents, (m,), lex)[0].descriptors == ()


def test_bare_yaml_booleans_are_a_clear_error(tmp_path):
    from datasette_framing.pipeline.lexicon import LexiconError

    (tmp_path / "descriptors.yml").write_text("stopwords: [of, on, off]\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="quote"):
        descriptors.words(Lexicon(data_dir=str(tmp_path)))


def test_described_mention_equals_dataclasses_replace():
    """attach fills descriptors by copying the instance dict (cheaper than replace):
    the result must be the same object in every way a caller can see."""
    import dataclasses
    import pickle

    from datasette_framing.pipeline.descriptors import _described
    from datasette_framing.pipeline.records import Mention

    m = Mention("russia", 0, 6, "Russia", 0, role="agent", descriptors=("embattled",))
    fast = _described(m, ("embattled", "nuclear-armed"))
    slow = dataclasses.replace(m, descriptors=("embattled", "nuclear-armed"))
    assert fast == slow and hash(fast) == hash(slow)
    assert list(vars(fast).items()) == list(vars(slow).items())
    assert dataclasses.asdict(fast) == dataclasses.asdict(slow)
    assert pickle.loads(pickle.dumps(fast)) == slow
    assert m.descriptors == ("embattled",)  # the input is left as it was
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.descriptors = ()  # type: ignore[misc]
