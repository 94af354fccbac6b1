"""SQL statements a newcomer's join costs through the whole pipeline (every feature that reacts to a join),
counted like a check-in's (#18): the newcomer row written by the tasks feature is not read again when the
nickname task is checked at the join."""

from __future__ import annotations

from tests.storage.test_checkin_statements import counted
from tests.support import SimFactory

RULES = """
[defaults.tasks]
enabled = true
"""


async def test_the_newcomer_row_is_read_once_at_a_join(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES)
    sim.add_user("n", "上海-产品-小新")
    with counted(sim) as statements:
        await sim.join("n")
    by_member = "FROM newcomers \nWHERE newcomers.group_key = ? AND newcomers.user_id = ?"
    reads = [s for s in statements if s.startswith("SELECT newcomers.") and by_member in s]
    assert len(reads) == 2, "\n".join(statements)  # one before the insert, one after (race-safe create)
    assert any(s.startswith("INSERT INTO newcomer_tasks") for s in statements)  # the nickname task, done
