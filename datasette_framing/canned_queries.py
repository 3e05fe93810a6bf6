"""The canned queries: shareable, parameterised questions about a framing database.

Kept here as data.  ``scripts/gen-metadata`` writes them into ``metadata.yml``
(``databases.framing.queries``) and the ``canned_queries`` hook offers the same
definitions for any framing database served without that file.  They read only
tables and columns declared in ``schema.py`` (``tests/test_canned_queries.py``
prepares each one against a database built from the schema alone).

Every parameter is optional: an empty value means "no filter".  ``:actor``
takes an actor key (``russia``), its canonical name (``Joe Biden``) or any
alias (``the Kremlin``), compared without regard to case.  Dates are ISO
``YYYY-MM-DD`` and both ends are inclusive.  All values are bound parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CannedQuery:
    name: str
    title: str
    description: str
    sql: str
    params: tuple[str, ...]
    #: Parameter values that make a good example link (docs and tests use them).
    example: tuple[tuple[str, str], ...] = ()

    def as_metadata(self) -> dict[str, Any]:
        """The form Datasette reads under ``databases.<db>.queries.<name>``."""
        return {
            "title": self.title,
            "description": self.description,
            "sql": self.sql,
            "params": list(self.params),
        }


#: Actors matching :actor (every actor when it is empty): by key, canonical name or alias.
_TARGET = """target as (
  select id as actor_id from actors
  where :actor = '' or id = :actor or name = :actor collate nocase
  union
  select actor_id from aliases where alias = :actor collate nocase
)"""

#: Article filters on alias ``a``.
_ARTICLE_FILTERS = """(:outlet = '' or a.outlet = :outlet)
  and (:date_from = '' or a.published >= :date_from)
  and (:date_to = '' or a.published <= :date_to)"""

_PARAMS = ("actor", "outlet", "date_from", "date_to")
_DATE_PARAMS = ("outlet", "date_from", "date_to")

QUERIES: tuple[CannedQuery, ...] = (
    CannedQuery(
        name="sentiment_by_outlet",
        title="Sentiment toward an actor, by outlet",
        description=(
            "For each actor and outlet: how often the actor is mentioned, in how many articles, and the mean "
            "sentiment the sentences express toward it (mentions.sentiment, in [-1, 1]) with the count of "
            "positive, neutral and negative mentions. Leave actor empty to list every actor. "
            "The mean of fewer than about five mentions says little; follow sentences_mentioning_actor "
            "to read the sentences behind a number."
        ),
        sql=f"""with {_TARGET}
select
  m.actor_id,
  ac.name as actor,
  a.outlet,
  count(*) as mentions,
  count(distinct m.article_id) as articles,
  round(avg(m.sentiment), 3) as mean_sentiment,
  sum(m.polarity = 1) as positive,
  sum(m.polarity = 0) as neutral,
  sum(m.polarity = -1) as negative
from mentions m
join articles a on a.id = m.article_id
join actors ac on ac.id = m.actor_id
where m.actor_id in (select actor_id from target)
  and {_ARTICLE_FILTERS}
group by m.actor_id, a.outlet
order by ac.name, a.outlet""",
        params=_PARAMS,
        example=(("actor", "Russia"), ("date_from", "2022-02-21"), ("date_to", "2022-02-24")),
    ),
    CannedQuery(
        name="who_gets_quoted",
        title="Who gets quoted, per outlet",
        description=(
            "For each outlet: every speaker it quotes or reports, with the number of quotes by kind "
            "(direct, partial, indirect), the number of articles, and the speaker's share of all the "
            "outlet's quotes in percent. Quotes whose speaker could not be resolved are counted "
            "under '(unresolved)'."
        ),
        sql=f"""with q as (
  select a.outlet, q.speaker_id, q.kind, q.article_id
  from quotes q
  join articles a on a.id = q.article_id
  where {_ARTICLE_FILTERS}
)
select
  q.outlet,
  q.speaker_id,
  coalesce(ac.name, '(unresolved)') as speaker,
  count(*) as quotes,
  sum(q.kind = 'direct') as direct,
  sum(q.kind = 'partial') as partial,
  sum(q.kind = 'indirect') as indirect,
  count(distinct q.article_id) as articles,
  round(100.0 * count(*) / (select count(*) from q q2 where q2.outlet is q.outlet), 1) as share_pct
from q
left join actors ac on ac.id = q.speaker_id
group by q.outlet, q.speaker_id
order by q.outlet, quotes desc, speaker""",
        params=_DATE_PARAMS,
        example=(("outlet", "The White House"),),
    ),
    CannedQuery(
        name="cue_verbs_for_actor",
        title="Cue verbs used for an actor, per outlet",
        description=(
            "The verbs each outlet uses to introduce what an actor says (said, claimed, warned, admitted ...), "
            "with their connotation class: neutral, endorsing, distancing, conceding, warning or emotive "
            "(see docs/methods.md). 'claimed' distances the outlet from the speaker; 'pointed out' endorses."
        ),
        sql=f"""with {_TARGET}
select
  q.speaker_id as actor_id,
  ac.name as actor,
  a.outlet,
  q.cue_lemma,
  q.cue_class,
  count(*) as quotes,
  count(distinct q.article_id) as articles
from quotes q
join articles a on a.id = q.article_id
join actors ac on ac.id = q.speaker_id
where q.speaker_id in (select actor_id from target)
  and q.cue_lemma is not null
  and {_ARTICLE_FILTERS}
group by q.speaker_id, a.outlet, q.cue_lemma, q.cue_class
order by ac.name, a.outlet, quotes desc, q.cue_lemma""",
        params=_PARAMS,
        example=(("actor", "Joe Biden"),),
    ),
    CannedQuery(
        name="frame_mix_by_outlet",
        title="Frame mix per outlet",
        description=(
            "How often each news frame (conflict, responsibility, economic, human_interest, morality, security, "
            "diplomacy) appears in each outlet's sentences: sentences with the frame, their share of the "
            "outlet's sentences in percent, and the number of lexicon words matched. With an actor, only "
            "sentences that mention that actor are counted."
        ),
        sql=f"""with {_TARGET},
scope as (
  select s.id as sentence_id, a.outlet
  from sentences s
  join articles a on a.id = s.article_id
  where {_ARTICLE_FILTERS}
    and (:actor = '' or s.id in (
      select m.sentence_id from mentions m where m.actor_id in (select actor_id from target)
    ))
),
totals as (
  select outlet, count(*) as sentences from scope group by outlet
)
select
  scope.outlet,
  f.frame,
  count(*) as sentences,
  round(100.0 * count(*) / totals.sentences, 1) as share_pct,
  sum(f.term_count) as terms,
  totals.sentences as outlet_sentences
from frames f
join scope on scope.sentence_id = f.sentence_id
join totals on totals.outlet is scope.outlet
group by scope.outlet, f.frame
order by scope.outlet, sentences desc, f.frame""",
        params=_PARAMS,
        example=(("actor", "Ukraine"),),
    ),
    CannedQuery(
        name="labels_for_actor",
        title="Labels for an actor across outlets",
        description=(
            "The titles, appositives, adjectives and noun modifiers each outlet attaches to an actor "
            "(mentions.descriptors): 'aggressor', 'Russian President', 'sovereign' ... with how often "
            "and in how many articles."
        ),
        sql=f"""with {_TARGET}
select
  m.actor_id,
  ac.name as actor,
  a.outlet,
  d.value as label,
  count(*) as mentions,
  count(distinct m.article_id) as articles
from mentions m
join json_each(case when json_valid(m.descriptors) then m.descriptors else '[]' end) d
join articles a on a.id = m.article_id
join actors ac on ac.id = m.actor_id
where m.actor_id in (select actor_id from target)
  and {_ARTICLE_FILTERS}
group by m.actor_id, a.outlet, d.value
order by ac.name, a.outlet, mentions desc, label""",
        params=_PARAMS,
        example=(("actor", "Vladimir Putin"),),
    ),
    CannedQuery(
        name="sentences_mentioning_actor",
        title="Sentences mentioning an actor",
        description=(
            "Every sentence that mentions an actor, with the words used, the actor's grammatical role "
            "(agent, patient, speaker ...), where it stands in the article, and the sentiment toward the "
            "actor with the words that produced it: the evidence behind the per-outlet numbers."
        ),
        sql=f"""with {_TARGET}
select
  a.outlet,
  a.published,
  a.title,
  m.article_id,
  m.sentence_id,
  ac.name as actor,
  m.surface,
  m.role,
  m.prominence,
  s.text as sentence,
  m.sentiment,
  m.polarity,
  m.evidence
from mentions m
join sentences s on s.id = m.sentence_id
join articles a on a.id = m.article_id
join actors ac on ac.id = m.actor_id
where m.actor_id in (select actor_id from target)
  and {_ARTICLE_FILTERS}
order by a.published, a.outlet, m.article_id, m.start""",
        params=_PARAMS,
        example=(("actor", "NATO"), ("outlet", "The White House")),
    ),
    CannedQuery(
        name="quotes_by_speaker",
        title="Quotes by a speaker",
        description=(
            "Everything a speaker is quoted or reported as saying, outlet by outlet: the words, the kind of "
            "quote, the cue verb and its class, the speaker as written and how the speaker was resolved "
            "(named, pronoun, role, metonym ...). Leave actor empty to list every quote."
        ),
        sql=f"""with {_TARGET}
select
  a.outlet,
  a.published,
  a.title,
  q.article_id,
  q.id as quote_id,
  ac.name as speaker,
  q.speaker_text,
  q.cue,
  q.cue_class,
  q.kind,
  q.text as quote,
  q.resolution
from quotes q
join articles a on a.id = q.article_id
left join actors ac on ac.id = q.speaker_id
where (:actor = '' or q.speaker_id in (select actor_id from target))
  and {_ARTICLE_FILTERS}
order by a.published, a.outlet, q.article_id, q.start""",
        params=_PARAMS,
        example=(("actor", "Antony Blinken"),),
    ),
)


def queries() -> dict[str, dict[str, Any]]:
    """All canned queries by name, in the form Datasette's metadata and hook accept."""
    return {q.name: q.as_metadata() for q in QUERIES}
