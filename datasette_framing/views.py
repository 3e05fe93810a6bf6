"""Route handlers for the framing pages: parse and check the request, then render.

Every handler does the same four things in order: resolve the database and
check permissions exactly as Datasette's own database and table pages do
(``view-table``, ``view-database``, ``view-instance``); parse its parameters
into plain values, answering 400 with a clear message when they are wrong;
build the page's data (:mod:`page_data`); and return it as HTML, JSON or a
complete CSV stream.  Unknown databases, actors and articles are 404s.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import weakref
from functools import lru_cache
from typing import Any, Iterable
from urllib.parse import quote_plus, urlencode, urlsplit

from datasette import Forbidden, NotFound, Response
from markupsafe import Markup
from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import AsgiStream, BadRequest

from . import __version__, page_data, schema
from .config import get_config, is_framing_database
from . import page_queries as q
from .methods_text import lexicon_sources, methods_html

PLUGIN = "datasette-framing"
FORMATS = ("html", "json", "csv")
#: Longest accepted value of any one parameter, and most values of a repeated one.
MAX_PARAM = 500
MAX_VALUES = 50
MAX_COMPARE = 8
DRILL_PAGE_SIZE = 50
#: Actors listed on the dashboard and in its JSON before "show all" (``_actors=all``; the CSV has all).
ACTOR_ROWS = 25
#: Most recent articles listed on the dashboard page (the CSV has all).
ARTICLE_ROWS = 50
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
POLARITY_WORDS = {"-1": -1, "negative": -1, "0": 0, "neutral": 0, "1": 1, "+1": 1, "positive": 1}
ROLES = ("agent", "patient", "speaker", "modifier", "other")
PROMINENCES = ("headline", "standfirst", "first_paragraph", "body")
ACTOR_KINDS = ("person", "organisation", "country", "group")
QUOTE_KINDS = ("direct", "partial", "indirect")


# --- URLs --------------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _quoted(value: str) -> str:
    return quote_plus(value)


class Links:
    """Every framing URL of one database, built on ``datasette.urls`` so ``base_url`` holds."""

    def __init__(self, datasette, database: str):
        self.datasette = datasette
        self.database = database
        # A plain str: Datasette's PrefixedUrlString wraps every concatenation and method
        # call in Python-level overrides, and a page joins hundreds of links onto this base.
        self.base = str(datasette.urls.database(database)) + "/-/framing"

    @staticmethod
    def _query(params: dict[str, Any]) -> str:
        pairs = []
        for key, value in params.items():
            if value is None or value == "" or value == []:
                continue
            if isinstance(value, (list, tuple)):
                pairs.extend((key, str(v)) for v in value)
            else:
                pairs.append((key, str(value)))
        # urlencode(pairs), with each distinct key and value quoted once: an actor page
        # builds hundreds of drill-down links from the same few values.
        return ("?" + "&".join(f"{_quoted(k)}={_quoted(v)}" for k, v in pairs)) if pairs else ""

    def extend(self, url: str, **params: Any) -> str:
        """``url`` (one of these links) with more parameters after its own: the same URL as
        passing them all at once, for a page that builds many links from one base."""
        query = self._query(params)
        if not query:
            return url
        return url + ("&" + query[1:] if "?" in url else query)

    def _url(self, path: str, fmt: str | None, params: dict[str, Any]) -> str:
        return self.base + path + (f".{fmt}" if fmt and fmt != "html" else "") + self._query(params)

    def dashboard(self, fmt: str | None = None, **params: Any) -> str:
        return self._url("", fmt, params)

    def actor(self, actor_id: str, fmt: str | None = None, **params: Any) -> str:
        return self._url("/actors/" + tilde_encode(actor_id), fmt, params)

    def sentences(self, fmt: str | None = None, **params: Any) -> str:
        return self._url("/sentences", fmt, params)

    def compare(self, fmt: str | None = None, **params: Any) -> str:
        return self._url("/compare", fmt, params)

    def article(self, article_id: str, fmt: str | None = None, **params: Any) -> str:
        return self._url("/articles/" + tilde_encode(article_id), fmt, params)

    def methods(self, fmt: str | None = None, **params: Any) -> str:
        return self._url("/methods", fmt, params)

    def table(self, table: str, **params: Any) -> str:
        return self.datasette.urls.table(self.database, table) + self._query(params)

    def row(self, table: str, pk: str) -> str:
        return self.datasette.urls.row(self.database, table, tilde_encode(pk))

    def sql(self, sql: str, params: dict[str, Any]) -> str:
        values = {k: ("" if v is None else v) for k, v in params.items()}
        return self.datasette.urls.database(self.database) + "?" + urlencode({"sql": sql, **values})


def instance_url(datasette, fmt: str | None = None) -> str:
    return datasette.urls.path("/-/framing" + (f".{fmt}" if fmt and fmt != "html" else ""))


# --- Request parsing ---------------------------------------------------------------------------


def _format(request) -> str:
    fmt = request.url_vars.get("format") or request.args.get("_format") or "html"
    if fmt not in FORMATS:
        raise BadRequest(f"Unknown format {fmt[:40]!r}: use one of {', '.join(FORMATS)}")
    return fmt


def _one(request, name: str) -> str | None:
    values = request.args.getlist(name)
    if len(values) > 1:
        raise BadRequest(f"Parameter {name!r} may be given once")
    if not values or values[0] == "":
        return None
    value = values[0]
    if len(value) > MAX_PARAM:
        raise BadRequest(f"Parameter {name!r} is too long (at most {MAX_PARAM} characters)")
    if "\x00" in value:
        raise BadRequest(f"Parameter {name!r} holds a NUL character")
    return value


def _many(request, name: str) -> tuple[str, ...]:
    values = [v for v in request.args.getlist(name) if v != ""]
    if len(values) > MAX_VALUES:
        raise BadRequest(f"Parameter {name!r} is repeated too often (at most {MAX_VALUES} values)")
    for v in values:
        if len(v) > MAX_PARAM or "\x00" in v:
            raise BadRequest(f"A value of parameter {name!r} is too long or holds a NUL character")
    return tuple(dict.fromkeys(values))


def _date(request, name: str) -> str | None:
    value = _one(request, name)
    if value is None:
        return None
    if not DATE_RE.match(value):
        raise BadRequest(f"Parameter {name!r} must be a date as YYYY, YYYY-MM or YYYY-MM-DD, not {value[:40]!r}")
    if len(value) == 10:
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            raise BadRequest(f"Parameter {name!r} is not a real date: {value!r}") from None
    return value


def _choice(request, name: str, choices: Iterable[str]) -> str | None:
    value = _one(request, name)
    choices = tuple(choices)
    if value is not None and value not in choices:
        raise BadRequest(f"Parameter {name!r} must be one of {', '.join(choices)}")
    return value


def parse_filters(request) -> q.Filters:
    since, until = _date(request, "since"), _date(request, "until")
    if since and until and since > until:
        raise BadRequest("'since' is after 'until'")
    return q.Filters(
        outlets=_many(request, "outlet"),
        since=since,
        until=until,
        kind=_choice(request, "kind", ACTOR_KINDS),
    )


def _level(datasette, database: str) -> float:
    """Confidence level of the intervals (config ``confidence``; validated at startup)."""
    return float(get_config(datasette, database)["confidence"])


def _min_count(datasette, database: str) -> int:
    """The minimum-count guard (config ``min_mentions``; validated at startup)."""
    return get_config(datasette, database)["min_mentions"]


# --- Permissions and databases -----------------------------------------------------------------

#: The tables each page reads (checked with view-table, like Datasette's table pages).
PAGE_TABLES = {
    "dashboard": ("articles", "actors", "mentions", "quotes", "frames"),
    "actor": ("articles", "actors", "aliases", "mentions", "quotes", "frames"),
    "compare": ("articles", "actors", "mentions", "quotes", "frames"),
    "sentences": ("articles", "sentences", "mentions", "quotes", "frames", "actors"),
    "article": ("articles", "sentences", "mentions", "quotes", "frames", "actors"),
    "methods": ("_framing_runs", "load_errors"),
}


async def may_view(datasette, actor, permissions: list[Any]) -> bool:
    """``datasette.check_visibility(actor, permissions=...)[0]``: whether this actor may see it.

    check_visibility then asks every question again for the anonymous actor, to tell a
    private page from a public one, which these pages never show; and in this Datasette each
    view-table question is a query on the database, so that second half cost about 1.5 ms
    of every page's main thread."""
    try:
        await datasette.ensure_permissions(actor, permissions)
    except Forbidden:
        return False
    return True


async def visible_tables(datasette, actor, database: str, tables: Iterable[str]) -> bool:
    for table in tables:
        permissions = [("view-table", (database, table)), ("view-database", database), "view-instance"]
        if not await may_view(datasette, actor, permissions):
            return False
    return True


async def framing_database(datasette, request, page: str):
    """The requested database, after the same permission checks as Datasette's own pages."""
    route = tilde_decode(request.url_vars["database"])
    try:
        db = datasette.get_database(route=route)
    except KeyError:
        raise NotFound(f"Database not found: {route}")
    if not await may_view(datasette, request.actor, [("view-database", db.name), "view-instance"]):
        raise Forbidden("You do not have permission to view this database")
    present = await q.table_names(db)
    missing = q.missing_tables(present)
    if not await is_framing_database(datasette, db.name) or (page != "methods" and missing):
        why = f"it has no {', '.join(missing)} table" if missing else "the datasette-framing 'databases' setting leaves it out"
        raise NotFound(
            f"{db.name} is not a framing database ({why}). "
            "Create one with: datasette-framing load framing.db ARTICLES..."
        )
    needed = [t for t in PAGE_TABLES[page] if t in present]
    if not await visible_tables(datasette, request.actor, db.name, needed):
        raise Forbidden("You do not have permission to view the tables behind this page")
    return db


# --- Responses ---------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if isinstance(value, list) and value and isinstance(value[0], dict) and "name" in value[0]:
        return "; ".join(f"{v['name']} ({v.get('n', v.get('quotes', ''))})" for v in value)
    if isinstance(value, list) and value and isinstance(value[0], dict) and "label" in value[0]:
        return "; ".join(f"{v['label']} (z={v['z']:.1f})" for v in value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _csv_text(rows: list[dict[str, Any]], header: list[str] | None, write_header: bool) -> tuple[str, list[str]]:
    header = header or (list(rows[0].keys()) if rows else [])
    buf = io.StringIO()
    writer = csv.writer(buf)
    if write_header and header:
        writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(row.get(k)) for k in header])
    return buf.getvalue(), header


def csv_response(chunks, filename: str) -> AsgiStream:
    """Stream CSV from an async iterator of row lists: every row, however many."""

    async def stream(response):
        header = None
        async for rows in chunks:
            text, header = _csv_text(rows, header, header is None)
            await response.write(text)

    return AsgiStream(
        stream,
        headers={"content-disposition": f'inline; filename="{filename}.csv"'},
        content_type="text/csv; charset=utf-8",
    )


async def _single(rows: list[dict[str, Any]]):
    yield rows


def table_csv(request, tables: dict[str, list[dict[str, Any]]], filename: str):
    name = _one(request, "_table") or next(iter(tables))
    if name not in tables:
        raise BadRequest(f"Unknown _table {name[:40]!r}: use one of {', '.join(tables)}")
    return csv_response(_single(tables[name]), f"{filename}-{name}")


async def render(datasette, request, template: str, context: dict[str, Any]) -> Response:
    html = await datasette.render_template(template, context, request=request, view_name="framing")
    return Response.html(html)


async def render_page(datasette, request, template: str, context: dict[str, Any]) -> Response:
    """A page whose content (``<page>_body.html``) renders synchronously: see render_fragment."""
    body = render_fragment(datasette, template.replace(".html", "_body.html"), context)
    return await render(datasette, request, template, {**context, "body": body})


#: A synchronous twin of each Datasette's Jinja environment (same loader, filters, escaping).
_SYNC_ENVS: "weakref.WeakKeyDictionary[Any, Any]" = weakref.WeakKeyDictionary()


def render_fragment(datasette, template: str, context: dict[str, Any]) -> Markup:
    """A page's content, rendered without Datasette's async Jinja mode.

    Datasette renders pages in async mode, where every macro call, attribute call and
    loop step goes through an awaitable check: the side-by-side table of a top actor
    (21 columns, ~900 links) took most of its page's time that way.  The content only
    reads plain values (Datasette's own context, which may need awaiting, is used by the
    page template around it), so a synchronous overlay of the same environment (same
    templates, filters and autoescape) renders it; the page template outputs the Markup.
    """
    env = _SYNC_ENVS.get(datasette.jinja_env)
    if env is None:
        # A cache of its own: templates compiled for async mode cannot run synchronously.
        env = datasette.jinja_env.overlay(enable_async=False, cache_size=50)
        # Its own filters (an overlay shares the dict): quote_plus remembered per value, as
        # Links quotes them, since a top actor's table quotes the same few hundred labels
        # into its drill-down links on every request.
        env.filters = {**env.filters, "quote_plus": _quoted}
        _SYNC_ENVS[datasette.jinja_env] = env
    return Markup(env.get_template(template).render(context))


def json_response(data: dict[str, Any]) -> Response:
    return Response(
        json.dumps(data, default=str, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )


def _base_context(datasette, db, links: Links, fmt_links: dict[str, str]) -> dict[str, Any]:
    return {"database": db.name, "links": links, "format_links": fmt_links, "plugin_version": __version__}


def _request_params(request) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key in request.args.keys():
        if key.startswith("_"):
            continue
        out[key] = request.args.getlist(key)
    return out


# --- Pages -------------------------------------------------------------------------------------


async def instance_page(datasette, request) -> Response:
    """``/-/framing``: the framing databases this actor may see."""
    fmt = _format(request)
    if fmt == "csv":
        raise BadRequest("This page has no CSV form; use .json")
    await datasette.ensure_permissions(request.actor, ["view-instance"])
    databases = []
    for name, db in datasette.databases.items():
        if name == "_internal":
            continue
        visible, _ = await datasette.check_visibility(
            request.actor, permissions=[("view-database", name), "view-instance"]
        )
        if not visible:
            continue
        if not await is_framing_database(datasette, name) or q.missing_tables(await q.table_names(db)):
            continue
        if not await visible_tables(datasette, request.actor, name, PAGE_TABLES["dashboard"]):
            continue
        counts = await q.table_counts(db)
        links = Links(datasette, name)
        databases.append(
            {
                "database": name,
                "articles": counts.get("articles", 0),
                "actors": counts.get("actors", 0),
                "mentions": counts.get("mentions", 0),
                "quotes": counts.get("quotes", 0),
                "dashboard_url": links.dashboard(),
                "methods_url": links.methods(),
            }
        )
    data = {"databases": databases}
    if fmt == "json":
        return json_response(data)
    return await render(
        datasette,
        request,
        "framing_index.html",
        {**data, "format_links": {"json": instance_url(datasette, "json")}, "plugin_version": __version__},
    )


async def dashboard(datasette, request) -> Response:
    fmt = _format(request)
    db = await framing_database(datasette, request, "dashboard")
    filters = parse_filters(request)
    sort = _one(request, "_sort")
    links = Links(datasette, db.name)
    min_count = _min_count(datasette, db.name)
    if sort is not None and sort.lstrip("-") not in page_data.SORT_KEYS:
        raise BadRequest(f"Cannot sort actors by {sort[:40]!r}: use one of {', '.join(page_data.SORT_KEYS)}")
    show_all = fmt == "csv" or _choice(request, "_actors", ("all",)) == "all"
    html = fmt == "html"
    data, articles, all_outlets, dates, stale = await page_data.gather(
        page_data.dashboard(
            db, filters, links, min_count, _level(datasette, db.name), sort=sort, rows=None if show_all else ACTOR_ROWS
        ),
        q.article_list(db, filters, limit=-1 if fmt == "csv" else ARTICLE_ROWS),
        q.outlets(db) if html else _nothing(),
        q.date_range(db) if html else _nothing(),
        q.missing_summary_tables(db) if html else _nothing(),
    )
    data["articles"] = articles
    data["database"] = db.name
    if len(data["actors"]) < data["actors_total"]:
        data["all_actors_json_url"] = links.dashboard("json", _actors="all", _sort=sort, **_request_params(request))
    if fmt == "json":
        return json_response(data)
    if fmt == "csv":
        return table_csv(
            request,
            {"actors": data["actors"], "outlets": data["outlets"], "actor_outlet": data["actor_outlet"], "articles": articles},
            f"{db.name}-framing",
        )
    params = _request_params(request)
    scope = page_data._scope_params(filters)
    context = {
        **_base_context(datasette, db, links, {"json": links.dashboard("json", **params)}),
        **data,
        "params": params,
        "csv": {t: links.dashboard("csv", **params, _table=t) for t in ("actors", "outlets", "actor_outlet", "articles")},
        "charts": page_data.dashboard_charts(data, links, filters),
        "all_outlets": all_outlets,
        "kinds": ACTOR_KINDS,
        "dates": dates,
        "scope": scope,
        "actor_rows": list(zip(data["actors"], actor_row_links(data["actors"], links, scope))),
        "sort": sort or "",
        "article_rows": ARTICLE_ROWS,
        "all_actors_url": links.dashboard(_actors="all", _sort=sort, **params) + "#actors",
        "missing_summaries": stale,
        "db_path": db.path,
    }
    return await render_page(datasette, request, "framing_dashboard.html", context)


async def _actor_or_404(db, raw: str) -> dict[str, Any]:
    actor_id = tilde_decode(raw)
    if len(actor_id) > MAX_PARAM:
        raise BadRequest("Actor id is too long")
    found = await q.actor(db, actor_id)
    if found is None:
        raise NotFound(f"Actor not found: {actor_id}")
    return found


async def actor_page(datasette, request) -> Response:
    fmt = _format(request)
    db = await framing_database(datasette, request, "actor")
    filters = parse_filters(request)
    actor = await _actor_or_404(db, request.url_vars["actor"])
    links = Links(datasette, db.name)
    html = fmt == "html"
    data, all_outlets, dates = await page_data.gather(
        page_data.actor_page(db, actor, filters, _min_count(datasette, db.name), _level(datasette, db.name)),
        q.outlets(db) if html else _nothing(),
        q.date_range(db) if html else _nothing(),
    )
    data["database"] = db.name
    if fmt == "json":
        return json_response(data)
    if fmt == "csv":
        return table_csv(request, {"outlets": data["outlets"]}, f"{db.name}-{actor['actor_id']}")
    params = _request_params(request)
    context = {
        **_base_context(datasette, db, links, {"json": links.actor(actor["actor_id"], "json", **params)}),
        **data,
        "params": params,
        "csv": {"outlets": links.actor(actor["actor_id"], "csv", **params)},
        "subject": actor,  # Datasette's context already uses "actor" for the signed-in user
        "charts": page_data.actor_charts(data, links, filters),
        "scope": page_data._scope_params(filters),
        "columns": with_drill_links(_actor_columns(data), links, filters),
        "all_outlets": all_outlets,
        "dates": dates,
    }
    return await render_page(datasette, request, "framing_actor.html", context)


def actor_row_links(actors: list[dict[str, Any]], links: Links, scope: dict[str, Any]) -> list[dict[str, str]]:
    """The links of each dashboard actor row (its page, mentions, quotes and mentions by
    polarity), the same URLs as ``links.sentences(actor=..., polarity=..., **scope)``: the
    scope's query string is quoted once and appended to each, as Links.extend appends it,
    instead of six calls per row from the template that each quote the scope again."""
    scope_query = links._query(scope)

    def scoped(url: str) -> str:
        if not scope_query:
            return url
        return url + ("&" + scope_query[1:] if "?" in url else scope_query)

    out = []
    for r in actors:
        actor_id = r["actor_id"]
        out.append({
            "page": scoped(links.actor(actor_id)),
            "mentions": scoped(links.sentences(actor=actor_id)),
            "quotes": scoped(links.sentences(speaker=actor_id)),
            "negative": scoped(links.sentences(actor=actor_id, polarity=-1)),
            "neutral": scoped(links.sentences(actor=actor_id, polarity=0)),
            "positive": scoped(links.sentences(actor=actor_id, polarity=1)),
        })
    return out


def _actor_columns(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The actor page's side-by-side columns: one per outlet, then all outlets together."""
    columns = [dict(r, heading=r["outlet"]) for r in data["outlets"]]
    overall = data["overall"]
    if overall and len(data["outlets"]) > 1:
        columns.append(dict(
            overall, heading="All outlets", outlet=None, cues=[], labels=[], frames=[], prominence={},
            cue_classes=[], distinctive_labels=[],
        ))
    return columns


def with_drill_links(columns: list[dict[str, Any]], links: Links, filters: q.Filters) -> list[dict[str, Any]]:
    """Side-by-side columns with the two drill-down URLs every cell of a column starts from:
    its mentions (``drill``) and its quotes (``qdrill``).  framing_outlet_columns.html adds a
    cell's own parameter (``&polarity=-1``, ``&label=...|quote_plus``) to them."""
    scope = {"since": filters.since, "until": filters.until}
    return [
        dict(
            c,
            drill=links.sentences(actor=c["actor_id"], outlet=c["outlet"], **scope),
            qdrill=links.sentences(speaker=c["actor_id"], outlet=c["outlet"], **scope),
        )
        for c in columns
    ]


async def compare_page(datasette, request) -> Response:
    fmt = _format(request)
    db = await framing_database(datasette, request, "compare")
    filters = parse_filters(request)
    ids = _many(request, "actor")
    if len(ids) > MAX_COMPARE:
        raise BadRequest(f"Compare at most {MAX_COMPARE} actors at once")
    links = Links(datasette, db.name)
    actors = []
    for actor_id, found in zip(ids, await page_data.gather(*(q.actor(db, actor_id) for actor_id in ids))):
        if found is None:
            raise NotFound(f"Actor not found: {actor_id}")
        actors.append(found)
    data: dict[str, Any] = {"database": db.name, "actors": actors, "columns": [], "mode": None}
    if not actors and fmt != "html":
        raise BadRequest("Pass one or more actors to compare: ?actor=KEY&actor=KEY (and optionally &outlet=NAME)")
    html = fmt == "html"
    compared, choices, all_outlets = await page_data.gather(
        page_data.compare(db, actors, filters, _min_count(datasette, db.name), _level(datasette, db.name)) if actors else _nothing(),
        q.actor_choices(db) if html else _nothing(),
        q.outlets(db) if html else _nothing(),
    )
    if actors:
        data = {**compared, "database": db.name}
    if fmt == "json":
        return json_response(data)
    if fmt == "csv":
        return table_csv(request, {"columns": data["columns"], "actor_outlet": data["actor_outlet"]}, f"{db.name}-compare")
    params = _request_params(request)
    context = {
        **_base_context(datasette, db, links, {"json": links.compare("json", **params)}),
        **data,
        "params": params,
        "csv": {t: links.compare("csv", **params, _table=t) for t in ("columns", "actor_outlet")} if actors else {},
        "charts": page_data.compare_charts(data, links, filters) if actors else [],
        "columns": with_drill_links(data["columns"], links, filters),
        "choices": choices,
        "all_outlets": all_outlets,
        "scope": page_data._scope_params(filters),
        "selected_outlets": list(filters.outlets),
        "selected_actors": [a["actor_id"] for a in actors],
    }
    return await render_page(datasette, request, "framing_compare.html", context)


async def sentences_page(datasette, request) -> Response:
    """The sentences behind a number: mentions of an actor, or quotes by a speaker."""
    fmt = _format(request)
    db = await framing_database(datasette, request, "sentences")
    scope = q.Filters(since=_date(request, "since"), until=_date(request, "until"))
    outlets = _many(request, "outlet")
    if len(outlets) > 1:
        raise BadRequest("Drill-down takes one outlet at most")
    outlet = outlets[0] if outlets else None
    actor_raw, speaker_raw = _one(request, "actor"), _one(request, "speaker")
    if bool(actor_raw) == bool(speaker_raw):
        raise BadRequest("Pass exactly one of ?actor=KEY (its mentions) or ?speaker=KEY (its quotes)")
    after = _keyset(_one(request, "_next"))
    size_raw = _one(request, "_size")
    try:
        size = int(size_raw) if size_raw else DRILL_PAGE_SIZE
    except ValueError:
        raise BadRequest("_size must be a whole number") from None
    if not 1 <= size <= 1000:
        raise BadRequest("_size must be between 1 and 1000")
    links = Links(datasette, db.name)
    actor = await q.actor(db, actor_raw or speaker_raw)
    if actor is None:
        raise NotFound(f"Actor not found: {actor_raw or speaker_raw}")
    if actor_raw:
        polarity_raw = _one(request, "polarity")
        if polarity_raw is not None and polarity_raw not in POLARITY_WORDS:
            raise BadRequest("polarity must be -1, 0 or 1 (or negative, neutral, positive)")
        f = q.MentionFilters(
            actor_id=actor["actor_id"],
            outlet=outlet,
            polarity=POLARITY_WORDS[polarity_raw] if polarity_raw is not None else None,
            role=_choice(request, "role", ROLES),
            frame=_one(request, "frame"),
            prominence=_choice(request, "prominence", PROMINENCES),
            label=_one(request, "label"),
            article_id=_one(request, "article"),
        )
        mode, total_fn, page_fn, stream_fn, link_sql = "mentions", q.mention_count, q.mention_page, q.mention_stream, q.MENTION_LINK_SQL
        id_key = "mention_id"
    else:
        f = q.QuoteFilters(
            speaker_id=actor["actor_id"],
            outlet=outlet,
            cue=_one(request, "cue"),
            cue_class=_one(request, "cue_class"),
            kind=_choice(request, "kind", QUOTE_KINDS),
        )
        mode, total_fn, page_fn, stream_fn, link_sql = "quotes", q.quote_count, q.quote_page, q.quote_stream, q.QUOTE_LINK_SQL
        id_key = "quote_id"
    if fmt == "csv":
        return csv_response(stream_fn(db, scope, f), f"{db.name}-{mode}-{actor['actor_id']}")
    total, exact = await total_fn(db, scope, f)
    rows = await page_fn(db, scope, f, after, size)
    next_token = json.dumps([rows[-1]["article_id"], rows[-1][id_key]]) if len(rows) == size else None
    filters_applied = {k: v for k, v in vars(f).items() if v is not None and k not in ("actor_id", "speaker_id")}
    data = {
        "database": db.name,
        "mode": mode,
        "actor": actor,
        "filters": {**filters_applied, "since": scope.since, "until": scope.until},
        "total": total,
        "total_capped": not exact,
        "rows": rows,
        "next": next_token,
    }
    if fmt == "json":
        return json_response(data)
    params = _request_params(request)
    can_sql = await datasette.permission_allowed(request.actor, "execute-sql", resource=db.name, default=True)
    sql_params = {k: v for k, v in f.params(scope).items()}
    context = {
        **_base_context(datasette, db, links, {"json": links.sentences("json", **params)}),
        **data,
        "params": params,
        "subject": actor,
        "csv_url": links.sentences("csv", **params),
        "next_url": links.sentences(**params, _next=next_token, _size=size_raw) if next_token else None,
        "first_url": links.sentences(**params, _size=size_raw) if after else None,
        "sql_url": links.sql(link_sql, sql_params) if can_sql else None,
        "table_url": links.table("mentions", actor_id=actor["actor_id"]) if mode == "mentions" else links.table("quotes", speaker_id=actor["actor_id"]),
        "outlet": outlet,
    }
    return await render(datasette, request, "framing_sentences.html", context)


def _keyset(token: str | None) -> tuple[str, str] | None:
    """The ``_next`` token of a drill-down: a JSON pair [article id, row id]."""
    if token is None:
        return None
    try:
        value = json.loads(token)
    except ValueError:
        value = None
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        raise BadRequest("_next must be the token from a 'Next page' link")
    return value[0], value[1]


def safe_link(url: Any) -> str | None:
    """The URL if it is an http(s) address that is safe to put in ``href``, else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or any(ord(c) < 32 or c in '<>"`' or c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url
    return None


async def article_page(datasette, request) -> Response:
    fmt = _format(request)
    db = await framing_database(datasette, request, "article")
    article_id = tilde_decode(request.url_vars["article"])
    if len(article_id) > MAX_PARAM:
        raise BadRequest("Article id is too long")
    art = await q.article(db, article_id)
    if art is None:
        raise NotFound(f"Article not found: {article_id}")
    links = Links(datasette, db.name)
    data = await page_data.article_page(db, art)
    data["database"] = db.name
    if fmt == "json":
        return json_response(data)
    if fmt == "csv":
        return table_csv(
            request,
            {"sentences": data["sentences"], "mentions": data["mentions"], "quotes": data["quotes"], "actors": data["actors"]},
            f"{db.name}-article-{article_id[:40]}",
        )
    for s in data["sentences"]:
        s["tip"] = page_data.sentence_tip(s)
    for m in data["mentions"]:
        m["tip"] = page_data.mention_tip(m)
    for qt in data["quotes"]:
        qt["tip"] = page_data.quote_tip(qt)
    context = {
        **_base_context(datasette, db, links, {"json": links.article(article_id, "json")}),
        **data,
        "blocks": page_data.reader_blocks(data["text"], data["sentences"], data["mentions"], data["quotes"]),
        "article_link": safe_link(art.get("url")),
        "csv": {t: links.article(article_id, "csv", _table=t) for t in ("sentences", "mentions", "quotes", "actors")},
        "row_url": links.row("articles", article_id),
        "score_columns": [
            c for c in schema.ARTICLES.columns
            if c.type in ("REAL", "INTEGER") and c.name != "run_id"
        ],
    }
    return await render(datasette, request, "framing_article.html", context)


async def methods_page(datasette, request) -> Response:
    fmt = _format(request)
    db = await framing_database(datasette, request, "methods")
    links = Links(datasette, db.name)
    runs = await q.runs(db)
    for run in runs:
        for key in ("options", "paths"):
            run[key] = page_data.parse_json(run.get(key))
    errors, error_total = await q.load_errors(db, limit=-1 if fmt == "csv" else ARTICLE_ROWS)
    import datasette as datasette_module

    data = {
        "database": db.name,
        "versions": {
            "datasette-framing": __version__,
            "datasette": datasette_module.__version__,
            "schema": schema.SCHEMA_VERSION,
            "loaded_by": sorted({str(r.get("version")) for r in runs if r.get("version")}),
        },
        "min_count": _min_count(datasette, db.name),
        "interval": "Student-t interval of the mean mention sentiment, clipped to [-1, 1] (stats.ci_from_moments)",
        "confidence": get_config(datasette, db.name)["confidence"],
        "distinctive_labels": "Log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), z >= 1.96",
        "lexicons": lexicon_sources(),
        "runs": runs,
        "load_errors": errors,
        "load_error_total": error_total,
        "tables": await q.table_counts(db),
    }
    if fmt == "json":
        return json_response(data)
    if fmt == "csv":
        return table_csv(request, {"runs": runs, "load_errors": errors}, f"{db.name}-methods")
    notes, notes_source = methods_html()
    for run in runs:
        run["options_text"] = json.dumps(run.get("options"), indent=1, ensure_ascii=False, default=str)
    context = {
        **_base_context(datasette, db, links, {"json": links.methods("json")}),
        **data,
        "notes": notes,
        "notes_source": notes_source,
        "csv": {t: links.methods("csv", _table=t) for t in ("runs", "load_errors")},
    }
    return await render(datasette, request, "framing_methods.html", context)


async def _nothing() -> None:
    return None


def _request_scoped(view):
    """The view with a per-request cache of the values every query asks for (page_queries)."""

    async def scoped(datasette, request):
        token = q.request_scope()
        try:
            return await view(datasette, request)
        finally:
            q.end_request_scope(token)

    scoped.__name__ = scoped.__qualname__ = view.__name__
    scoped.__doc__ = view.__doc__
    return scoped


def routes() -> list[tuple[str, Any]]:
    db = r"^/(?P<database>[^/]+)/-/framing"
    fmt = r"(\.(?P<format>json|csv))?$"
    return [
        (pattern, _request_scoped(view))
        for pattern, view in (
            (r"^/-/framing" + fmt, instance_page),
            (db + fmt, dashboard),
            (db + r"/actors/(?P<actor>[^/]+?)" + fmt, actor_page),
            (db + r"/compare" + fmt, compare_page),
            (db + r"/sentences" + fmt, sentences_page),
            (db + r"/articles/(?P<article>[^/]+?)" + fmt, article_page),
            (db + r"/methods" + fmt, methods_page),
        )
    ]
