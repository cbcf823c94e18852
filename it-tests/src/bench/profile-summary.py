#!/usr/bin/env python3
"""CPU per request, part by part, from the collapsed stacks profile.sh wrote.

Usage: profile-summary.py OUT_DIR   (OUT_DIR holds windows.txt, bench.json and the *.collapsed files)

Each sample is 1 ms of CPU (async-profiler's cpu or itimer event at interval=1ms); requests are the row's
req/s times the profiled seconds. User-space time is given to the innermost frame that belongs to a known
component, so the JDK code a component calls (collections, locks, buffers) counts as that component's.
Stacks of the alloc event (EVENT=alloc) hold bytes instead: the heap allocated per request, by the same
components and by allocation site (the allocated type and the three frames that allocated it).
Files of EVENT=threads (*.threads, from thread-counts.py) give per request, by thread group, the CPU and the
voluntary and involuntary context switches (hand-offs between threads, and threads put aside).
"""
import collections
import json
import os
import sys

SAMPLE_US = 1000
# Innermost-first match: the more specific prefixes come first.
COMPONENTS = [
    ("dev/certgate/", "certgate"),
    ("org/eclipse/jetty/util/thread/", "jetty threads"),
    ("org/eclipse/jetty/client/", "jetty client"),
    ("org/eclipse/jetty/", "jetty"),
    ("org/apache/hc/core5/", "httpcore5"),
    ("org/apache/hc/client5/", "httpclient5"),
    ("org/apache/http/", "httpclient4"),
    ("org/mitre/", "smiley servlet"),
    ("sun/security/", "tls"),
    ("com/sun/crypto/", "tls"),
]

# Frames only the JVM's own threads run: the JIT compilers, the garbage collector's workers, the VM thread.
VM_THREAD_FRAMES = ("CompileBroker::", "G1", "GCTaskThread", "ConcurrentGCThread", "WorkerThread::", "VMThread::")


def component(frame):
    for prefix, name in COMPONENTS:
        if frame.startswith(prefix):
            return name
    return None


def owner(frames):
    """The component of the innermost frame that has one, else None."""
    return next((c for c in map(component, reversed(frames)) if c), None)


def stacks(path):
    """Each collapsed stack as (frames, count); count is samples, or bytes for the alloc event."""
    with open(path) as lines:
        for line in lines:
            stack, count = line.rstrip("\n").rsplit(" ", 1)
            yield stack.split(";"), int(count)


def summarise(path, requests):
    total = kernel = futex = 0
    parts = collections.Counter()
    leaves = collections.Counter()
    for frames, count in stacks(path):
        total += count
        if "__x64_sys_futex_[k]" in frames:
            futex += count
        if frames[-1].endswith("_[k]"):
            kernel += count
            continue
        leaves[frames[-1]] += count
        part = owner(frames)
        if part is None:
            is_vm = any(f.startswith(VM_THREAD_FRAMES) for f in frames)
            part = "jvm (gc, jit)" if is_vm else "other"
        parts[part] += count

    def per_request(samples):
        return samples * SAMPLE_US / requests

    return {
        "total": per_request(total), "kernel": per_request(kernel), "user": per_request(total - kernel),
        "futex": per_request(futex),
        "parts": {name: per_request(n) for name, n in parts.most_common()},
        "leaves": [(frame, per_request(n)) for frame, n in leaves.most_common(12)],
    }


def summarise_allocations(path, requests):
    total = 0
    parts = collections.Counter()
    sites = collections.Counter()
    for frames, count in stacks(path):
        total += count
        parts[owner(frames) or "other"] += count
        sites[" < ".join(f.rsplit("/", 1)[-1] for f in reversed(frames[-4:]))] += count
    return {
        "total": total / requests,
        "parts": {name: n / requests for name, n in parts.most_common()},
        "sites": [(site, n / requests) for site, n in sites.most_common(12)],
    }


def print_allocations(peer, path, rps, s):
    print(f"\n{peer} {path}: {rps:.0f} req/s while profiled; heap allocated per request {s['total']:.0f} bytes")
    for name, size in s["parts"].items():
        print(f"  {size:8.0f} B  {name}")
    print("  largest allocation sites:")
    for site, size in s["sites"]:
        print(f"  {size:8.0f} B  {site}")


def summarise_threads(path, requests):
    """Per request, by thread group: CPU in us, voluntary and involuntary context switches; busiest group first."""
    with open(path) as lines:
        us_per_tick = 1e6 / int(next(lines).split()[-1])  # thread-counts.py's first line: clock ticks per second
        groups = [(name, int(ticks), int(voluntary), int(involuntary))
                  for name, ticks, voluntary, involuntary in map(str.split, lines)]
    rows = [(name, ticks * us_per_tick / requests, voluntary / requests, involuntary / requests)
            for name, ticks, voluntary, involuntary in sorted(groups, key=lambda g: -g[1])]
    total = ("all threads", *(sum(row[i] for row in rows) for i in (1, 2, 3)))
    return rows + [total]


def print_threads(peer, path, rps, rows):
    print(f"\n{peer} {path}: {rps:.0f} req/s; per request, by thread group:"
          f" CPU us, voluntary and involuntary context switches")
    for name, us, voluntary, involuntary in rows:
        if us >= 0.05 or voluntary >= 0.005:
            print(f"  {us:7.1f} us  {voluntary:5.2f}  {involuntary:5.2f}  {name}")


def print_cpu(peer, path, rps, s):
    print(f"\n{peer} {path}: {rps:.0f} req/s while profiled; CPU per request {s['total']:.1f} us"
          f" = kernel {s['kernel']:.1f} + user {s['user']:.1f}; in futex (thread hand-offs) {s['futex']:.1f}")
    for name, us in s["parts"].items():
        print(f"  {us:7.1f} us  {name}")
    print("  busiest user-space frames:")
    for frame, us in s["leaves"]:
        print(f"  {us:7.2f} us  {frame}")


# How what profile.sh recorded is read and shown, by its EVENT; any other event (cpu, itimer) samples CPU time.
EVENTS = {
    "alloc": (summarise_allocations, print_allocations),
    "threads": (summarise_threads, print_threads),
}
CPU_SAMPLES = (summarise, print_cpu)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "it-tests/target/profile"
    rows = {(r["peer"], r["path"]): r for r in json.load(open(os.path.join(out, "bench.json")))["results"]}
    windows = [line.split() for line in open(os.path.join(out, "windows.txt")) if line.strip()]
    for peer, path, seconds, file, *event in windows:
        row = rows.get((peer, path))
        recorded = os.path.join(out, file)
        if not row or not row.get("rps") or not os.path.exists(recorded):
            print(f"{peer} {path}: no measured row or nothing recorded")
            continue
        summary, show = EVENTS.get(event[0] if event else "cpu", CPU_SAMPLES)  # older windows.txt name none
        show(peer, path, row["rps"], summary(recorded, row["rps"] * float(seconds)))


if __name__ == "__main__":
    main()
