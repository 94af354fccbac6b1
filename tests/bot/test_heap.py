"""After start-up the heap is frozen out of collections and young collections are rarer."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from bot import heap


@pytest.fixture
def restore_gc() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("restore_gc")
def test_settle_freezes_the_start_up_heap_and_raises_the_thresholds() -> None:
    gc.unfreeze()
    long_lived = [{"n": i} for i in range(1000)]
    heap.settle()
    assert gc.get_freeze_count() >= len(long_lived)
    assert gc.get_threshold() == heap.THRESHOLDS and heap.THRESHOLDS[0] > 700
