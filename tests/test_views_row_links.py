"""views.actor_row_links must build exactly the URLs the per-call Links form builds."""

from __future__ import annotations

import pytest
from datasette.app import Datasette

from datasette_framing import views

IDS = ["person-0835", "a b/c?d=e&f", "ünï~code", "x+y%z", "#frag"]
SCOPES = [
    {"outlet": None, "since": None, "until": None},
    {"outlet": None, "since": "2022-03-05", "until": "2022-06-20"},
    {"outlet": ["TASS", "BBC & Co", "(no outlet)"], "since": None, "until": "2022-06"},
    {"outlet": ["Le Monde"], "since": "2022", "until": None},
]


@pytest.mark.parametrize("base_url", ["/", "/prefix/"])
@pytest.mark.parametrize("scope", SCOPES)
def test_actor_row_links_equal_links_calls(base_url: str, scope: dict) -> None:
    ds = Datasette(memory=True, settings={"base_url": base_url})
    links = views.Links(ds, "_memory")
    rows = [{"actor_id": actor_id} for actor_id in IDS]
    got = views.actor_row_links(rows, links, scope)
    assert len(got) == len(rows)
    for r, u in zip(rows, got):
        a = r["actor_id"]
        assert u == {
            "page": links.actor(a, **scope),
            "mentions": links.sentences(actor=a, **scope),
            "quotes": links.sentences(speaker=a, **scope),
            "negative": links.sentences(actor=a, polarity=-1, **scope),
            "neutral": links.sentences(actor=a, polarity=0, **scope),
            "positive": links.sentences(actor=a, polarity=1, **scope),
        }
