"""Imported at start-up by a python whose PYTHONPATH holds this directory (``bench/soak.py
--profile``): a sampling CPU profiler. At every tick of the process's CPU-time timer
(ITIMER_PROF: 1 ms asked, which the kernel rounds up to its own tick, 4 ms here) the main
thread's stack (the bot's event loop) is recorded; at a normal exit the stacks go
to $DIPLOFACTS_PROFILE_OUT, one ``frame;frame;... count`` line each (the "collapsed" format
of flame graphs; bench/profile_report.py sums them up), then ``# gc`` lines: the garbage
collector's runs and CPU time per generation (its time also lands in the samples, on
whatever allocation set it off).

Sampling, not cProfile: cProfile's cost per call (more so with a CPU-time clock) inflates
code made of many tiny calls, such as urlencode's per-byte loop, fifty-fold."""

import os

if os.environ.get("DIPLOFACTS_PROFILE_OUT"):
    import atexit
    import collections
    import gc
    import signal
    import time

    _stacks: collections.Counter = collections.Counter()
    _INTERVAL = 0.001

    def _sample(signum, frame) -> None:
        names = []
        while frame is not None:
            code = frame.f_code
            names.append(f"{code.co_filename}:{code.co_name}")
            frame = frame.f_back
        _stacks[";".join(reversed(names))] += 1

    _gc_runs: collections.Counter = collections.Counter()
    _gc_seconds: collections.Counter = collections.Counter()
    _gc_started = [0.0]

    def _gc_timer(phase: str, info: dict) -> None:
        if phase == "start":
            _gc_started[0] = time.thread_time()
        else:
            _gc_runs[info["generation"]] += 1
            _gc_seconds[info["generation"]] += time.thread_time() - _gc_started[0]

    def _write() -> None:
        signal.setitimer(signal.ITIMER_PROF, 0)
        with open(os.environ["DIPLOFACTS_PROFILE_OUT"], "w", encoding="utf-8") as out:
            for stack, count in _stacks.most_common():
                out.write(f"{stack} {count}\n")
            for generation in sorted(_gc_runs):
                out.write(
                    f"# gc generation {generation}: {_gc_runs[generation]} runs, "
                    f"{_gc_seconds[generation] * 1000:.0f} ms\n"
                )

    gc.callbacks.append(_gc_timer)
    signal.signal(signal.SIGPROF, _sample)
    signal.setitimer(signal.ITIMER_PROF, _INTERVAL, _INTERVAL)
    atexit.register(_write)
