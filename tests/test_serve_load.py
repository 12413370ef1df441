"""Queries take turns: canned ones first, ad-hoc ones on at most a share of the slots."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from test_serve_attacks import AGGREGATE, Serving

from policygraph.serve.pool import Slots


def soon(seconds: float = 0.2) -> float:
    return time.monotonic() + seconds


def wait_until(check, within: float = 10) -> None:
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, "never happened"
        time.sleep(0.01)


def test_adhoc_queries_hold_at_most_their_share_and_canned_ones_the_rest():
    slots = Slots(4)
    assert slots.adhoc == 2
    assert slots.acquire(False, soon()) and slots.acquire(False, soon())
    assert not slots.acquire(False, soon())  # the ad-hoc share is taken
    assert slots.acquire(True, soon()) and slots.acquire(True, soon())
    assert not slots.acquire(True, soon())  # every slot is taken
    slots.release(False)
    assert slots.acquire(True, soon())  # the slot an ad-hoc query left goes to a canned one
    assert not slots.acquire(False, soon())


def test_a_waiting_canned_query_goes_before_an_earlier_adhoc_one():
    slots = Slots(2, adhoc=2)
    assert slots.acquire(True, soon()) and slots.acquire(True, soon())
    order: list[str] = []

    def wait(canned: bool) -> None:
        if slots.acquire(canned, soon(30)):
            order.append("canned" if canned else "adhoc")

    adhoc = threading.Thread(target=wait, args=(False,))
    adhoc.start()
    wait_until(lambda: slots.busy()["adhoc waiting"] == 1)
    canned = threading.Thread(target=wait, args=(True,))
    canned.start()
    wait_until(lambda: slots.busy()["canned waiting"] == 1)
    slots.release(True)
    canned.join(30)
    assert order == ["canned"]  # the ad-hoc query still waits: the canned one came first
    slots.release(True)
    adhoc.join(30)
    assert order == ["canned", "adhoc"]


def test_a_query_that_cannot_start_in_time_or_whose_client_left_gives_up():
    slots = Slots(1)
    assert slots.acquire(True, soon())
    assert not slots.acquire(True, soon(0.05))
    assert not slots.acquire(True, soon(30), gone=lambda: True)
    assert slots.busy() == {"canned running": 1, "adhoc running": 0,
                            "canned waiting": 0, "adhoc waiting": 0}  # fmt: skip
    with pytest.raises(ValueError):
        Slots(0)


def test_endless_adhoc_queries_do_not_starve_canned_ones(built, tmp_path):
    """Endless ad-hoc clients, each asking again as soon as it is answered, against two slots:
    queued in arrival order, canned queries would wait behind them past the timeout and get
    503 "busy". Canned queries go first and ad-hoc ones hold one slot at most, so every canned
    query is answered while the endless ones are stopped at the timeout or turned away."""
    server = Serving(built.files["store"], tmp_path, "--timeout", "2", "--max-running", "2")
    stop, ended = threading.Event(), []

    def endless() -> None:
        while not stop.is_set():
            ended.append(server.query(AGGREGATE))

    try:
        with ThreadPoolExecutor(4) as pool:
            clients = [pool.submit(endless) for _ in range(4)]
            answers = []
            try:
                while len(ended) < 8:  # two rounds of the timeout at least
                    answers.append(server.request("GET", "/canned/class-counts"))
                    assert len(answers) < 10_000
            finally:
                stop.set()
                [c.result() for c in clients]
        assert {status for status, _ in answers} == {200}, answers[:3]
        assert all(b"Policy" in body for _, body in answers)
        # each endless query was stopped at the timeout, or turned away: busy
        assert {status for status, _ in ended} == {503}
        assert any(b"busy" in body for _, body in ended), ended
    finally:
        assert server.stop() == ""
