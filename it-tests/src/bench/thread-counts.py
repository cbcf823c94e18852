#!/usr/bin/env python3
"""CPU time and context switches of one process's threads over a window, by thread group (profile.sh EVENT=threads).

Usage: thread-counts.py PID SECONDS > FILE

Reads /proc twice, SECONDS apart, and prints one line per thread group: its name, the CPU clock ticks
(user + system) and the voluntary and involuntary context switches of its threads in the window. A group is the
kernel's thread name (15 characters at most) without its trailing number, so "certgate-backend-io-1" and "-2"
count as one. Only /proc is read: nothing is attached to the process, and the sampler itself costs a few
milliseconds of CPU. Voluntary switches are a thread going to sleep (waiting for work or for a lock); each is
paid for again when another thread wakes it, so they count the hand-offs between threads. Involuntary ones are a
runnable thread put aside for another.
"""
import collections
import os
import re
import sys
import time

TRAILING_NUMBER = re.compile(r"[-_#]?\d+$")


def snapshot(pid):
    groups = collections.defaultdict(lambda: [0, 0, 0])
    for tid in os.listdir(f"/proc/{pid}/task"):
        base = f"/proc/{pid}/task/{tid}"
        try:
            name = open(f"{base}/comm").read().strip().replace(" ", "_")
            # Fields after the name, which may itself hold spaces and parentheses: utime and stime are 14 and 15.
            fields = open(f"{base}/stat").read().rsplit(")", 1)[1].split()
            status = open(f"{base}/status").read()
        except OSError:
            continue  # the thread ended meanwhile
        counts = groups[TRAILING_NUMBER.sub("", name) or name]
        counts[0] += int(fields[11]) + int(fields[12])
        counts[1] += int(re.search(r"^voluntary_ctxt_switches:\s+(\d+)", status, re.M).group(1))
        counts[2] += int(re.search(r"^nonvoluntary_ctxt_switches:\s+(\d+)", status, re.M).group(1))
    return groups


def main():
    pid, seconds = sys.argv[1], float(sys.argv[2])
    before = snapshot(pid)
    time.sleep(seconds)
    after = snapshot(pid)
    print(f"# clock-ticks-per-second {os.sysconf('SC_CLK_TCK')}")
    for group, counts in after.items():
        # A thread started in the window counts from zero; one that ended in it takes its counts with it (a pool
        # thread that retires: rare in a loaded window, and seen as a group's figures falling).
        start = before.get(group, [0, 0, 0])
        delta = [counts[i] - start[i] for i in range(3)]
        if any(delta):
            print(group, *delta)


if __name__ == "__main__":
    main()
