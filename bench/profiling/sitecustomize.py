"""Imported at start-up by a python whose PYTHONPATH holds this directory (``bench/soak.py
--profile``): a sampling CPU profiler. Every 1 ms of CPU the process uses (ITIMER_PROF),
the main thread's stack (the bot's event loop) is recorded; at a normal exit the stacks go
to $DIPLOFACTS_PROFILE_OUT, one ``frame;frame;... count`` line each (the "collapsed" format
of flame graphs; bench/profile_report.py sums them up).

Sampling, not cProfile: cProfile's cost per call (more so with a CPU-time clock) inflates
code made of many tiny calls, such as urlencode's per-byte loop, fifty-fold."""

import os

if os.environ.get("DIPLOFACTS_PROFILE_OUT"):
    import atexit
    import collections
    import signal

    _stacks: collections.Counter = collections.Counter()
    _INTERVAL = 0.001

    def _sample(signum, frame) -> None:
        names = []
        while frame is not None:
            code = frame.f_code
            names.append(f"{code.co_filename}:{code.co_name}")
            frame = frame.f_back
        _stacks[";".join(reversed(names))] += 1

    def _write() -> None:
        signal.setitimer(signal.ITIMER_PROF, 0)
        with open(os.environ["DIPLOFACTS_PROFILE_OUT"], "w", encoding="utf-8") as out:
            for stack, count in _stacks.most_common():
                out.write(f"{stack} {count}\n")

    signal.signal(signal.SIGPROF, _sample)
    signal.setitimer(signal.ITIMER_PROF, _INTERVAL, _INTERVAL)
    atexit.register(_write)
