"""What each framing page shows, as plain data: one async builder per page.

A builder runs the page's queries (:mod:`page_queries`), adds intervals, shares
and rankings (:mod:`page_stats`) and returns one dict.  That dict *is* the
page's JSON form; the HTML template renders it, the CSV export streams its
tables, and the charts (:mod:`charts`) are drawn from it, so all four always
agree.  Links come from a :class:`Links` object so they respect ``base_url``.
"""

from __future__ import annotations

import asyncio
import bisect
import json
from dataclasses import asdict
from typing import Any, Awaitable, Protocol

from markupsafe import Markup

from . import charts
from . import page_queries as q
from . import page_stats as st

#: Frames in the order the frames lexicon documents them; others found in data follow.
FRAME_ORDER = ("conflict", "responsibility", "economic", "human_interest", "morality", "security", "diplomacy")
#: Actors on the dashboard charts.
CHART_ACTORS = 8
ROLE_ORDER = ("agent", "patient", "speaker", "modifier", "other")
POLARITY_COLOURS = {"negative": charts.NEGATIVE, "neutral": charts.NEUTRAL, "positive": charts.POSITIVE}


class Links(Protocol):
    def actor(self, actor_id: str, **params: Any) -> str: ...
    def sentences(self, **params: Any) -> str: ...
    def extend(self, url: str, **params: Any) -> str: ...
    def article(self, article_id: str, **params: Any) -> str: ...


async def gather(*aws: Awaitable[Any]) -> list[Any]:
    """Run a page's independent queries at once (Datasette runs each on one of its SQL
    threads, and SQLite lets go of the GIL), waiting for all before raising the first error."""
    results = await asyncio.gather(*aws, return_exceptions=True)
    for r in results:
        if isinstance(r, BaseException):
            raise r
    return list(results)


def ordered_frames(found: set[str]) -> list[str]:
    return [f for f in FRAME_ORDER if f in found] + sorted(found - set(FRAME_ORDER))


def _scope_params(filters: q.Filters) -> dict[str, Any]:
    """The filters as query-string parameters, to carry them into drill-down links."""
    return {"outlet": list(filters.outlets) or None, "since": filters.since, "until": filters.until}


# --- Dashboard ------------------------------------------------------------------------------


#: Columns the dashboard's actor table can be sorted by.
SORT_KEYS = ("name", "kind", "mentions", "articles", "outlets", "quotes", "voice_share", "sentiment_mean", "headline_share")


def _sort_value(row: dict[str, Any], key: str) -> Any:
    if key == "voice_share":
        return st.share(row.get("quotes"), row.get("mentions"))
    if key == "headline_share":
        return st.share(row.get("headline"), row.get("mentions"))
    return row.get(key)


def sort_actors(rows: list[dict[str, Any]], sort: str | None) -> list[dict[str, Any]]:
    """Rows sorted by ``sort`` (a SORT_KEYS name, '-' first for descending), unknowns last."""
    if not sort:
        return rows
    key = sort.lstrip("-")
    known = [r for r in rows if _sort_value(r, key) is not None]
    known.sort(key=lambda r: _sort_value(r, key), reverse=sort.startswith("-"))
    return known + [r for r in rows if _sort_value(r, key) is None]


async def dashboard(
    db,
    filters: q.Filters,
    links: Links,
    min_count: int,
    level: float = st.stats.LEVEL,
    *,
    sort: str | None = None,
    rows: int | None = None,
) -> dict[str, Any]:
    """The dashboard's data.  Every actor is ranked (from the summary tables), but the
    per-outlet rows, intervals, cue classes and frames are read for the ``rows`` actors
    listed (all when None) and the chart actors only, so the page costs the same however
    many actors the database holds."""
    # The outlet tables do not depend on the ranking: they run while it is read.
    outlet_part = asyncio.ensure_future(
        gather(q.outlet_summary(db, filters), q.speakers_by_outlet(db, filters, top=3), q.frames_by_outlet(db, filters))
    )
    try:
        per_actor: list[Any] | None = None
        if sort or rows is None:
            ranking = await q.actor_summary(db, filters)
            total = len(ranking)
            if sort and sort.lstrip("-") == "outlets" and any(r["outlets"] is None for r in ranking):
                _fill_outlets(ranking, await q.actor_outlet_counts(db, filters, tuple(r["actor_id"] for r in ranking)))
            listed = sort_actors(ranking, sort)
            if rows is not None:
                listed = listed[:rows]
        elif await q.has_summaries(db):
            # The default order is the summary's own: rank on two sums, then read the listed
            # actors' rows while their per-outlet numbers are read (those need the ids only).
            ranked = await q.actor_ranking(db, filters, max(rows, CHART_ACTORS))
            total = ranked[0]["actors_total"] if ranked else 0
            listed_ids = tuple(r["actor_id"] for r in ranked[:rows])
            chart_ids = tuple(r["actor_id"] for r in ranked if r["mentions"])[:CHART_ACTORS]
            unknown = q.outlets_unknown(filters)
            expected = (chart_ids, tuple(i for i in listed_ids if unknown and i not in chart_ids), listed_ids)
            ranking, per_actor = await gather(q.listed_rows(db, filters, ranked), _per_actor(db, filters, *expected))
            listed = ranking[:rows]
            if _counted_actors(ranking, listed) != expected:  # never, unless the two sums disagree
                per_actor = None
        else:
            ranking, total = await q.actor_summary_page(db, filters, max(rows, CHART_ACTORS))
            listed = ranking[:rows]
        chart_ids, uncounted, listed_ids = _counted_actors(ranking, listed)
        if per_actor is None:
            per_actor = await _per_actor(db, filters, chart_ids, uncounted, listed_ids)
        per_outlet_all, outlet_counts, cue_rows, frame_rows = per_actor
        chart_set = set(chart_ids)
    except BaseException:
        outlet_part.cancel()
        raise
    outlets, speaker_rows, frame_mix_rows = await outlet_part
    _fill_outlets(listed, {**outlet_counts, **_outlet_counts(per_outlet_all)})
    actors = [st.with_interval(r, min_count, level) for r in listed]
    cues = st.group_counts(cue_rows, "actor_id", "cue_class")
    frames = st.group_counts(frame_rows, "actor_id", "frame")
    for row in actors:
        row["cue_classes"] = st.top(cues.get(row["actor_id"], {}), 2)
        row["frames"] = st.top(frames.get(row["actor_id"], {}), 2)
    speakers: dict[str, list[dict[str, Any]]] = {}
    for r in speaker_rows:
        speakers.setdefault(r["outlet"], []).append({"actor_id": r["actor_id"], "name": r["name"], "quotes": r["quotes"]})
    for row in outlets:
        row["top_speakers"] = speakers.get(row["outlet"], [])[:3]
    frame_mix = st.group_counts(frame_mix_rows, "outlet", "frame")
    per_outlet = [st.with_interval(r, min_count, level) for r in per_outlet_all]
    names = {r["actor_id"]: r["name"] for r in ranking if r["actor_id"] in chart_set}
    return {
        "filters": {**asdict(filters), "outlets": list(filters.outlets)},
        "min_count": min_count,
        "level": level,
        "actors": actors,
        "actors_total": total,
        "outlets": outlets,
        "frame_mix": frame_mix,
        "chart_actors": list(chart_ids),
        "chart_names": names,
        "actor_outlet": per_outlet,
    }


async def _none() -> list[Any]:
    return []


def _counted_actors(
    ranking: list[dict[str, Any]], listed: list[dict[str, Any]]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The dashboard's chart actors (the first mentioned); the listed actors whose outlets are
    counted apart (those the summary could not count, over dates, bar the chart actors); and
    every listed actor."""
    chart_ids = tuple(r["actor_id"] for r in ranking if r["mentions"])[:CHART_ACTORS]
    uncounted = tuple(r["actor_id"] for r in listed if r.get("outlets") is None and r["actor_id"] not in chart_ids)
    return chart_ids, uncounted, tuple(r["actor_id"] for r in listed)


async def _per_actor(
    db, filters: q.Filters, chart_ids: tuple[str, ...], uncounted: tuple[str, ...], listed_ids: tuple[str, ...]
) -> list[Any]:
    """Every number per outlet for the chart actors; for the others only how many outlets
    mention them, where the summary could not say (over dates); cue classes and frames."""
    return await gather(
        q.actor_outlet_summary(db, filters, chart_ids) if chart_ids else _none(),
        q.actor_outlet_counts(db, filters, uncounted),
        q.cue_classes_by_speaker(db, filters, listed_ids) if listed_ids else _none(),
        q.frames_by_actor(db, filters, listed_ids) if listed_ids else _none(),
    )


def _outlet_counts(per_outlet: list[dict[str, Any]]) -> dict[str, int]:
    """Outlets that mention each actor, from its actor_outlet_summary rows."""
    counts: dict[str, int] = {}
    for r in per_outlet:
        if r["mentions"]:
            counts[r["actor_id"]] = counts.get(r["actor_id"], 0) + 1
    return counts


def _fill_outlets(rows: list[dict[str, Any]], counts: dict[str, int]) -> None:
    """Set ``outlets`` (outlets that mention the actor) where the summary could not say."""
    for row in rows:
        if row.get("outlets") is None:
            row["outlets"] = counts.get(row["actor_id"], 0)


def dashboard_charts(data: dict[str, Any], links: Links, filters: q.Filters) -> list[Markup]:
    names = data["chart_names"]
    outlets = [r["outlet"] for r in data["outlets"]]
    group_names = [names[a] for a in data["chart_actors"]]
    sentiment, voice = {}, {}
    scope = _scope_params(filters)
    for r in data["actor_outlet"]:
        key = (names.get(r["actor_id"], r["actor_id"]), r["outlet"])
        href = links.sentences(actor=r["actor_id"], **{**scope, "outlet": r["outlet"]})
        if r["sentiment_mean"] is not None:
            sentiment[key] = {"mean": r["sentiment_mean"], "low": r["sentiment_low"], "high": r["sentiment_high"], "n": r["scored"], "href": href}
        if r["mentions"]:
            voice[key] = {"value": r["voice_share"], "n": r["mentions"], "href": href}
    frames = ordered_frames({f for row in data["frame_mix"].values() for f in row})
    frame_hrefs = {}
    return [
        charts.diverging_bars(
            "Sentiment toward each actor, by outlet",
            group_names,
            outlets,
            sentiment,
            min_count=data["min_count"],
            group_word="actors",
            series_word="outlets",
            level=data["level"],
        ),
        charts.grouped_bars(
            "Voice share (quotes ÷ mentions), by outlet",
            group_names,
            outlets,
            voice,
            min_count=data["min_count"],
            group_word="actors",
            series_word="outlets",
        ),
        charts.stacked_shares(
            "Frame mix by outlet",
            outlets,
            frames,
            data["frame_mix"],
            hrefs=frame_hrefs,
            min_count=data["min_count"],
            group_word="outlets",
            unit="framed sentences",
        ),
    ]


# --- Actor page and compare --------------------------------------------------------------------


#: Labels listed per outlet, and distinctive labels per outlet.
TOP_LABELS = 5


def label_view_from_counts(
    rows: list[dict[str, Any]] | dict[str, dict[str, int]],
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """{outlet: {"top": [...], "distinctive": [...]}} from every (outlet, label, n) count
    (rows, or already {outlet: {label: n}})."""
    counts = rows if isinstance(rows, dict) else st.group_counts(rows, "outlet", "label")
    distinctive = st.distinctive_labels(counts, k=TOP_LABELS)
    return {o: {"top": st.top(c, TOP_LABELS), "distinctive": distinctive.get(o, [])} for o, c in counts.items()}


async def actor_label_view(db, filters: q.Filters, actor_id: str) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """The labels part of the actor page: from the all-time label summaries when nothing
    narrows the comparison (the same log-odds as label_log_odds), else from every count."""
    tops = await q.actor_label_tops(db, filters, actor_id, TOP_LABELS)
    if tops is None:
        if not await q.has_summaries(db):
            return label_view_from_counts(await q.actor_labels_by_outlet(db, filters, actor_id))
        return label_view_from_counts(await q.actor_label_counts(db, filters, actor_id))
    view: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for r in tops["top"]:
        view.setdefault(r["outlet"], {"top": [], "distinctive": []})["top"].append(
            {"name": r["label"], "n": r["n"], "share": st.share(r["n"], r["total"])}
        )
    for r in tops["distinctive"]:
        view.setdefault(r["outlet"], {"top": [], "distinctive": []})["distinctive"].append(
            {"label": r["label"], "n": r["n"], "log_odds": round(r["log_odds"], 6), "z": round(r["z"], 6)}
        )
    return view


def _per_outlet_rows(
    rows: list[dict[str, Any]],
    cues: list[dict[str, Any]],
    labels: list[dict[str, Any]] | dict[str, dict[str, list[dict[str, Any]]]],
    frames: list[dict[str, Any]],
    min_count: int,
    level: float = st.stats.LEVEL,
) -> list[dict[str, Any]]:
    cue_counts: dict[str, dict[str, int]] = {}
    cue_classes: dict[str, dict[str, int]] = {}
    for c in cues:  # a top actor has a thousand (outlet, cue) rows over dates: one look-up per outlet
        outlet, n = c["outlet"], c["n"]
        counts = cue_counts.get(outlet)
        if counts is None:
            counts, classes = cue_counts[outlet], cue_classes[outlet] = {}, {}
        else:
            classes = cue_classes[outlet]
        counts[c["cue"]] = counts.get(c["cue"], 0) + n
        classes[c["cue_class"]] = classes.get(c["cue_class"], 0) + n
    label_view = labels if isinstance(labels, dict) else label_view_from_counts(labels)
    frame_counts = st.group_counts(frames, "outlet", "frame")
    out = []
    for r in rows:
        row = st.with_interval(r, min_count, level)
        outlet = row["outlet"]
        row["cues"] = st.top(cue_counts.get(outlet, {}), 4)
        row["cue_classes"] = st.top(cue_classes.get(outlet, {}), 3)
        row["labels"] = label_view.get(outlet, {}).get("top", [])
        row["distinctive_labels"] = label_view.get(outlet, {}).get("distinctive", [])
        row["frames"] = st.top(frame_counts.get(outlet, {}), 3)
        row["frame_counts"] = frame_counts.get(outlet, {})
        row["prominence"] = {k: row.get(k, 0) for k in ("headline", "standfirst", "first_paragraph", "body")}
        out.append(row)
    return out


async def actor_page(db, actor: dict[str, Any], filters: q.Filters, min_count: int, level: float = st.stats.LEVEL) -> dict[str, Any]:
    actor_id = actor["actor_id"]
    rows, cues, labels, frames, overall = await gather(
        q.actor_outlet_summary(db, filters, (actor_id,)),
        q.actor_cues_by_outlet(db, filters, actor_id),
        actor_label_view(db, filters, actor_id),
        q.actor_frames_by_outlet(db, filters, (actor_id,)),
        q.actor_summary(db, filters, (actor_id,)),
    )
    return {
        "actor": actor,
        "filters": {**asdict(filters), "outlets": list(filters.outlets)},
        "min_count": min_count,
        "level": level,
        "overall": st.with_interval(overall[0], min_count, level) if overall else None,
        "outlets": _per_outlet_rows(rows, cues, labels, frames, min_count, level),
    }


def actor_charts(data: dict[str, Any], links: Links, filters: q.Filters) -> list[Markup]:
    actor_id = data["actor"]["actor_id"]
    name = data["actor"]["name"]
    rows = data["outlets"]
    outlets = [r["outlet"] for r in rows]
    scope = _scope_params(filters)

    # Every mark of an outlet links to its mentions, some with one more filter: one base URL per outlet.
    bases = {outlet: links.sentences(actor=actor_id, **{**scope, "outlet": outlet}) for outlet in outlets}

    def href(outlet: str, **extra: Any) -> str:
        return links.extend(bases[outlet], **extra) if extra else bases[outlet]

    sentiment = {
        (r["outlet"], name): {"mean": r["sentiment_mean"], "low": r["sentiment_low"], "high": r["sentiment_high"], "n": r["scored"], "href": href(r["outlet"])}
        for r in rows
        if r["sentiment_mean"] is not None
    }
    polarity = {r["outlet"]: {"negative": r["negative"], "neutral": r["neutral"], "positive": r["positive"]} for r in rows}
    polarity_hrefs = {
        (r["outlet"], label): href(r["outlet"], polarity=value)
        for r in rows
        for label, value in (("negative", -1), ("neutral", 0), ("positive", 1))
    }
    roles = {r["outlet"]: {"agent": r["agent"], "patient": r["patient"], "speaker": r["speaker"], "other": r["mentions"] - r["agent"] - r["patient"] - r["speaker"]} for r in rows}
    role_hrefs = {(r["outlet"], role): href(r["outlet"], role=role) for r in rows for role in ("agent", "patient", "speaker")}
    frame_counts = {r["outlet"]: r["frame_counts"] for r in rows}
    frames = ordered_frames({f for c in frame_counts.values() for f in c})
    frame_hrefs = {(r["outlet"], f): href(r["outlet"], frame=f) for r in rows for f in frames}
    voice = {(r["outlet"], name): {"value": r["voice_share"], "n": r["mentions"], "href": href(r["outlet"])} for r in rows if r["mentions"]}
    return [
        charts.diverging_bars(f"Sentiment toward {name}, by outlet", outlets, [name], sentiment, min_count=data["min_count"], group_word="outlets", series_word="actors", level=data["level"]),
        charts.stacked_shares(
            f"Polarity of the mentions of {name}, by outlet",
            outlets,
            ["negative", "neutral", "positive"],
            polarity,
            colours=POLARITY_COLOURS,
            hrefs=polarity_hrefs,
            min_count=data["min_count"],
            group_word="outlets",
            unit="scored mentions",
        ),
        charts.stacked_shares(
            f"Role of {name} in its mentions, by outlet",
            outlets,
            ["agent", "patient", "speaker", "other"],
            roles,
            colours={"agent": charts.PALETTE[0], "patient": charts.PALETTE[1], "speaker": charts.PALETTE[2], "other": charts.NEUTRAL},
            hrefs=role_hrefs,
            min_count=data["min_count"],
            group_word="outlets",
            unit="mentions",
        ),
        charts.stacked_shares(
            f"Frames of the sentences mentioning {name}, by outlet",
            outlets,
            frames,
            frame_counts,
            hrefs=frame_hrefs,
            min_count=data["min_count"],
            group_word="outlets",
            unit="framed sentences",
        ),
        charts.grouped_bars(f"Voice share of {name}, by outlet", outlets, [name], voice, min_count=data["min_count"], group_word="outlets", series_word="actors"),
    ]


async def compare(db, actors: list[dict[str, Any]], filters: q.Filters, min_count: int, level: float = st.stats.LEVEL) -> dict[str, Any]:
    """Several actors side by side (over the chosen outlets), or one actor across outlets."""
    ids = tuple(a["actor_id"] for a in actors)
    columns = []
    if len(actors) > 1:
        found = await gather(
            q.actor_outlet_summary(db, filters, ids),
            q.actor_frames_by_outlet(db, filters, ids),
            q.actor_summary(db, filters, ids),
            *(q.actor_cues_by_outlet(db, filters, a["actor_id"]) for a in actors),
            *(q.actor_label_totals(db, filters, a["actor_id"]) for a in actors),
        )
        per_outlet_raw, frames_raw, summary_rows = found[:3]
        cues_of, labels_of = found[3 : 3 + len(actors)], found[3 + len(actors) :]
        summary = {r["actor_id"]: r for r in summary_rows}
        frame_totals: dict[str, dict[str, int]] = {}
        for f in frames_raw:
            frame_totals.setdefault(f["actor_id"], {})
            frame_totals[f["actor_id"]][f["frame"]] = frame_totals[f["actor_id"]].get(f["frame"], 0) + f["n"]
        for a, cues, labels in zip(actors, cues_of, labels_of):
            row = st.with_interval(summary.get(a["actor_id"], {**a, "mentions": 0, "quotes": 0, "scored": 0, "sentiment_mean": None}), min_count, level)
            cue_counts: dict[str, int] = {}
            for c in cues:
                cue_counts[c["cue"]] = cue_counts.get(c["cue"], 0) + c["n"]
            label_counts: dict[str, int] = {}
            for lab in labels:
                label_counts[lab["label"]] = label_counts.get(lab["label"], 0) + lab["n"]
            row.update(
                key=a["actor_id"],
                heading=a["name"],
                actor_id=a["actor_id"],
                outlet=None,
                cues=st.top(cue_counts, 4),
                labels=st.top(label_counts, 5),
                frames=st.top(frame_totals.get(a["actor_id"], {}), 3),
                frame_counts=frame_totals.get(a["actor_id"], {}),
            )
            columns.append(row)
        mode = "actors"
    else:
        a = actors[0]
        per_outlet_raw, frames_raw, cues, labels = await gather(
            q.actor_outlet_summary(db, filters, ids),
            q.actor_frames_by_outlet(db, filters, ids),
            q.actor_cues_by_outlet(db, filters, a["actor_id"]),
            actor_label_view(db, filters, a["actor_id"]),
        )
        for row in _per_outlet_rows(per_outlet_raw, cues, labels, frames_raw, min_count, level):
            row.update(key=row["outlet"], heading=row["outlet"])
            columns.append(row)
        mode = "outlets"
    return {
        "mode": mode,
        "actors": actors,
        "filters": {**asdict(filters), "outlets": list(filters.outlets)},
        "min_count": min_count,
        "level": level,
        "columns": columns,
        "actor_outlet": [st.with_interval(r, min_count, level) for r in per_outlet_raw],
    }


def compare_charts(data: dict[str, Any], links: Links, filters: q.Filters) -> list[Markup]:
    names = {a["actor_id"]: a["name"] for a in data["actors"]}
    rows = data["actor_outlet"]
    outlets = sorted({r["outlet"] for r in rows})
    series = [a["name"] for a in data["actors"]]
    scope = _scope_params(filters)
    sentiment, voice = {}, {}
    frame_counts: dict[str, dict[str, int]] = {}
    for r in rows:
        key = (r["outlet"], names[r["actor_id"]])
        href = links.sentences(actor=r["actor_id"], **{**scope, "outlet": r["outlet"]})
        if r["sentiment_mean"] is not None:
            sentiment[key] = {"mean": r["sentiment_mean"], "low": r["sentiment_low"], "high": r["sentiment_high"], "n": r["scored"], "href": href}
        if r["mentions"]:
            voice[key] = {"value": r["voice_share"], "n": r["mentions"], "href": href}
    for col in data["columns"]:
        frame_counts[col["heading"]] = col.get("frame_counts", {})
    frames = ordered_frames({f for c in frame_counts.values() for f in c})
    return [
        charts.diverging_bars("Sentiment by outlet", outlets, series, sentiment, min_count=data["min_count"], group_word="outlets", series_word="actors", level=data["level"]),
        charts.stacked_shares(
            "Frame mix",
            [c["heading"] for c in data["columns"]],
            frames,
            frame_counts,
            min_count=data["min_count"],
            group_word="actors" if data["mode"] == "actors" else "outlets",
            unit="framed sentences",
        ),
        charts.grouped_bars("Voice share by outlet", outlets, series, voice, min_count=data["min_count"], group_word="outlets", series_word="actors"),
    ]


# --- Article reader -----------------------------------------------------------------------------


def _spans_for(text_len: int, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep spans that lie inside the text and do not overlap an earlier kept span."""
    kept, last_end = [], -1
    for it in sorted(items, key=lambda i: (i["start"], -i["end"])):
        if not (0 <= it["start"] < it["end"] <= text_len):
            continue
        if it["start"] < last_end:
            continue
        kept.append(it)
        last_end = it["end"]
    return kept


def reader_blocks(
    text: str, sentences: list[dict[str, Any]], mentions: list[dict[str, Any]], quotes: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The article as blocks of sentences of pieces, each piece knowing its mention and quote.

    Offsets index into ``text``.  Every boundary of a sentence, mention or quote
    cuts the text, so that nesting never breaks: a quote spanning two sentences
    becomes one quote piece in each.  The template escapes every piece.
    """
    n = len(text)
    sents = [s for s in sentences if 0 <= s["start"] <= s["end"] <= n]
    ments = _spans_for(n, mentions)
    quots = _spans_for(n, quotes)
    cuts = {0, n}
    for group in (sents, ments, quots):
        for it in group:
            cuts.update((it["start"], it["end"]))
    points = sorted(cuts)

    def finder(items: list[dict[str, Any]]):
        starts = [it["start"] for it in items]

        def find(pos: int) -> dict[str, Any] | None:
            i = bisect.bisect_right(starts, pos) - 1
            return items[i] if i >= 0 and pos < items[i]["end"] else None

        return find

    sents = _spans_for(n, [s for s in sents if s["start"] < s["end"]])
    in_sentence, in_mention, in_quote = finder(sents), finder(ments), finder(quots)
    blocks: list[dict[str, Any]] = []
    block: dict[str, Any] | None = None
    group: dict[str, Any] | None = None
    for a, b in zip(points, points[1:]):
        sentence = in_sentence(a)
        piece = {"text": text[a:b], "mention": in_mention(a), "quote": in_quote(a)}
        if sentence is None:
            # Text outside every sentence: kept (never lose text); a line break ends the block.
            if piece["text"].strip():
                if block is None:
                    block = {"kind": "paragraph", "paragraph": None, "sentences": []}
                    blocks.append(block)
                block["sentences"].append({"sentence": None, "pieces": [piece]})
                if "\n" in piece["text"]:
                    block = None
            elif "\n" in piece["text"]:
                block = None
            elif block is not None:
                block["sentences"].append({"sentence": None, "pieces": [piece]})
            group = None
            continue
        if block is None or block["paragraph"] != sentence["paragraph"]:
            block = {"kind": sentence["block"], "paragraph": sentence["paragraph"], "sentences": []}
            blocks.append(block)
            group = None
        if group is None or group["sentence"] is not sentence:
            group = {"sentence": sentence, "pieces": []}
            block["sentences"].append(group)
        group["pieces"].append(piece)
    return [b for b in blocks if b["sentences"]]


def sentence_tip(s: dict[str, Any]) -> str:
    frames = ", ".join(f["frame"] + (f" ({', '.join(f['terms'])})" if f["terms"] else "") for f in s.get("frames", []))
    parts = [f"Sentence {s['idx'] + 1}: sentiment {s['compound']:+.2f}" if s.get("compound") is not None else f"Sentence {s['idx'] + 1}"]
    parts.append(f"frames: {frames}" if frames else "no frame")
    for key, word in (("hedges", "hedges"), ("boosters", "boosters"), ("loaded", "loaded words")):
        if s.get(key):
            parts.append(f"{word}: {', '.join(s[key])}")
    return " · ".join(parts)


def mention_tip(m: dict[str, Any]) -> str:
    bits = [f"{m['name']} ({m['role']})"]
    if m.get("sentiment") is not None:
        bits.append(f"sentiment toward it {m['sentiment']:+.2f}")
    if m.get("evidence"):
        bits.append("evidence: " + ", ".join(m["evidence"]))
    if m.get("descriptors"):
        bits.append("labels: " + ", ".join(m["descriptors"]))
    return " · ".join(bits)


def quote_tip(qt: dict[str, Any]) -> str:
    speaker = qt.get("speaker_name") or qt.get("speaker_text") or "unattributed"
    cue = f", cue “{qt['cue']}” ({qt.get('cue_class') or 'unclassified'})" if qt.get("cue") else ""
    return f"{qt['kind'].capitalize() if qt.get('kind') else 'Quote'} quote by {speaker}{cue}"


async def article_page(db, art: dict[str, Any]) -> dict[str, Any]:
    sentences = await q.article_sentences(db, art["id"])
    mentions = await q.article_mentions(db, art["id"])
    quotes = await q.article_quotes(db, art["id"])
    actors: dict[str, dict[str, Any]] = {}
    for m in mentions:
        a = actors.setdefault(m["actor_id"], {"actor_id": m["actor_id"], "name": m["name"], "kind": m["kind"], "mentions": 0, "quotes": 0, "_sent": []})
        a["mentions"] += 1
        if m["sentiment"] is not None:
            a["_sent"].append(m["sentiment"])
    for qt in quotes:
        # Statements only (statements.py): the reader still marks every quote.
        if qt["speaker_id"] and qt["speaker_id"] in actors and qt.get("is_statement", 1):
            actors[qt["speaker_id"]]["quotes"] += 1
    for a in actors.values():
        vals = a.pop("_sent")
        a["sentiment_mean"] = sum(vals) / len(vals) if vals else None
    article_meta = {k: v for k, v in art.items() if k != "text"}
    return {
        "article": article_meta,
        "text": art.get("text") or "",
        "sentences": sentences,
        "mentions": mentions,
        "quotes": quotes,
        "actors": sorted(actors.values(), key=lambda a: (-a["mentions"], a["name"])),
    }


# --- Methods -----------------------------------------------------------------------------------


def parse_json(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value
