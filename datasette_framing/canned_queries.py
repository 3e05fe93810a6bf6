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

from .statements import is_statement


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

#: The same filters on a summary table ``s`` that carries outlet and published.
_SUMMARY_FILTERS = """(:outlet = '' or s.outlet = :outlet)
  and (:date_from = '' or s.published >= :date_from)
  and (:date_to = '' or s.published <= :date_to)"""

_PARAMS = ("actor", "outlet", "date_from", "date_to")
_DATE_PARAMS = ("outlet", "date_from", "date_to")

QUERIES: tuple[CannedQuery, ...] = (
    CannedQuery(
        name="sentiment_by_outlet",
        title="Sentiment toward an actor, by outlet",
        description=(
            "For each actor and outlet: how often the actor is mentioned, in how many articles, and the mean "
            "sentiment the sentences express toward it (mentions.sentiment, in [-1, 1]) with its 95% "
            "Student-t interval (ci_low, ci_high), the counts of positive, neutral and negative mentions, how "
            "often the actor acts (agent) or is acted upon (patient), and its quotes. too_few = 1 marks means "
            "of fewer than 10 scored mentions: do not compare those. Leave actor empty to list every actor; "
            "open sentences_mentioning_actor to read the sentences behind a number. Reads the "
            "actor_article_stats summary, so it stays fast on large databases."
        ),
        sql=f"""with {_TARGET}
select
  s.actor_id,
  ac.name as actor,
  s.outlet,
  sum(s.mentions) as mentions,
  sum(s.mentions > 0) as articles,
  sum(s.scored) as scored,
  round(sum(s.sentiment_sum) / nullif(sum(s.scored), 0), 3) as mean_sentiment,
  round(framing_t_low(sum(s.scored), sum(s.sentiment_sum), sum(s.sentiment_sumsq)), 3) as ci_low,
  round(framing_t_high(sum(s.scored), sum(s.sentiment_sum), sum(s.sentiment_sumsq)), 3) as ci_high,
  sum(s.pos) as positive,
  sum(s.neu) as neutral,
  sum(s.neg) as negative,
  sum(s.agent) as agent,
  sum(s.patient) as patient,
  sum(s.quotes) as quotes,
  framing_too_few(sum(s.scored)) as too_few
from actor_article_stats s
join actors ac on ac.id = s.actor_id
where s.actor_id in (select actor_id from target)
  and {_SUMMARY_FILTERS}
group by s.actor_id, s.outlet
order by ac.name, s.outlet""",
        params=_PARAMS,
        example=(("actor", "Russia"), ("date_from", "2022-02-21"), ("date_to", "2022-02-24")),
    ),
    CannedQuery(
        name="roles_by_outlet",
        title="Who acts, who is acted upon, who speaks: per outlet",
        description=(
            "For each actor and outlet: the share of mentions where the actor acts (agent: 'Russia attacked') "
            "or is acted upon (patient: 'Ukraine was attacked'), each with its 95% Wilson interval, and its voice "
            "share: quotes by the actor per mention (can exceed 1 when quotes are attributed through pronouns). "
            "too_few = 1 marks fewer than 10 mentions. Rolls up the actor_article_stats summary."
        ),
        sql=f"""with {_TARGET}
select
  s.actor_id,
  ac.name as actor,
  s.outlet,
  sum(s.mentions) as mentions,
  sum(s.agent) as agent,
  round(1.0 * sum(s.agent) / nullif(sum(s.mentions), 0), 3) as agent_share,
  round(framing_wilson_low(sum(s.agent), sum(s.mentions)), 3) as agent_low,
  round(framing_wilson_high(sum(s.agent), sum(s.mentions)), 3) as agent_high,
  sum(s.patient) as patient,
  round(1.0 * sum(s.patient) / nullif(sum(s.mentions), 0), 3) as patient_share,
  round(framing_wilson_low(sum(s.patient), sum(s.mentions)), 3) as patient_low,
  round(framing_wilson_high(sum(s.patient), sum(s.mentions)), 3) as patient_high,
  sum(s.quotes) as quotes,
  round(1.0 * sum(s.quotes) / nullif(sum(s.mentions), 0), 3) as voice_share,
  framing_too_few(sum(s.mentions)) as too_few
from actor_article_stats s
join actors ac on ac.id = s.actor_id
where s.actor_id in (select actor_id from target)
  and {_SUMMARY_FILTERS}
group by s.actor_id, s.outlet
order by ac.name, s.outlet""",
        params=_PARAMS,
        example=(("actor", "Ukraine"),),
    ),
    CannedQuery(
        name="who_gets_quoted",
        title="Who gets quoted, per outlet",
        description=(
            "For each outlet: every speaker it quotes or reports, with the number of statements "
            "(direct and indirect quotes, plus partial quotes that are not part of one of them: "
            "docs/methods.md, Voice share) by kind, the number of articles, and the speaker's share of "
            "all the outlet's statements in percent. partial_inside counts the quoted fragments inside "
            "a statement already counted. Statements whose speaker could not be resolved are counted "
            "under '(unresolved)'."
        ),
        sql=f"""with q as (
  select a.outlet, q.speaker_id, q.kind, q.article_id, {is_statement("q")} as is_statement
  from quotes q
  join articles a on a.id = q.article_id
  where {_ARTICLE_FILTERS}
)
select
  q.outlet,
  q.speaker_id,
  coalesce(ac.name, '(unresolved)') as speaker,
  sum(q.is_statement) as quotes,
  sum(q.kind = 'direct') as direct,
  sum(q.kind = 'partial' and q.is_statement) as partial,
  sum(q.kind = 'indirect') as indirect,
  sum(not q.is_statement) as partial_inside,
  count(distinct case when q.is_statement then q.article_id end) as articles,
  round(100.0 * sum(q.is_statement) / sum(sum(q.is_statement)) over (partition by q.outlet), 1) as share_pct
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
            "(see docs/methods.md). 'claimed' distances the outlet from the speaker; 'pointed out' endorses. "
            "quotes counts statements: a quoted fragment inside reported speech is not counted again."
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
  and {is_statement("q")}
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
chosen as (
  select a.id, a.outlet, a.sentence_count from articles a where {_ARTICLE_FILTERS}
),
-- Without an actor: the per-article frame summary, over all sentences.
outlet_rows as (
  select c.outlet, af.frame, af.sentences, af.terms
  from article_frames af join chosen c on c.id = af.article_id
  where :actor = ''
),
outlet_totals as (
  select outlet, sum(sentence_count) as sentences from chosen where :actor = '' group by outlet
),
-- With an actor: only the sentences that mention it.
actor_scope as (
  select distinct m.sentence_id, c.outlet
  from mentions m join chosen c on c.id = m.article_id
  where :actor != '' and m.actor_id in (select actor_id from target)
),
actor_rows as (
  select scope.outlet, f.frame, 1 as sentences, f.term_count as terms
  from frames f join actor_scope scope on scope.sentence_id = f.sentence_id
),
actor_totals as (
  select outlet, count(*) as sentences from actor_scope group by outlet
),
found as (select * from outlet_rows union all select * from actor_rows),
totals as (select * from outlet_totals union all select * from actor_totals)
select
  found.outlet,
  found.frame,
  sum(found.sentences) as sentences,
  round(100.0 * sum(found.sentences) / totals.sentences, 1) as share_pct,
  sum(found.terms) as terms,
  totals.sentences as outlet_sentences
from found
join totals on totals.outlet is found.outlet
group by found.outlet, found.frame
order by found.outlet, sentences desc, found.frame""",
        params=_PARAMS,
        example=(("actor", "Ukraine"),),
    ),
    CannedQuery(
        name="labels_for_actor",
        title="Labels for an actor across outlets",
        description=(
            "The titles, appositives, adjectives and noun modifiers each outlet attaches to an actor "
            "(mentions.descriptors, one row each in the labels summary): 'aggressor', 'Russian president', "
            "'sovereign' ... with how often and in how many articles. distinctive_labels says which of them "
            "set an outlet apart."
        ),
        sql=f"""with {_TARGET}
select
  s.actor_id,
  ac.name as actor,
  s.outlet,
  s.label,
  count(*) as mentions,
  count(distinct s.article_id) as articles
from labels s
join actors ac on ac.id = s.actor_id
where s.actor_id in (select actor_id from target)
  and {_SUMMARY_FILTERS}
group by s.actor_id, s.outlet, s.label
order by ac.name, s.outlet, mentions desc, s.label""",
        params=_PARAMS,
        example=(("actor", "Vladimir Putin"),),
    ),
    CannedQuery(
        name="distinctive_labels",
        title="Labels that set an outlet apart",
        description=(
            "The labels an outlet uses for an actor distinctly more (z >= 1.96) or less (z <= -1.96) than the "
            "other outlets do: the log-odds ratio with an informative Dirichlet prior of Monroe, Colaresi & Quinn "
            "(2008), computed over all dates by the loader (label_log_odds). uses and other_uses are the counts "
            "behind each z. min_z changes the threshold (0 lists every label)."
        ),
        sql=f"""with {_TARGET}
select
  s.actor_id,
  ac.name as actor,
  s.outlet,
  s.label,
  s.uses,
  s.other_uses,
  round(s.log_odds, 3) as log_odds,
  round(s.z, 2) as z
from label_log_odds s
join actors ac on ac.id = s.actor_id
where s.actor_id in (select actor_id from target)
  and (:outlet = '' or s.outlet = :outlet)
  and abs(s.z) >= coalesce(cast(nullif(:min_z, '') as real), 1.96)
order by ac.name, s.outlet, s.z desc""",
        params=("actor", "outlet", "min_z"),
        example=(("actor", "Joe Biden"),),
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
-- Articles drive the join in date order (CROSS JOIN fixes the order), so the first page of a
-- large result streams from the published index instead of sorting every mention.
from articles a
cross join mentions m on m.article_id = a.id
join sentences s on s.id = m.sentence_id
join actors ac on ac.id = m.actor_id
where m.actor_id in (select actor_id from target)
  and {_ARTICLE_FILTERS}
order by a.published, a.id, m.start""",
        params=_PARAMS,
        example=(("actor", "NATO"), ("outlet", "The White House")),
    ),
    CannedQuery(
        name="quotes_by_speaker",
        title="Quotes by a speaker",
        description=(
            "Everything a speaker is quoted or reported as saying, outlet by outlet: the words, the kind of "
            "quote, the cue verb and its class, the speaker as written and how the speaker was resolved "
            "(named, pronoun, role, metonym ...). Every kind is listed; is_statement is 0 for a quoted "
            "fragment inside reported speech already listed (docs/methods.md, Voice share), so "
            "filter on it to count statements. Leave actor empty to list every quote."
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
  q.resolution,
  {is_statement("q")} as is_statement
from articles a
cross join quotes q on q.article_id = a.id
left join actors ac on ac.id = q.speaker_id
where (:actor = '' or q.speaker_id in (select actor_id from target))
  and {_ARTICLE_FILTERS}
order by a.published, a.id, q.start""",
        params=_PARAMS,
        example=(("actor", "Antony Blinken"),),
    ),
)


def queries() -> dict[str, dict[str, Any]]:
    """All canned queries by name, in the form Datasette's metadata and hook accept."""
    return {q.name: q.as_metadata() for q in QUERIES}
