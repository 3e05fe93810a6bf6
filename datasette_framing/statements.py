"""What counts as a *statement*: the one SQL definition every count of quotes uses.

The quotes table keeps every kind of quote, and a partial quote inside reported
speech is stored twice on purpose: as the ``partial`` fragment in quotation
marks and inside the ``indirect`` clause that carries it (docs/quotes.md).
Counting rows would count that one attribution twice and inflate "quotes",
voice share and cue-verb counts.  A statement is therefore every direct and
indirect quote, plus each partial quote that does not lie inside a direct or
indirect quote of the same speaker in the same article.

The definition is a SQL condition rather than a stored column so that it holds
for every framing database, including ones loaded before it existed, and so that
users can paste it into their own queries (docs/methods.md, *Voice share*).
"""

from __future__ import annotations

#: Slack, in characters, at the end of the host clause: the indirect clause stops
#: before trailing punctuation ("…cyberattacks, right?") that the partial quote keeps.
#: The same slack the quotes stage uses when a partial inherits its clause's speaker.
HOST_END_SLACK = 2


def is_statement(alias: str = "q") -> str:
    """SQL condition, true when the quotes row ``alias`` is a statement.

    ``alias`` must name a row of the ``quotes`` table in the enclosing query.  The
    lookup uses the ``quotes(article_id, start)`` index and only runs for partial
    quotes.
    """
    h = f"{alias}_host"
    return (
        f"({alias}.kind IS NOT 'partial' OR NOT EXISTS ("
        f"SELECT 1 FROM quotes {h} WHERE {h}.article_id = {alias}.article_id"
        f" AND {h}.kind IN ('direct', 'indirect') AND {h}.speaker_id IS {alias}.speaker_id"
        f" AND {h}.start <= {alias}.start AND {alias}.\"end\" <= {h}.\"end\" + {HOST_END_SLACK}))"
    )
