"""How the plugin shows up inside Datasette's own pages: menu and action links, sentiment cells.

The hooks in ``plugin.py`` call these.  Links are built with ``datasette.urls``
so that the ``base_url`` setting is respected, and are offered only for
databases the actor may see, so the menu never reveals a private database.
"""

from __future__ import annotations

import gc
import math
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from . import schema
from .config import framing_databases, get_config, is_framing_database

#: Colours for the three polarities: a red/blue diverging pair that stays apart for colour-blind readers.
COLOURS = {-1: "#b2182b", 0: "#595959", 1: "#2166ac"}
LABELS = {-1: "negative", 0: "neutral", 1: "positive"}


_heap_frozen = False


def freeze_startup_heap() -> None:
    """Keep Python's full garbage collections off what exists once the server has started.

    Datasette imports pint, which imports numpy and dask when they are installed (the
    loader's Dask extra): about 74,000 long-lived objects that every full collection walks,
    70-110 ms of CPU each time, landing on whichever request triggered it and deciding the
    pages' p95.  ``gc.freeze`` moves them to a generation the collector skips; reference
    counting still frees them.  Done once per process, after a collection so that no
    garbage is frozen with them.
    """
    global _heap_frozen
    if _heap_frozen:
        return
    _heap_frozen = True
    gc.collect()
    gc.freeze()


def dashboard_url(datasette: Any, database: str) -> str:
    """The framing dashboard of one database (``/<db>/-/framing``)."""
    return datasette.urls.database(database) + "/-/framing"


def index_url(datasette: Any) -> str:
    """The instance-wide framing page listing every framing database (``/-/framing``)."""
    return datasette.urls.path("/-/framing")


async def visible_framing_databases(datasette: Any, actor: dict | None) -> list[str]:
    """Framing databases whose dashboard this actor may open: the checks the dashboard itself makes
    (view-instance, view-database and view-table on every table it reads), so a link never leads to a 403."""
    from .views import PAGE_TABLES, may_view, visible_tables

    visible = []
    for name in await framing_databases(datasette):
        ok = await may_view(datasette, actor, [("view-database", name), "view-instance"])
        if ok and await visible_tables(datasette, actor, name, PAGE_TABLES["dashboard"]):
            visible.append(name)
    return visible


async def menu_links(datasette: Any, actor: dict | None) -> list[dict[str, str]]:
    """One "Framing" entry: straight to the dashboard when one database is visible, else the index."""
    names = await visible_framing_databases(datasette, actor)
    if not names:
        return []
    if len(names) == 1:
        return [{"href": dashboard_url(datasette, names[0]), "label": "Framing dashboard"}]
    return [{"href": index_url(datasette), "label": "Framing dashboards"}]


async def database_actions(datasette: Any, database: str) -> list[dict[str, str]]:
    if not await is_framing_database(datasette, database):
        return []
    return [{"href": dashboard_url(datasette, database), "label": "Framing dashboard"}]


async def table_actions(datasette: Any, database: str, table: str) -> list[dict[str, str]]:
    """On the framing tables only (Datasette already checked the actor may see this table)."""
    if table not in {t.name for t in schema.all_tables()}:
        return []
    return await database_actions(datasette, database)


#: VADER's own thresholds for its compound score (Hutto & Gilbert 2014): |compound| < 0.05 is neutral.
VADER_NEUTRAL = 0.05
#: Mention-sentiment score columns (and their intervals), labelled with pipeline.sentiment.polarity().
MENTION_SCORE_COLUMNS = frozenset({"sentiment", "mean_sentiment", "ci_low", "ci_high"})


def _is_score_column(column: Any) -> bool:
    if column.name == "polarity":
        return True
    return column.type == "REAL" and (column.name in MENTION_SCORE_COLUMNS or "compound" in column.name)


@lru_cache(maxsize=1)
def sentiment_columns() -> dict[str, frozenset[str]]:
    """Per framing table, the columns holding a sentiment score or a polarity (read from schema.py).

    Sums (sentiment_sum, sentiment_sumsq), shares and VADER's pos/neu/neg proportions are
    not scores in [-1, 1] and are left alone.
    """
    out = {}
    for t in schema.all_tables():
        cols = frozenset(c.name for c in t.columns if _is_score_column(c))
        if cols:
            out[t.name] = cols
    return out


def label_of(value: float, column: str) -> int:
    """-1, 0 or 1: VADER's thresholds for compound scores, the documented polarity() for mention scores."""
    if column == "polarity":
        return max(-1, min(1, int(value)))
    if "compound" in column:
        return 1 if value >= VADER_NEUTRAL else -1 if value <= -VADER_NEUTRAL else 0
    from .pipeline.sentiment import polarity

    return polarity(float(value))


def sentiment_html(value: float, column: str) -> Markup:
    """A score as a coloured value with its polarity in words (colour is never the only cue)."""
    pol = label_of(value, column)
    shown = f"{int(value):+d}" if column == "polarity" else f"{value:+.3f}"
    if pol == 0 and float(value) == 0:
        shown = shown.lstrip("+-")
    return Markup(
        '<span class="framing-sentiment framing-sentiment-{label}" style="color:{colour};white-space:nowrap"'
        ' title="{label} ({column} = {full})">{shown} <small>{label}</small></span>'
    ).format(label=LABELS[pol], colour=COLOURS[pol], column=column, full=repr(value), shown=shown)


def render_cell(datasette: Any, database: str, table: str | None, column: str, value: Any) -> Markup | None:
    """Coloured sentiment values on the framing tables; None leaves every other cell to Datasette."""
    if table is None or column not in sentiment_columns().get(table, ()):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    config = get_config(datasette, database, table)
    if not config["render_cell"]:
        return None
    named = config["databases"]
    if named is not None and database not in named:
        return None
    return sentiment_html(value, column)
