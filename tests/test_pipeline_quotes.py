"""Quotes: spans, kinds, cues and speakers (pipeline/quotes.py).

The seed tests run the real pipeline (``datasette_framing.analyze``) on the seed
article and hold it to the hand annotation in ``../shared/fixtures/seed-gold.json``.
The unit tests build Documents, Actors and Mentions by hand so that each rule is
tested on its own, whatever the actors stage finds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from datasette_framing import analyze
from datasette_framing.pipeline import quotes, split
from datasette_framing.pipeline.lexicon import Lexicon, LexiconError, default_lexicon
from datasette_framing.pipeline.records import Actor, Block, Document, Mention, Quote

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "aljazeera-2022-01-20-blinken-lavrov.txt"
GOLD = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "seed-gold.json"


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def document(text: str) -> Document:
    """One block per non-empty line, offsets into ``text`` unchanged."""
    blocks = []
    for m in re.finditer(r"[^\n]+", text):
        blocks.append(Block(len(blocks), m.start(), m.end(), "paragraph"))
    return Document(text=text, blocks=tuple(blocks), metadata={})


def find(text: str, actors=(), mentions=(), lexicon: Lexicon | None = None) -> tuple[Quote, ...]:
    doc = document(text)
    return quotes.find_quotes(doc, split.split(doc), tuple(actors), tuple(mentions), lexicon or default_lexicon())


def mention(text: str, surface: str, actor: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Mention(actor=actor, start=start, end=start + len(surface), surface=surface, sentence=0)


def one(found, text: str) -> Quote:
    hits = [q for q in found if q.text == text]
    assert len(hits) == 1, (text, [(q.kind, q.text) for q in found])
    return hits[0]


# ---------------------------------------------------------------------------
# The seed, through the real pipeline


@pytest.fixture(scope="module")
def seed():
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    analysis = analyze(SEED.read_text(encoding="utf-8"))
    return gold, analysis


def test_seed_quotes_are_consistent(seed):
    _, a = seed
    assert a.quotes
    for q in a.quotes:
        assert q.text == a.text[q.start : q.end]
        assert q.kind in ("direct", "partial", "indirect")
        assert q.resolution in quotes.RESOLUTIONS
        assert a.sentences[q.sentence].start <= q.start < max(a.sentences[q.sentence].end, q.start + 1)
        if q.speaker_start is not None:
            assert q.speaker_text == a.text[q.speaker_start : q.speaker_end]
        if q.cue_start is not None:
            assert q.cue == a.text[q.cue_start : q.cue_end]
            assert q.cue_class in quotes.CLASSES
        if q.speaker is not None:
            assert q.speaker in {actor.key for actor in a.actors}


def test_seed_every_quote_with_its_speaker_and_kind(seed):
    gold, a = seed
    missing = []
    for g in gold["quotes"]:
        if g.get("optional"):
            continue
        hits = [q for q in a.quotes if q.text.strip() == g["text"].strip()]
        ok = [q for q in hits if q.kind == g["kind"] and q.speaker == slug(g["speaker"])]
        if not ok:
            missing.append((g["text"], g["kind"], g["speaker"], [(q.kind, q.speaker) for q in hits]))
    assert not missing


def test_seed_cue_words(seed):
    gold, a = seed
    for g in gold["quotes"]:
        if g.get("optional") or "cue" not in g:
            continue
        hit = next(q for q in a.quotes if q.text.strip() == g["text"].strip() and q.kind == g["kind"])
        assert hit.cue == g["cue"], g["text"]


def test_seed_indirect_speech(seed):
    gold, a = seed
    right = []
    for g in gold["indirect_speech"]:
        for q in a.quotes:
            if q.kind != "indirect":
                continue
            sentence = a.sentences[q.sentence]
            if g["contains"] in a.text[sentence.start : sentence.end] and q.speaker == slug(g["speaker"]):
                right.append(g["contains"])
                break
    assert len(right) >= 10, sorted(set(g["contains"] for g in gold["indirect_speech"]) - set(right))


def test_seed_pronoun_speakers_are_resolved(seed):
    _, a = seed
    pronoun = [q for q in a.quotes if q.resolution == "pronoun"]
    assert {q.speaker_text.lower() for q in pronoun} >= {"she", "he", "it"}
    assert all(q.speaker for q in pronoun if q.kind == "direct")


# ---------------------------------------------------------------------------
# Quotation marks


def test_apostrophes_are_not_quote_marks():
    text = "It’s Russia’s view that the countries’ border is safe, you’re told, Moscow said."
    found = find(text)
    assert all(q.kind == "indirect" for q in found)
    assert one(found, "It’s Russia’s view that the countries’ border is safe, you’re told")


@pytest.mark.parametrize(
    "text, content",
    [
        ("“We will not back down,” she said.", "We will not back down,"),
        ('"We will not back down," she said.', "We will not back down,"),
        ("‘We will not back down,’ she said.", "We will not back down,"),
        ("''We will not back down,'' she said.", "We will not back down,"),
    ],
)
def test_straight_curly_single_double_marks(text, content):
    q = one(find(text), content)
    assert (q.kind, q.speaker_text, q.cue, q.cue_lemma) == ("direct", "she", "said", "say")


def test_nested_quote_stays_inside_the_outer_one():
    text = "“He told me ‘never again’ and I believed him,” the minister said."
    found = find(text)
    assert [q.text for q in found] == ["He told me ‘never again’ and I believed him,"]
    assert found[0].speaker_text == "the minister"


def test_unbalanced_mark_does_not_swallow_the_article():
    text = "The mayor said the plan was “a disaster.\nThe council met on Monday.\nIt voted for the budget."
    found = find(text)
    assert found
    first_paragraph_end = text.index("\n")
    assert all(q.end <= first_paragraph_end for q in found)


def test_quote_continues_into_the_next_paragraph():
    text = (
        "“We have a plan for the economy,” the senator said. “It starts with jobs.\n"
        "“And it ends with growth,” she added.\n"
        "The rally ended at noon."
    )
    found = find(text)
    cont = [q for q in found if q.text.startswith("It starts with jobs.")]
    assert len(cont) == 1
    assert cont[0].text.endswith("And it ends with growth,")
    assert "The rally" not in cont[0].text


def test_multi_sentence_quote_is_one_quote():
    text = "“It depends on what it does. It’s one thing if it’s a minor incursion,” he added."
    q = one(find(text), "It depends on what it does. It’s one thing if it’s a minor incursion,")
    assert (q.kind, q.cue) == ("direct", "added")


def test_interrupted_quote_keeps_its_speaker():
    text = "“We will win,” Ms. Sherry said, “and we will win big.”"
    found = find(text)
    assert one(found, "and we will win big.").speaker_text == "Ms. Sherry"


# ---------------------------------------------------------------------------
# Cues and kinds


@pytest.mark.parametrize(
    "text, speaker, cue",
    [
        ("“Talks will go on,” said Antony Blinken.", "Antony Blinken", "said"),
        ("“Talks will go on,” Blinken told reporters on Thursday.", "Blinken", "told"),
        ("Blinken said: “Talks will go on.”", "Blinken", "said"),
        ("“Talks will go on,” Ursula von der Leyen, chief of the European Commission, said.", "Ursula von der Leyen", "said"),
        ("“Talks will go on,” Sen. Ted Cruz (R-Texas) said.", "Sen. Ted Cruz", "said"),
        ("“Talks will go on,” the senator, who asked not to be named, said.", "the senator", "said"),
        ("“Talks will go on.” Trump said.", "Trump", "said"),
        ("“Talks will go on,” said one former GOP leadership aide.", "one former GOP leadership aide", "said"),
    ],
)
def test_direct_quote_frames(text, speaker, cue):
    q = one(find(text), "Talks will go on," if "," in text.split("”")[0] else "Talks will go on.")
    assert (q.kind, q.speaker_text, q.cue) == ("direct", speaker, cue)


def test_partial_quotes_take_the_reported_clause_and_its_speaker():
    text = "Baerbock demanded Moscow take urgent “steps towards de-escalation”, cautioning any “aggression” would have “serious consequences”."
    found = find(text)
    assert one(found, "steps towards de-escalation").cue == "demanded"
    for fragment in ("aggression", "serious consequences"):
        q = one(found, fragment)
        assert (q.kind, q.cue, q.cue_lemma, q.cue_class, q.speaker_text) == (
            "partial", "cautioning", "caution", "warning", "Baerbock")
    assert one(found, "Moscow take urgent “steps towards de-escalation”").kind == "indirect"


@pytest.mark.parametrize(
    "text, content, speaker, cue",
    [
        ("Russia denies it is planning an attack.", "it is planning an attack", "Russia", "denies"),
        ("Biden said on Wednesday that he expected Putin to move in.", "he expected Putin to move in", "Biden", "said"),
        ("The navy will stage drills in the Pacific, the ministry said in a statement.",
         "The navy will stage drills in the Pacific", "the ministry", "said"),
        ("The drills will last a month, said Sergei Shoigu.", "The drills will last a month", "Sergei Shoigu", "said"),
        ("According to the Interfax news agency, two battalions are on the move.",
         "two battalions are on the move", "the Interfax news agency", "According to"),
        ("Two battalions are on the move, according to Interfax.", "Two battalions are on the move", "Interfax", "according to"),
        ("Moscow has also warned it could take unspecified military action.",
         "it could take unspecified military action", "Moscow", "warned"),
        ("The report, published on Tuesday, found that emissions rose by 5%.",
         "emissions rose by 5%", "The report", "found"),
        ("Republicans, whose primary is far more volatile, may now ask whether he can win.",
         "whether he can win", "Republicans", "ask"),
        ("She added that the move was disappointing and called for an inquiry.",
         "the move was disappointing", "She", "added"),
        ("She added that the move was disappointing and called for an inquiry.",
         "an inquiry", "She", "called for"),
        ("“It was bad,” he said, referring to other controversial comments made by the frontrunner.",
         "other controversial comments made by the frontrunner", "he", "referring to"),
    ],
)
def test_indirect_speech(text, content, speaker, cue):
    q = one(find(text), content)
    assert (q.kind, q.speaker_text, q.cue) == ("indirect", speaker, cue)


def test_cue_classes_come_from_the_cue_list():
    found = find("Trump claimed the vote was rigged. Clinton admitted she had made a mistake.")
    assert one(found, "the vote was rigged").cue_class == "distancing"
    assert one(found, "she had made a mistake").cue_class == "conceding"


def test_nouns_and_passives_are_not_cues():
    found = find(
        "His remarks drew criticism. The claims of fraud were rejected by the court. "
        "Its security demands are not met. He was told to leave."
    )
    assert not [q for q in found if q.cue in ("remarks", "claims", "demands", "told")]


def test_i_and_we_inside_a_quote_are_never_speakers():
    found = find("“I said we would win, and we told them so,” Clinton said.")
    assert len(found) == 1
    assert found[0].speaker_text == "Clinton"


def test_floating_quote_goes_to_the_previous_speaker():
    text = (
        "“The economy is strong,” the governor said.\n"
        "“We have created thousands of jobs and we will create more.”\n"
        "The governor then left."
    )
    q = one(find(text), "We have created thousands of jobs and we will create more.")
    assert (q.kind, q.resolution, q.speaker_text) == ("direct", "floating", "the governor")


def test_short_scare_quotes_with_no_cue_are_dropped():
    assert find("Critics call it a “pivot” to Asia that never came.") == ()


# ---------------------------------------------------------------------------
# Speaker keys from actors and mentions


BIDEN = Actor("joe-biden", "Joe Biden", "person", "united-states")
HARRIS = Actor("kamala-harris", "Kamala Harris", "person", "united-states")
US = Actor("united-states", "United States", "country")
RUSSIA = Actor("russia", "Russia", "country")


def test_named_and_metonym_speakers():
    text = "Biden said talks would go on. Moscow said it would not attend the talks."
    ms = [mention(text, "Biden", "joe-biden"), mention(text, "Moscow", "russia")]
    found = find(text, [BIDEN, RUSSIA], ms)
    assert (one(found, "talks would go on").speaker, one(found, "talks would go on").resolution) == ("joe-biden", "named")
    q = one(found, "it would not attend the talks")
    assert (q.speaker, q.resolution) == ("russia", "metonym")


def test_pronoun_takes_the_most_recently_named_person_outside_quotes():
    text = (
        "Biden met Kamala Harris in the morning.\n"
        "“Putin will move in,” she said.\n"
        "Russia denies it. The drills are routine, it said."
    )
    ms = [
        mention(text, "Biden", "joe-biden"),
        mention(text, "Kamala Harris", "kamala-harris"),
        mention(text, "Putin", "vladimir-putin"),
        mention(text, "Russia", "russia"),
    ]
    actors = [BIDEN, HARRIS, RUSSIA, Actor("vladimir-putin", "Vladimir Putin", "person")]
    found = find(text, actors, ms)
    q = one(found, "Putin will move in,")
    assert (q.speaker, q.resolution, q.speaker_text) == ("kamala-harris", "pronoun", "she")
    q = one(found, "The drills are routine")
    assert (q.speaker, q.resolution) == ("russia", "pronoun")


def test_role_description_resolves_to_the_nearest_person():
    text = "Biden spoke in the morning. Later the president said the sanctions would be severe."
    found = find(text, [BIDEN], [mention(text, "Biden", "joe-biden")])
    q = one(found, "the sanctions would be severe")
    assert (q.speaker, q.resolution, q.speaker_text) == ("joe-biden", "role", "the president")


def test_role_description_uses_the_mention_the_actors_stage_gave_it():
    text = "Harris spoke first. On Thursday, the US president warned that sanctions would follow."
    ms = [mention(text, "Harris", "kamala-harris"), mention(text, "the US president", "joe-biden")]
    found = find(text, [BIDEN, HARRIS], ms)
    q = one(found, "sanctions would follow")
    assert (q.speaker, q.resolution) == ("joe-biden", "role")


def test_relative_who_takes_its_antecedent():
    text = "Rubio attacked Chris Christie, who says the senator lacks experience."
    q = one(find(text, [Actor("chris-christie", "Chris Christie", "person")], [mention(text, "Chris Christie", "chris-christie")]),
            "the senator lacks experience")
    assert (q.speaker_text, q.speaker, q.resolution) == ("who", "chris-christie", "pronoun")


def test_indefinite_role_is_someone_new():
    text = "Biden spoke first. “It will pass,” said one senior aide."
    q = one(find(text, [BIDEN], [mention(text, "Biden", "joe-biden")]), "It will pass,")
    assert (q.speaker, q.resolution, q.speaker_text) == (None, "none", "one senior aide")


def test_unresolvable_speaker_keeps_its_text():
    q = one(find("Officials said the talks had failed."), "the talks had failed")
    assert (q.speaker, q.speaker_text, q.resolution) == (None, "Officials", "none")


# ---------------------------------------------------------------------------
# The cue list is data


def test_user_cue_list_overrides_the_default(tmp_path):
    (tmp_path / "cue_verbs.yml").write_text(
        "verbs:\n  - {lemma: opine, class: emotive, forms: [opined]}\n", encoding="utf-8"
    )
    lex = Lexicon(data_dir=str(tmp_path))
    found = find("The senator opined that the bill was dead. The senator said it was over.", lexicon=lex)
    assert [(q.cue, q.cue_class) for q in found] == [("opined", "emotive")]


def test_bad_cue_list_is_a_clear_error(tmp_path):
    (tmp_path / "cue_verbs.yml").write_text("verbs:\n  - {lemma: opine, class: grumpy}\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="grumpy"):
        find("The senator opined that the bill was dead.", lexicon=Lexicon(data_dir=str(tmp_path)))


def test_default_cue_list_is_documented_and_valid():
    data = default_lexicon().load(quotes.CUE_FILE)
    assert {v["class"] for v in data["verbs"]} == set(quotes.CLASSES)
    lemmas = [v["lemma"] for v in data["verbs"]]
    assert len(lemmas) == len(set(lemmas))
    header = (ROOT / "datasette_framing" / "data" / quotes.CUE_FILE).read_text(encoding="utf-8")
    assert "Soni" in header and "Bergler" in header


def test_empty_document():
    assert quotes.find_quotes(Document("", (), {}), (), (), (), default_lexicon()) == ()


# ---------------------------------------------------------------------------
# Any text: invariants hold and nothing crashes

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

WORDS = st.sampled_from(
    ["said", "says", "told", "he", "she", "Biden", "the", "minister", "that", "according", "to",
     "warned", ",", ".", ":", "“", "”", "‘", "’", '"', "'", "''", "Russia’s", "you’re", "\n", "\n\n",
     "claims", "was", "cautioning", "Moscow", "(R-Texas)", "I", "we"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, max_size=60))
def test_any_text_gives_consistent_quotes(tokens):
    text = " ".join(tokens).strip()
    doc = document(text)
    found = quotes.find_quotes(doc, split.split(doc), (), (), default_lexicon())
    for q in found:
        assert 0 <= q.start < q.end <= len(text)
        assert q.text == text[q.start : q.end]
        assert q.kind in ("direct", "partial", "indirect")
        if q.speaker_start is not None:
            assert q.speaker_text == text[q.speaker_start : q.speaker_end]
            assert q.speaker_text.lower() not in ("i", "we") or not any(
                o.start <= q.speaker_start < o.end for o in found if o.kind != "indirect"
            )
        # a quote runs over a paragraph break only where the next paragraph opens with a mark
        for brk in re.finditer(r"\n+", q.text):
            after = q.text[brk.end() :].lstrip()
            assert after[:1] in "“‘\"'«"
