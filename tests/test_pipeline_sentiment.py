"""Sentence and mention sentiment (datasette_framing/pipeline/sentiment.py).

The hand-checked pairs below are the issue's acceptance cases: two actors in
one sentence framed differently, negation, contrast and quote scope.
"""

from __future__ import annotations

import json

import pytest

import datasette_framing
from datasette_framing.pipeline import sentiment
from datasette_framing.pipeline.lexicon import Lexicon, LexiconError
from datasette_framing.pipeline.records import Mention, Quote, Sentence


def score(sentence: str, target: str, occurrence: int = 0) -> float:
    start = -1
    for _ in range(occurrence + 1):
        start = sentence.index(target, start + 1)
    return datasette_framing.mention_sentiment(sentence, start, start + len(target))


# (sentence, actor framed worse, actor framed better)
PAIRS = [
    ("Russia attacked Ukraine.", "Russia", "Ukraine"),
    ("Ukraine repelled Russia's attack.", "Russia", "Ukraine"),
    ("Ukraine was attacked by Russia.", "Russia", "Ukraine"),
    ("Russian troops invaded Ukraine on Thursday.", "Russian troops", "Ukraine"),
    ("Biden praised Zelenskyy for his courage.", "Biden", "Zelenskyy"),
    ("NATO condemned Russia.", "Russia", "NATO"),
    ("The EU imposed sanctions on Iran.", "Iran", "EU"),
    ("Russia is weak, but Ukraine is brave.", "Russia", "Ukraine"),
    ("Although Hamas rejected the plan, Egypt welcomed it warmly.", "Hamas", "Egypt"),
    ("The senator accused the governor of corruption.", "the governor", "The senator"),
    ("The rescuers saved the hostages from the kidnappers.", "the kidnappers", "The rescuers"),
    ("China threatened Taiwan with military drills.", "China", "Taiwan"),
]


@pytest.mark.parametrize("sentence,worse,better", PAIRS)
def test_two_actors_in_one_sentence_are_framed_apart(sentence, worse, better):
    assert score(sentence, worse) < score(sentence, better)


@pytest.mark.parametrize(
    "sentence,target",
    [
        ("Russia attacked Ukraine.", "Russia"),
        ("Ukraine repelled Russia's attack.", "Russia"),
        ("NATO condemned Russia.", "Russia"),
        ("Russian troops invaded Ukraine on Thursday.", "Russian troops"),
        ("China threatened Taiwan with military drills.", "China"),
    ],
)
def test_aggressor_and_condemned_are_negative(sentence, target):
    assert datasette_framing.polarity(score(sentence, target)) == -1


@pytest.mark.parametrize(
    "sentence,target",
    [
        ("Biden praised Zelenskyy.", "Zelenskyy"),
        ("Ukraine repelled Russia's attack.", "Ukraine"),
        ("Russia is weak, but Ukraine is brave.", "Ukraine"),
        ("The rescuers saved the hostages.", "The rescuers"),
    ],
)
def test_praised_brave_and_helpful_are_positive(sentence, target):
    assert datasette_framing.polarity(score(sentence, target)) == 1


def test_victim_is_not_framed_like_its_attacker():
    s = "Russia attacked Ukraine."
    assert datasette_framing.polarity(score(s, "Ukraine")) >= 0 or score(s, "Ukraine") > score(s, "Russia") + 0.2


def test_negation_lifts_the_agent_of_an_act_that_did_not_happen():
    assert score("Russia did not attack Ukraine.", "Russia") > score("Russia attacked Ukraine.", "Russia") + 0.2
    assert datasette_framing.polarity(score("Russia did not attack Ukraine.", "Russia")) >= 0


def test_negated_praise_is_worse_than_praise():
    assert score("Biden did not praise Zelenskyy.", "Zelenskyy") < score("Biden praised Zelenskyy.", "Zelenskyy")


def test_contrast_keeps_each_clause_to_its_own_actor():
    s = "Russia is strong, but Ukraine is brave."
    # both clauses are positive: neither actor picks up anything negative
    assert score(s, "Russia") > 0 and score(s, "Ukraine") > 0
    s = "Ukraine is brave, but Russia is cruel."
    assert score(s, "Ukraine") > score(s, "Russia")
    assert datasette_framing.polarity(score(s, "Russia")) == -1


def test_a_quoted_accusation_falls_on_its_target_not_on_the_speaker():
    s = 'Zelenskyy said: "Russia is a terrorist state that murders children."'
    assert datasette_framing.polarity(score(s, "Russia")) == -1
    assert score(s, "Zelenskyy") > score(s, "Russia") + 0.3


def test_a_speaker_is_not_tarred_by_the_words_of_the_quote():
    quoted = 'Blinken said: "The war is a horrible, brutal catastrophe."'
    narrated = "Blinken is a horrible, brutal catastrophe."
    assert score(quoted, "Blinken") > score(narrated, "Blinken") + 0.3


def test_clause_scope_keeps_a_neighbouring_clause_apart():
    s = "Germany sent aid to Ukraine, while Russia shelled cities and killed civilians."
    assert score(s, "Germany") > score(s, "Russia")


def test_neutral_report_is_neutral():
    s = "Macron met Scholz in Berlin on Tuesday."
    assert datasette_framing.polarity(score(s, "Macron")) == 0
    assert datasette_framing.polarity(score(s, "Scholz")) == 0


@pytest.mark.parametrize(
    "value,expected",
    [
        (1.0, 1),
        (sentiment.POSITIVE_THRESHOLD, 1),
        (sentiment.POSITIVE_THRESHOLD - 1e-9, 0),
        (0.0, 0),
        (sentiment.NEGATIVE_THRESHOLD + 1e-9, 0),
        (sentiment.NEGATIVE_THRESHOLD, -1),
        (-1.0, -1),
    ],
)
def test_polarity_thresholds(value, expected):
    assert datasette_framing.polarity(value) == expected


def test_thresholds_are_symmetric_and_inside_the_range():
    assert 0 < sentiment.POSITIVE_THRESHOLD < 1
    assert sentiment.NEGATIVE_THRESHOLD == -sentiment.POSITIVE_THRESHOLD


SENTENCES = [s for s, _, _ in PAIRS] + [
    '"We will never surrender," Zelenskyy told parliament.',
    "“It is a disgrace,” said Sen. John McCain, according to aides.",
    "The deal, which critics called a betrayal, was praised by Trump’s allies.",
    "",
    "!!!",
    "Putin",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_scores_stay_in_range_for_every_span(sentence):
    for start in range(0, len(sentence) + 1, 3):
        for end in (start, min(len(sentence), start + 6)):
            value = datasette_framing.mention_sentiment(sentence, start, end)
            assert -1.0 <= value <= 1.0


def test_offsets_outside_the_sentence_are_an_error():
    with pytest.raises(ValueError, match="outside the sentence"):
        datasette_framing.mention_sentiment("Russia attacked Ukraine.", 10, 99)


def test_deterministic_and_independent_of_cache():
    s = "The EU imposed sanctions on Iran."
    first = score(s, "Iran")
    sentiment._parse.cache_clear()
    assert score(s, "Iran") == first
    assert [score(s, "Iran") for _ in range(3)] == [first] * 3


def test_score_sentences_is_exactly_vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    text = "Russia attacked Ukraine. Biden praised Zelenskyy!"
    sentences = [Sentence(0, 0, 24, 0, "paragraph"), Sentence(1, 25, len(text), 0, "paragraph")]
    vader = SentimentIntensityAnalyzer()
    assert sentiment.score_sentences(text, sentences) == [
        vader.polarity_scores("Russia attacked Ukraine."),
        vader.polarity_scores("Biden praised Zelenskyy!"),
    ]


def _mentions(text: str, sentence: Sentence, names: list[str]) -> list[Mention]:
    out = []
    for name in names:
        start = text.index(name, sentence.start)
        out.append(Mention(name.lower(), start, start + len(name), name, sentence.index))
    return out


def test_score_mentions_fills_sentiment_and_evidence_from_the_sentence():
    text = "A quiet day. Russia attacked Ukraine. Biden praised Zelenskyy."
    sentences = (
        Sentence(0, 0, 12, 0, "paragraph"),
        Sentence(1, 13, 37, 0, "paragraph"),
        Sentence(2, 38, len(text), 0, "paragraph"),
    )
    mentions = _mentions(text, sentences[1], ["Russia", "Ukraine"]) + _mentions(text, sentences[2], ["Biden", "Zelenskyy"])
    scored = sentiment.score_mentions(text, sentences, mentions, (), Lexicon())
    assert [m.surface for m in scored] == ["Russia", "Ukraine", "Biden", "Zelenskyy"]
    by_name = {m.surface: m for m in scored}
    for m in scored:
        assert m.sentiment == datasette_framing.mention_sentiment(
            text[sentences[m.sentence].start : sentences[m.sentence].end],
            m.start - sentences[m.sentence].start,
            m.end - sentences[m.sentence].start,
        )
        sentence_text = text[sentences[m.sentence].start : sentences[m.sentence].end]
        assert all(word in sentence_text for word in m.sentiment_evidence)
    assert by_name["Russia"].sentiment < 0 and "attacked" in by_name["Russia"].sentiment_evidence
    assert by_name["Zelenskyy"].sentiment > 0 and "praised" in by_name["Zelenskyy"].sentiment_evidence
    # the input is not changed
    assert all(m.sentiment is None for m in mentions)


def test_score_mentions_keeps_attributed_speech_in_the_speakers_voice():
    # indirect speech, no quotation marks: only the quote stage knows who said what
    text = "Blinken warned that the regime is brutal and corrupt."
    sentences = (Sentence(0, 0, len(text), 0, "paragraph"),)
    mention = Mention("blinken", 0, 7, "Blinken", 0)
    content_start = text.index("the regime")
    quote = Quote(content_start, len(text) - 1, text[content_start:-1], "indirect", 0,
                  speaker="blinken", speaker_start=0, speaker_end=7)
    with_quote = sentiment.score_mentions(text, sentences, (mention,), (quote,), Lexicon())[0]
    narrated = "Blinken is brutal and corrupt."
    assert with_quote.sentiment > score(narrated, "Blinken") + 0.3


def test_mention_outside_its_sentence_is_left_unscored():
    text = "Russia attacked Ukraine."
    sentences = (Sentence(0, 0, len(text), 0, "paragraph"),)
    stray = Mention("x", 40, 45, "Xxxxx", 0)
    assert sentiment.score_mentions(text, sentences, (stray,), (), Lexicon()) == (stray,)


def test_user_override_of_the_verb_table(tmp_path):
    # a user who reads "hail" as harm: the hailed actor stops being praised
    (tmp_path / sentiment.VERBS_FILE).write_text("harm:\n  agent: -1\n  patient: -1\n  verbs: [hail]\n")
    s = "Moscow hailed Minsk."
    default = sentiment.mention_sentiment(s, 14, 19)
    custom = sentiment.mention_sentiment(s, 14, 19, Lexicon(data_dir=str(tmp_path)))
    assert custom < default


def test_a_model_file_for_other_features_is_refused(tmp_path):
    (tmp_path / sentiment.MODEL_FILE).write_text(json.dumps({"features": ["x"], "weights": [[0]], "bias": [0]}))
    with pytest.raises(LexiconError, match="retrain"):
        sentiment.mention_sentiment("Russia attacked Ukraine.", 0, 6, Lexicon(data_dir=str(tmp_path)))


def test_shipped_data_files_are_documented():
    model = Lexicon().load(sentiment.MODEL_FILE)
    assert tuple(model["features"]) == sentiment.FEATURES
    assert "NewsMTSC" in model["trained_on"]
    domain = Lexicon().load(sentiment.DOMAIN_FILE)
    assert "NewsMTSC" in domain["about"] and domain["words"]
    # names are not learned: no capitalised entries
    assert all(w == w.lower() for w in domain["words"])
    for name in (sentiment.VERBS_FILE, sentiment.OVERRIDES_FILE):
        text = Lexicon().path(name).read_text()
        assert text.startswith("#") and "Source" in text


@pytest.mark.parametrize("sentence", SENTENCES[:14])
def test_fast_scoring_path_agrees_with_the_training_features(sentence):
    # mention_evidence takes a one-pass shortcut over the domain table; the
    # model was trained on mention_features: both must give the same score
    lexicon = Lexicon()
    model = sentiment._model(lexicon)
    for start in range(0, max(1, len(sentence) - 4), 5):
        end = min(len(sentence), start + 6)
        vector = sentiment.mention_features(sentence, start, end, lexicon)
        words = sentiment._word_logits(sentiment.word_keys(sentence, start, end, lexicon), model)
        neg, neu, pos = sentiment._predict(vector, model, words)
        expected = round(sentiment.mention_score(neg, neu, pos, model.temperature), 4)
        assert sentiment.mention_sentiment(sentence, start, end) == expected


REPEATS = [
    "The war, the war and the war again: Russia said the war would end, but the war went on and on.",
    '"Peace, peace," Biden said; peace talks with Putin, he said, were "peace in name only".',
]


@pytest.mark.parametrize("sentence", SENTENCES + REPEATS)
def test_word_features_are_summed_as_their_keys_say(sentence):
    # scoring reads the word features through model.by_word and skips what the model
    # does not know; the sums and the per-word pulls must be those of word_keys, in its order
    lexicon = Lexicon()
    model = sentiment._model(lexicon)
    p = sentiment._parse(sentence, lexicon)
    known = sentiment._known_words(p, model)
    for start in range(0, len(sentence), 3):
        for end in (start, min(len(sentence), start + 7)):
            a, b = sentiment._target_tokens(p, start, end)
            expected_extra, expected_pull = [0.0, 0.0, 0.0], {}
            for key, i in sentiment._word_keys(p, a, b).items():
                w = model.words.get(key)
                if w is not None:
                    expected_extra = [x + y for x, y in zip(expected_extra, w)]
                    expected_pull[i] = expected_pull.get(i, 0.0) + w[2] - w[0]
            for k in (None, known):
                pull: dict[int, float] = {}
                assert sentiment._word_extra(p, a, b, model, pull, k) == expected_extra
                assert pull == expected_pull


@pytest.mark.parametrize("temperature", [1.0, 0.5, 0.2])
def test_the_score_keeps_the_calibrated_class_and_its_order(temperature):
    # the class is that of P(pos) - P(neg); beyond the cut points the score is only de-sharpened
    grid = [(n / 20, u / 20) for n in range(21) for u in range(21 - n)]
    for neg, neu in grid:
        pos = max(0.0, 1.0 - neg - neu)
        d = pos - neg
        score = sentiment.mention_score(neg, neu, pos, temperature)
        assert -1.0 <= score <= 1.0
        assert sentiment.polarity(score) == sentiment.polarity(d) or abs(abs(d) - 0.25) < 1e-9
        if temperature == 1.0:
            assert score == pytest.approx(d)
    # more positive probability, higher score
    scores = [sentiment.mention_score(0.1, 0.9 - p, p, temperature) for p in (0.4, 0.5, 0.6, 0.7, 0.8, 0.9)]
    assert scores == sorted(scores) and len(set(scores)) == len(scores)


def test_word_features_are_target_relative_and_never_names():
    s = "Critics said the embattled Mr. Smith failed badly, but Jones praised him."
    keys = sentiment.word_keys(s, s.index("Smith"), s.index("Smith") + 5)
    assert "l1:mr" not in keys  # "Mr." is capitalised: names and titles are not words here
    assert "l2:embattled" in keys and "c:embattled" in keys
    assert "r1:failed" in keys and "rb:failed_badly" in keys
    assert not any(k.split(":", 1)[1] != k.split(":", 1)[1].lower() for k in keys)
    # the same word on the other side of another mention gets another feature
    other = sentiment.word_keys(s, s.index("Jones"), s.index("Jones") + 5)
    assert "l4:embattled" in other and "o:embattled" in other



def test_a_capitalised_first_word_is_a_word_only_if_it_is_an_ordinary_one():
    # "Trump" opening a sentence is a name, not the word "trump"; "Officials" is a word
    s = "Trump said officials praised Clinton."
    keys = sentiment.word_keys(s, s.index("Clinton"), len(s) - 1)
    assert not any(k.split(":", 1)[1].split("_")[0] == "trump" for k in keys)
    assert "l1:praised" in keys and "l2:officials" in keys
    s = "Officials said Clinton failed."
    keys = sentiment.word_keys(s, s.index("Clinton"), s.index("Clinton") + 7)
    assert "l2:officials" in keys and "lb:officials_said" in keys
    # the same holds after an opening quotation mark
    s = 'Smith said: "Critics are wrong about Jones."'
    keys = sentiment.word_keys(s, s.index("Jones"), s.index("Jones") + 5)
    assert any(k.endswith(":critics") for k in keys)
    assert not any(k.split(":", 1)[1] == "smith" for k in keys)


def test_position_features_say_where_the_mention_stands_and_are_never_evidence():
    s = "Russia attacked Ukraine on Monday, officials said."
    keys = sentiment.word_keys(s, 0, 6)
    assert "x:start" in keys and "x:tl1" in keys and "x:v0" in keys
    assert "x:start2" in sentiment.word_keys(s, s.index("Ukraine"), s.index("Ukraine") + 7)
    assert "x:mid" in sentiment.word_keys(s, s.index("Monday"), s.index("Monday") + 6)
    assert "x:pron:he" in sentiment.word_keys("He was praised.", 0, 2)
    _, evidence = sentiment.mention_evidence(s, 0, 6)
    assert all(word in s for word in evidence)


_WORD_PREFIXES = {"t", "c", "o", "q", "lb", "rb", "x"} | {f"{side}{n}" for side in "lr" for n in range(1, 5)}


def test_shipped_word_weights_are_lower_case_target_relative_features():
    words = Lexicon().load(sentiment.MODEL_FILE)["words"]
    assert len(words) > 1000
    assert all(k == k.lower() and k.split(":", 1)[0] in _WORD_PREFIXES for k in words)
    assert all(len(v) == 3 for v in words.values())


def test_window_features_read_the_tokens_next_to_the_mention_but_never_names():
    s = "Critics say the embattled Smith, who failed, lost to Jones."
    keys = sentiment.word_keys(s, s.index("Smith"), s.index("Smith") + 5)
    assert "x:w-2:the" in keys and "x:w+1:," in keys and "x:w+2:who" in keys
    # a content word next to the mention already has its l1: key
    assert "l1:embattled" in keys and not any(k.startswith("x:w-1:") for k in keys)
    s = "Critics say Trump praised Jones."
    keys = sentiment.word_keys(s, s.index("Jones"), s.index("Jones") + 5)
    assert "x:w-2:<cap>" in keys and "x:w+1:." in keys
    assert not any("trump" in k for k in keys)
    # never evidence: the evidence words are the sentence's own, and no punctuation
    _, evidence = sentiment.mention_evidence(s, s.index("Jones"), s.index("Jones") + 5)
    assert all(word.isalpha() for word in evidence)


def test_scored_mention_equals_dataclasses_replace():
    """score_mentions fills sentiment by copying the instance dict (cheaper than replace):
    the result must be the same object in every way a caller can see."""
    import dataclasses
    import pickle

    m = Mention("russia", 0, 6, "Russia", 0, role="agent", descriptors=("embattled",))
    fast = sentiment._scored(m, -0.5, ("attacked",))
    slow = dataclasses.replace(m, sentiment=-0.5, sentiment_evidence=("attacked",))
    assert fast == slow and hash(fast) == hash(slow)
    assert list(vars(fast).items()) == list(vars(slow).items())
    assert dataclasses.asdict(fast) == dataclasses.asdict(slow)
    assert pickle.loads(pickle.dumps(fast)) == slow
    assert m.sentiment is None and m.sentiment_evidence == ()  # the input is left as it was
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.sentiment = 0.0  # type: ignore[misc]
