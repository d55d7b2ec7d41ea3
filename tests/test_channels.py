"""Channels as handles: iterating receives, Send and Close where the
direction allows, waiting that can be given up without losing a value,
and the context of the call that made a channel living as long as Python
holds it (tests/fixtures/contexts/chans.go)."""

from __future__ import annotations

import gc
import threading
import time

import pytest

import usegolib
from usegolib import DeadlineExceededError, GoChannel

from .test_context import interrupted


def test_iterating_a_channel_receives_until_it_is_closed(ctx):
    ch = ctx.Count(5)
    assert isinstance(ch, GoChannel)
    assert list(ch) == [0, 1, 2, 3, 4]
    assert ch.Recv() == (0, False)  # closed and drained, as in Go
    assert ctx.Count(3).go_type == "<-chan int"


def test_channels_go_back_to_go_with_their_directions(ctx):
    pipe = ctx.Pipe(3)  # chan string
    pipe.Send("a")
    pipe.Send(value="b")
    pipe.Close()
    assert ctx.Drain(pipe) == ["a", "b"]  # passes where Go wants <-chan string
    inbox = ctx.Inbox()  # chan<- int
    assert not hasattr(inbox, "Recv") and hasattr(inbox, "Send")
    assert not hasattr(ctx.Count(0), "Send")
    with pytest.raises(usegolib.errors.ArgumentTypeError, match=r"argument ch: expected a handle of Go type <-chan"):
        ctx.Drain(ctx.Count(1))  # a <-chan int is not a <-chan string
    with pytest.raises(usegolib.GoPanicError, match="close of closed channel"):
        pipe.Close()


def test_named_channel_types_and_the_typed_view(ctx):
    events = ctx.NewEvents(2)
    assert type(events).__name__ == "Events" and isinstance(events, GoChannel)
    events.Send({"name": "a", "steps": 1})
    assert events.Recv() == ({"name": "a", "steps": 1}, True)
    typed = ctx.typed()
    jobs = typed.NewEvents(1)
    jobs.Send(typed.Job(name="b", steps=2))
    assert jobs.Recv() == (typed.Job(name="b", steps=2), True)
    stream = typed.Stream()
    assert next(iter(stream)) == typed.Job(name="job0", steps=0)


def test_waiting_can_be_given_up_without_losing_a_value(ctx):
    silent = ctx.Silent()
    start = time.monotonic()
    with pytest.raises(DeadlineExceededError):
        silent.Recv(timeout=0.1)
    assert time.monotonic() - start < 2
    pipe = ctx.Pipe(1)
    pipe.Send("kept")
    with pytest.raises(DeadlineExceededError):
        pipe.Send("no room", timeout=0.05)
    assert pipe.Recv(timeout=1) == ("kept", True)


def test_dropping_a_channel_ends_the_context_of_the_call_that_made_it(ctx):
    base = ctx.Producers()
    stream = ctx.Stream()  # a goroutine sends until Stream's context ends
    received = []
    for job in stream:
        received.append(job["name"])
        if len(received) == 3:
            break
    assert received == ["job0", "job1", "job2"]
    assert ctx.Producers() == base + 1  # still running while Python holds the channel
    del stream, job
    gc.collect()
    end = time.monotonic() + 5
    while ctx.Producers() > base and time.monotonic() < end:
        time.sleep(0.01)
    assert ctx.Producers() == base


def test_a_channel_is_received_from_by_several_threads(ctx):
    ch = ctx.Count(2000)
    seen: list[int] = []

    def drain():
        seen.extend(ch)

    threads = [threading.Thread(target=drain) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(seen) == list(range(2000))


def test_ctrl_c_stops_waiting_on_a_channel(contexts_root):
    assert interrupted(contexts_root, "list(h.Silent())", "print(list(h.Count(2)))") == "[0, 1]"
