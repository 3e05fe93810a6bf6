"""views.may_view must answer as check_visibility's first value for every actor and rule."""

from __future__ import annotations

import pytest
from datasette.app import Datasette

from datasette_framing import views

CONFIG = {
    "databases": {
        "_memory": {
            "allow": {"id": ["alice", "bob"]},
            "tables": {"secret": {"allow": {"id": "alice"}}, "open": {"allow": True}},
        }
    }
}


@pytest.mark.asyncio
async def test_visible_matches_check_visibility() -> None:
    ds = Datasette(memory=True, metadata=CONFIG)
    await ds.invoke_startup()
    for actor in (None, {"id": "alice"}, {"id": "bob"}, {"id": "carol"}):
        for table in ("secret", "open", "other"):
            for permissions in (
                [("view-table", ("_memory", table)), ("view-database", "_memory"), "view-instance"],
                [("view-database", "_memory"), "view-instance"],
                ["view-instance"],
            ):
                expected, _ = await ds.check_visibility(actor, permissions=permissions)
                assert await views.may_view(ds, actor, permissions) is expected, (actor, table, permissions)
    # The rules above do tell actors apart, so the comparison could fail.
    t = [("view-table", ("_memory", "secret")), ("view-database", "_memory"), "view-instance"]
    assert await views.may_view(ds, {"id": "alice"}, t) and not await views.may_view(ds, {"id": "bob"}, t)
    assert not await views.may_view(ds, None, [("view-database", "_memory"), "view-instance"])
