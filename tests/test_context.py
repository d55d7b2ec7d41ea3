"""context.Context parameters: made by each call, with timeout=, a
usegolib.Context that cancels from any thread, Ctrl-C and asyncio
cancellation reaching Go (tests/fixtures/contexts)."""

from __future__ import annotations

import asyncio
import gc
import inspect
import os
import subprocess
import sys
import textwrap
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

import usegolib
from usegolib import Context, ContextCanceledError, DeadlineExceededError
from usegolib.artifact import LOCAL_VERSION, artifact_dir, host_platform
from usegolib.stubs import STUBS

from .conftest import run_python

LONG = timedelta(seconds=10)


def wait_until_idle(ctx, seconds=5.0):
    """Go's Spin and Burn calls have all returned."""
    end = time.monotonic() + seconds
    while ctx.Running() and time.monotonic() < end:
        time.sleep(0.01)
    return ctx.Running()


def test_the_context_is_not_a_python_parameter(ctx):
    assert ctx.Add(1, 2) == 3
    assert ctx.Add(a=1, b=2, timeout=1) == 3
    assert ctx.Sum(1, 2, 3, timeout=1) == 6
    sig = inspect.signature(ctx.Wait)
    assert list(sig.parameters) == ["timeout_", "timeout", "context"]  # Go's timeout is renamed
    assert sig.parameters["timeout"].kind is inspect.Parameter.KEYWORD_ONLY
    assert ctx.Wait(timeout_=timedelta(milliseconds=1)) is True
    assert "a context.Context other than the first parameter" in ctx._unavailable["Late"]


def test_timeout_is_the_go_deadline(ctx):
    assert ctx.Left() == -1
    assert 4.5 < ctx.Left(timeout=5) <= 5
    assert 1.5 < ctx.Left(timeout=5, context=Context(timeout=2)) <= 2
    start = time.monotonic()
    with pytest.raises(DeadlineExceededError, match="spin stopped: context deadline exceeded") as caught:
        ctx.Spin(LONG, timeout=0.2)
    assert 0.15 < time.monotonic() - start < 2
    assert isinstance(caught.value, TimeoutError) and isinstance(caught.value, usegolib.GoError)
    with pytest.raises(DeadlineExceededError):
        ctx.Err(timeout=0)


def test_timeout_is_checked(ctx):
    with pytest.raises(ValueError, match="NaN"):
        ctx.Add(1, 2, timeout=float("nan"))
    with pytest.raises(TypeError, match=r"usegolib\.Context"):
        ctx.Add(1, 2, context="soon")


def test_cancelling_a_context_from_another_thread_stops_the_call(ctx):
    context = Context()
    threading.Timer(0.2, context.cancel).start()
    start = time.monotonic()
    with pytest.raises(ContextCanceledError, match="context canceled"):
        ctx.Burn(context=context)  # a busy loop that checks its context
    assert time.monotonic() - start < 2
    # Later calls with a cancelled context start cancelled.
    with pytest.raises(ContextCanceledError):
        ctx.Err(context=context)
    assert context.cancelled


def test_a_context_cancels_every_call_made_with_it(ctx):
    context = Context()
    errors = []

    def spin():
        try:
            ctx.Spin(LONG, context=context)
        except ContextCanceledError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=spin) for _ in range(4)]
    for t in threads:
        t.start()
    while ctx.Running() < 4:
        time.sleep(0.01)
    context.cancel()
    for t in threads:
        t.join(5)
    assert len(errors) == 4


def test_a_context_cancelled_before_its_first_use_starts_calls_cancelled(contexts_root):
    done = run_python(
        f"""
        import usegolib
        context = usegolib.Context()
        context.cancel()  # no library knows it yet
        h = usegolib.import_("example.com/contexts", artifact_dir={str(contexts_root)!r})
        try:
            h.Err(context=context)
        except usegolib.ContextCanceledError as exc:
            print("cancelled:", exc)
        """
    )
    assert done.stdout.strip() == "cancelled: context canceled", done.stderr


def test_methods_and_the_typed_view_take_contexts_too(ctx):
    worker = ctx.NewWorker("w", timeout=1)
    assert worker.Run({"name": "a", "steps": 2}, timeout=5) == "w ran a"
    with pytest.raises(DeadlineExceededError):
        worker.Run({"name": "b", "steps": 100000}, timeout=0.05)
    typed = ctx.typed()
    job = typed.Job(name="c", steps=1)
    assert typed.NewWorker("t").Run(job, context=Context()) == "t ran c"
    with pytest.raises(DeadlineExceededError):
        typed.NewWorker("t").Run(typed.Job(name="d", steps=100000), timeout=0.05)
    assert worker.Done() == 1


def test_go_forgets_contexts_once_python_drops_them(ctx):
    for _ in range(100):
        context = Context()
        ctx.Add(1, 2, context=context)
        context.cancel()
    del context
    gc.collect()
    assert ctx._library.context_count() == 0


def interrupted(contexts_root, waiting: str, after: str) -> str:
    """Run `waiting` (a line calling Go through h) in the main thread of a
    new interpreter, press Ctrl-C (SIGINT) 0.3 s later, then run `after`
    (a line; settle() waits for Go's Spin calls to end); check that
    KeyboardInterrupt came within 0.5 s and return the output of `after`."""
    done = run_python(
        f"""
        import os, signal, threading, time
        from datetime import timedelta
        # Ctrl-C as in a terminal, even when the tests run as a background
        # job, whose children start with SIGINT ignored.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        import usegolib
        h = usegolib.import_("example.com/contexts", artifact_dir={str(contexts_root)!r})
        sent = []
        def interrupt():
            sent.append(time.monotonic())
            os.kill(os.getpid(), signal.SIGINT)
        def settle():
            while h.Running():
                time.sleep(0.01)
        threading.Timer(0.3, interrupt).start()
        try:
            {waiting}
        except KeyboardInterrupt:
            print("interrupted after", round(time.monotonic() - sent[0], 3))
        {after}
        """
    )
    first, _, rest = done.stdout.partition("\n")
    assert first.startswith("interrupted after"), done.stdout + done.stderr
    assert float(first.split()[-1]) <= 0.5
    return rest.strip()


def test_ctrl_c_cancels_the_running_call_promptly(contexts_root):
    after = "settle(); print('usable', h.Add(1, 2), h.Running())"
    assert interrupted(contexts_root, "h.Spin(timedelta(seconds=10))", after) == "usable 3 0"


def test_asyncio_runs_go_calls_without_blocking_the_loop(ctx):
    async def main():
        ticks = 0

        async def tick():
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        ticker = asyncio.create_task(tick())
        waited = await ctx.aio.Spin(timedelta(milliseconds=300))
        added = await ctx.aio.Add(1, 2)
        worker = await ctx.aio.NewWorker("w")
        ran = await worker.aio.Run({"name": "x", "steps": 1})
        ticker.cancel()
        return waited, added, ran, ticks

    waited, added, ran, ticks = asyncio.run(main())
    assert waited >= 300 and added == 3 and ran == "w ran x"
    assert ticks >= 10  # the loop kept running while Go waited


def test_cancelling_the_task_cancels_the_go_context(ctx):
    async def main():
        start = time.monotonic()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(ctx.aio.Spin(LONG), 0.2)
        return time.monotonic() - start

    assert asyncio.run(main()) < 1
    assert wait_until_idle(ctx, 1) == 0  # Go's Spin returned: its context was cancelled


def test_aio_offers_only_calls(ctx):
    with pytest.raises(TypeError, match="only calls"):
        ctx.aio.vars  # noqa: B018
    assert "Spin" in dir(ctx.aio)


def test_stubs_offer_timeout_and_context_to_mypy(contexts_root, tmp_path):
    stubs = Path(artifact_dir(contexts_root, "example.com/contexts", LOCAL_VERSION, host_platform())) / STUBS
    script = tmp_path / "use.py"
    script.write_text(
        textwrap.dedent(
            """
            from datetime import timedelta
            import usegolib
            from go.example_com.contexts import Add, Count, Pipe, Sum, Wait, aio

            n: int = Add(1, 2, timeout=1.5) + Sum(1, 2, 3, context=usegolib.Context()) + sum(Count(3))
            text, more = Pipe(1).Recv(timeout=1)
            kept: tuple[str, bool] = (text, more)
            ok: bool = Wait(timedelta(seconds=1), timeout=2)
            view: usegolib.AsyncView = aio
            Add(1, 2, timeout="soon")
            """
        )
    )
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(script)],
        capture_output=True, text=True, check=False, cwd=tmp_path, env={**os.environ, "MYPYPATH": str(stubs)},
    )  # fmt: skip
    assert 'Argument "timeout" to "Add" has incompatible type "str"' in done.stdout
    assert done.stdout.count("error:") == 1, done.stdout


def test_ctrl_c_during_a_call_without_context_arrives_when_it_returns(contexts_root):
    """Python's handler runs once Go returns; Go's signal handling leaves
    Python's in place, so the next Ctrl-C works as well."""
    done = run_python(
        f"""
        import os, signal, threading, time
        from datetime import timedelta
        signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal (see interrupted())
        import usegolib
        h = usegolib.import_("example.com/contexts", artifact_dir={str(contexts_root)!r})
        threading.Timer(0.2, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
        start = time.monotonic()
        try:
            h.Nap(timedelta(seconds=1))
            print("no interrupt")
        except KeyboardInterrupt:
            print("interrupted after the call", time.monotonic() - start >= 1.0)
        print(signal.getsignal(signal.SIGINT) is signal.default_int_handler, h.Add(1, 2))
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)
        except KeyboardInterrupt:
            print("again")
        """
    )
    assert done.stdout.splitlines() == ["interrupted after the call True", "True 3", "again"], done.stderr
