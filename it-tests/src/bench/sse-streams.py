#!/usr/bin/env python3
"""Issue 16, target 3: many concurrent server-sent-event streams through one gateway.

Starts an mTLS back end (asyncio, client certificate required from the bench's test CA) whose
GET /sse answers `text/event-stream` and sends EVENTS events, one every INTERVAL_MS, starts Certgate
as ../shared/bench does (candidates/certgate.sh: fresh home, the client certificate, the CA as an
authority, a root API presenting the certificate), opens STREAMS plain-HTTP callers at once and
checks that every caller receives every event. Reports the gateway's live threads, heap used after a
full GC and RSS, idle and with every stream open, and from those the memory per stream.

Usage (from the project root, after `mvn -B package -DskipTests`):
  STREAMS=2000 EVENTS=20 INTERVAL_MS=1000 CERTGATE_JAVA_OPTS='-Xms512m -Xmx512m' \
    python3 it-tests/src/bench/sse-streams.py
Needs ../shared/bench (certs.sh, candidates/certgate.sh), openssl, curl, a JDK (jcmd).
"""
import asyncio
import os
import resource
import signal
import ssl
import subprocess
import sys
import tempfile
import time

STREAMS = int(os.environ.get("STREAMS", "2000"))
EVENTS = int(os.environ.get("EVENTS", "20"))
INTERVAL_MS = int(os.environ.get("INTERVAL_MS", "1000"))
BACKEND_PORT = int(os.environ.get("BACKEND_PORT", "18543"))
GATEWAY_PORT = int(os.environ.get("CANDIDATE_PORT", "18590"))
BENCH = os.environ.get("BENCH_DIR", os.path.join(os.path.dirname(__file__), "../../../../shared/bench"))
WAR = os.environ.get("CERTGATE_WAR", "module-war/target/certgate.war")
MAX_HEAD = 64 * 1024


async def backend_stream(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"GET /sse"):
                body = b"ok"
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n" + body)
                await writer.drain()
                continue
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                         b"Transfer-Encoding: chunked\r\n\r\n")
            for i in range(EVENTS):
                event = b"id: %d\ndata: event %d of %d\n\n" % (i, i + 1, EVENTS)
                writer.write(b"%x\r\n%s\r\n" % (len(event), event))
                await writer.drain()
                if i + 1 < EVENTS:
                    await asyncio.sleep(INTERVAL_MS / 1000.0)
            writer.write(b"0\r\n\r\n")
            await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, ssl.SSLError):
        pass
    except asyncio.CancelledError:
        pass  # the gateway's idle pooled connections when the run ends: nothing to report
    finally:
        writer.close()


async def caller(index, results):
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", GATEWAY_PORT, limit=MAX_HEAD)
        writer.write(b"GET /sse?caller=%d HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                     b"Connection: close\r\n\r\n" % index)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        received = 0
        data = b""
        while True:
            chunk = await reader.read(65536)
            if not chunk:
                break
            data += chunk
            received = data.count(b"\ndata: event ")
        results[index] = (status, received)
        writer.close()
    except Exception as e:  # counted as a failed stream
        results[index] = (repr(e), 0)


def gateway_figures(pid):
    threads = len(os.listdir("/proc/%d/task" % pid))
    with open("/proc/%d/status" % pid) as f:
        rss_kib = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, check=False)
    info = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True).stdout
    used_kib = None
    for line in info.splitlines():
        line = line.strip()
        if " used " in line and ("heap" in line.split()[0] or line.startswith("garbage-first heap")):
            used_kib = int(line.split(" used ")[1].split("K")[0])
            break
    return threads, used_kib, rss_kib


async def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # one socket per stream
    work = tempfile.mkdtemp(prefix="sse-bench-")
    certs = os.path.join(work, "certs")
    subprocess.run(["bash", os.path.join(BENCH, "certs.sh"), certs], check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=os.path.join(certs, "ca.crt"))
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_cert_chain(os.path.join(certs, "backend.crt"), os.path.join(certs, "backend.key"))
    server = await asyncio.start_server(backend_stream, "127.0.0.1", BACKEND_PORT, ssl=context, backlog=4096,
                                        limit=MAX_HEAD)
    pidfile = os.path.join(work, "gateway.pid")
    environment = dict(os.environ, CANDIDATE_PORT=str(GATEWAY_PORT),
                       BACKEND_URL="https://127.0.0.1:%d" % BACKEND_PORT, CERT_DIR=certs,
                       CLIENT_CERT_PFX=os.path.join(certs, "client-a.pfx"), CLIENT_CERT_PASSWORD="changeit",
                       CLIENT_CERT_SHA1=open(os.path.join(certs, "client-a.sha1")).read().strip(),
                       CA_CERT=os.path.join(certs, "ca.crt"), CANDIDATE_PIDFILE=pidfile,
                       CERTGATE_WAR=os.path.abspath(WAR),
                       CERTGATE_JAVA_OPTS=os.environ.get("CERTGATE_JAVA_OPTS", "-Xms512m -Xmx512m"))
    starter = await asyncio.create_subprocess_exec("bash", os.path.join(BENCH, "candidates/certgate.sh"),
                                                   env=environment, start_new_session=True)
    if await starter.wait() != 0:
        sys.exit("the gateway did not start")
    pid = int(open(pidfile).read().strip())
    try:
        # One stream first: the JIT and the pool warm, and the event count is checked end to end.
        warm = {}
        await caller(-1, warm)
        print("warm-up stream:", warm[-1])
        idle = gateway_figures(pid)
        results = {}
        started = time.monotonic()
        tasks = [asyncio.create_task(caller(i, results)) for i in range(STREAMS)]
        await asyncio.sleep(EVENTS * INTERVAL_MS / 2000.0)  # every stream open, half of its events sent
        busy = gateway_figures(pid)
        await asyncio.gather(*tasks)
        elapsed = time.monotonic() - started
        complete = sum(1 for status, received in results.values() if status == 200 and received == EVENTS)
        events = sum(received for _, received in results.values())
        failures = {}
        for status, received in results.values():
            if status != 200 or received != EVENTS:
                key = "%s/%d events" % (status, received)
                failures[key] = failures.get(key, 0) + 1
        print("streams %d, events each %d every %d ms, heap %s" % (
            STREAMS, EVENTS, INTERVAL_MS, environment["CERTGATE_JAVA_OPTS"]))
        print("complete streams %d of %d, events delivered %d of %d, in %.1f s" % (
            complete, STREAMS, events, STREAMS * EVENTS, elapsed))
        if failures:
            print("incomplete:", failures)
        print("gateway idle: threads %d, heap used after GC %s KiB, RSS %d KiB" % idle)
        print("gateway with %d streams open: threads %d, heap used after GC %s KiB, RSS %d KiB" % ((STREAMS,) + busy))
        if idle[1] is not None and busy[1] is not None:
            print("per stream: heap %.1f KiB, RSS %.1f KiB" % (
                (busy[1] - idle[1]) / STREAMS, (busy[2] - idle[2]) / STREAMS))
    finally:
        try:
            os.killpg(os.getpgid(pid), signal.SIGTERM)
        except ProcessLookupError:
            pass
        server.close()


if __name__ == "__main__":
    asyncio.run(main())
