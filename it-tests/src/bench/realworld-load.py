#!/usr/bin/env python3
"""Issue 17: how Certgate loads the real APIM configuration kept in ../shared/realworld.

For each folder that can be built from it, makes a fresh Certgate home, starts the WAR on it
(`java -jar <war> --port P --bind 127.0.0.1 --home H`), and reports from GET /admin/status the
APIs served, unavailable and not current (revisions); the load's errors grouped into reasons, with
how many unavailable APIs list each one (an error in a fragment is listed under every API that
includes it), and the most frequent raw
messages; and the load time: from process start to /admin/status answering, and the configuration
load itself (certgate.config.load from /admin/metrics, and the log's "loaded in N ms" if it says one).

The folders, built in a temporary directory at run time (the data is never copied into the project):
  apiops-sample-artifacts  the APIOps extractor's sample, copied as it is into the home's config/;
  policy-snippets          an APIOps-shaped folder made of APIM's policy snippets: a document whose root
                           element is <fragment> becomes `policy fragments/<slug>/policy.xml` (with a
                           policyFragmentInformation.json), every other one the policy.xml of an API
                           `apis/<slug>/` of its own path; documents are copied byte for byte.

Usage (from the project root, after `mvn -B package -DskipTests`):
  python3 it-tests/src/bench/realworld-load.py
Environment (relative paths from the checkout): CERTGATE_WAR (default module-war/target/certgate.war),
REALWORLD_DIR (default ../shared/realworld), CERTGATE_JAVA_OPTS (default none), READY_TIMEOUT (s, 120),
TOP_MESSAGES (10). Needs a JDK's java on the PATH (or JAVA=...). Writes Markdown to stdout.
"""
import base64
import collections
import contextlib
import http.client
import io
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

CHECKOUT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../.."))
WAR = os.path.join(CHECKOUT, os.environ.get("CERTGATE_WAR", "module-war/target/certgate.war"))
REALWORLD = os.path.normpath(os.path.join(CHECKOUT, os.environ.get("REALWORLD_DIR", "../shared/realworld")))
JAVA = os.environ.get("JAVA", "java")
JAVA_OPTS = shlex.split(os.environ.get("CERTGATE_JAVA_OPTS", ""))
READY_TIMEOUT = float(os.environ.get("READY_TIMEOUT", "120"))
TOP_MESSAGES = int(os.environ.get("TOP_MESSAGES", "10"))
BACKEND_URL = "https://backend.example.invalid"

# What may stand before a document's root element: a byte-order mark, the XML declaration, comments.
PROLOG = re.compile(r"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.S)
ROOT = re.compile(r"<([A-Za-z_][\w.:-]*)")


# ---------------------------------------------------------------- folders

def build_sample(config):
    shutil.copytree(os.path.join(REALWORLD, "apiops-sample-artifacts"), config)


def build_snippets(config):
    """APIM's policy snippets as an APIOps folder; returns how many APIs and fragments it holds."""
    examples = os.path.join(REALWORLD, "policy-snippets", "examples")
    documents = []
    for folder, _, files in os.walk(examples):
        documents += [os.path.join(folder, name) for name in files if name.endswith(".xml")]
    used = set()
    apis = fragments = 0
    for document in sorted(documents):
        with open(document, "rb") as f:
            data = f.read()
        name = os.path.basename(document)
        stem = name[:-len(".policy.xml")] if name.endswith(".policy.xml") else name[:-len(".xml")]
        # The slug of a fragment is its file name, the id the snippets' <include-fragment> use.
        slug = unique(slugify(stem), used)
        source = os.path.relpath(document, examples)
        if root_element(data) == "fragment":
            folder = os.path.join(config, "policy fragments", slug)
            information = {"properties": {"description": "APIM policy snippet " + source}}
            information_file = "policyFragmentInformation.json"
            fragments += 1
        else:
            folder = os.path.join(config, "apis", slug)
            information = {"properties": {"displayName": stem, "path": slug, "serviceUrl": BACKEND_URL,
                                          "protocols": ["https"]}}
            information_file = "apiInformation.json"
            apis += 1
        os.makedirs(folder)
        with open(os.path.join(folder, "policy.xml"), "wb") as f:
            f.write(data)
        with open(os.path.join(folder, information_file), "w", encoding="utf-8") as f:
            json.dump(information, f, indent=2)
    return apis, fragments


def root_element(data):
    """The root element's name, read the way a person would: APIM's raw XML need not be well-formed."""
    text = data.decode("utf-8", "replace").lstrip("\ufeff")
    match = ROOT.match(text, PROLOG.match(text).end())
    return match.group(1) if match else None


def slugify(stem):
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug[:76].rstrip("-") or "document"  # ids are at most 80 characters: room for a "-N" suffix


def unique(slug, used):
    candidate, n = slug, 1
    while candidate in used:
        n += 1
        candidate = "%s-%d" % (slug, n)
    used.add(candidate)
    return candidate


FOLDERS = [
    ("apiops-sample-artifacts", build_sample),
    ("policy-snippets", build_snippets),
]


# ---------------------------------------------------------------- the gateway

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gateway:
    """One WAR on one home; the admin password is made here and never printed."""

    def __init__(self, home):
        self.home = home
        self.port = free_port()
        self.password = secrets.token_urlsafe(24)
        self.log_path = os.path.join(home, "gateway.log")
        self.process = None

    def start(self):
        environment = dict(os.environ, CERTGATE_ADMIN_PASSWORD=self.password)
        environment.pop("CERTGATE_HOME", None)
        with open(self.log_path, "wb") as log:  # the child keeps its own descriptor
            self.started = time.monotonic()
            self.process = subprocess.Popen(
                [JAVA, *JAVA_OPTS, "-jar", WAR, "--port", str(self.port), "--bind", "127.0.0.1", "--home", self.home],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=environment,
                start_new_session=True)

    def get(self, path):
        token = base64.b64encode(("admin:" + self.password).encode()).decode()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path, headers={"Authorization": "Basic " + token})
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def wait_ready(self):
        """Seconds from process start to the first 200 of /admin/status; None if it never answered."""
        file_password = os.path.join(self.home, "secrets", "admin.password")
        while time.monotonic() - self.started < READY_TIMEOUT:
            if self.process.poll() is not None:
                return None
            try:
                code, _ = self.get("/admin/status")
            except OSError:
                code = None
            if code == 200:
                return time.monotonic() - self.started
            if code == 401 and os.path.isfile(file_password):  # the override was not taken: use the file
                with open(file_password) as f:
                    self.password = f.read().strip()
            time.sleep(0.05)
        return None

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass

    def log_text(self):
        if not os.path.isfile(self.log_path):
            return ""
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()


def excerpt(log):
    """The log's first exception with its first frames, and its last line: why the gateway did not answer."""
    lines = log.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"[\w.$]+(Exception|Error)\b", line):
            frames = [frame for frame in lines[i + 1:i + 40] if frame.lstrip().startswith("at ")]
            return [line] + frames[:8] + ["…", lines[-1]]
    return lines[-15:]


def config_loads(metrics):
    """(count, seconds in all) of certgate.config.load from a Prometheus scrape."""
    values = {}
    for line in metrics.splitlines():
        match = re.match(r"certgate_config_load_seconds_(count|sum)(?:\{[^}]*\})? (\S+)", line)
        if match:
            values[match.group(1)] = float(match.group(2))
    return int(values.get("count", 0)), values.get("sum")


def measure(name, build):
    work = tempfile.mkdtemp(prefix="certgate-realworld-")
    home = os.path.join(work, "home")
    os.makedirs(home)
    gateway = Gateway(home)
    result = {"name": name}
    try:
        result["built"] = build(os.path.join(home, "config"))
        gateway.start()
        result["ready"] = gateway.wait_ready()
        if result["ready"] is None:
            result["failure"] = ("the gateway exited with %s" % gateway.process.returncode
                                 if gateway.process.poll() is not None else "no answer within %.0f s" % READY_TIMEOUT)
        else:
            result["loads"], result["load_seconds"] = first_load(gateway)
            code, body = gateway.get("/admin/status")
            if code != 200:
                result["failure"] = "GET /admin/status answered %d" % code
            else:
                result["status"] = json.loads(body)
    finally:
        gateway.stop()
        log = gateway.log_text()
        shutil.rmtree(work, ignore_errors=True)
    logged = re.findall(r"Configuration generation \d+ loaded in (\d+) ms", log)
    result["logged_ms"] = int(logged[0]) if logged else None
    result["stack_lines"] = len(re.findall(r"^\s+at \S+\(", log, re.M))
    result["log_excerpt"] = excerpt(log) if "failure" in result else []
    return result, gateway.password


def first_load(gateway):
    """(loads, seconds) once the first load is counted: a load is counted when done, the metrics soon after."""
    deadline = time.monotonic() + 10
    while True:
        code, metrics = gateway.get("/admin/metrics")
        count, seconds = config_loads(metrics) if code == 200 else (0, None)
        if count or time.monotonic() > deadline:
            return count, seconds
        time.sleep(0.05)


# ---------------------------------------------------------------- reasons

# Tails that list what would be accepted or say how to fix it: the reason stands before them.
TAIL = re.compile(r"; (?:supported|allowed|expected|set one with|only <)\b.*", re.S)
ELEMENT = re.compile(r"<([^>]+)>: (.*)", re.S)
# PolicyException.MAX_PROBLEMS: past it, a document's last problem says how many more it had.
MAX_LISTED = 100


def reason(message):
    """A message without what differs between its occurrences (places, the names of the folder's own things)."""
    text = TAIL.sub("", message)
    element, rest = None, text
    match = ELEMENT.fullmatch(text)
    if match:
        element, rest = match.groups()
    if re.match(r"policy expression \(line \d+, column \d+\): not supported", rest):
        return "policy expression: not supported"
    if rest.startswith("unknown policy <"):
        return rest
    if rest.startswith("named value '"):
        # The element does not matter: the same named value is missing wherever it is used.
        return re.sub(r"'[^']*'", "'…'", rest.split(":")[0])
    if re.fullmatch(r"\d+ more problems in this document are not listed", rest):
        return "more problems in this document are not listed (a document lists at most %d)" % MAX_LISTED
    rest = re.sub(r'"[^"]*"', '"…"', rest)
    rest = re.sub(r"\(line \d+, column \d+\)", "(line …)", rest)
    return ("<%s>: %s" % (element, rest)) if element else rest


def not_listed(errors):
    """The problems a capped document left out, by its last message."""
    return sum(int(m.group(1)) for m in (re.fullmatch(r"(\d+) more problems in this document are not listed",
                                                       e["message"]) for e in errors) if m)


def place(error):
    where = error.get("file") or ""
    if error.get("line") is not None:
        where += ":%s:%s" % (error["line"], error.get("column"))
    return where


# ---------------------------------------------------------------- report

def ids(apis):
    return [api["id"] for api in apis]


def report(results):
    print("# Certgate on the real APIM configuration of %s\n" % os.path.normpath(REALWORLD))
    print("WAR: %s\n" % os.path.relpath(WAR, CHECKOUT))
    print("| folder | built from | APIs | served | unavailable | revisions (not current) | errors | warnings "
          "| start → /admin/status (s) | configuration load (ms) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        built = ("%d APIs, %d fragments" % r["built"]) if r.get("built") else "copied as it is"
        status = r.get("status")
        if status is None:
            print("| %s | %s | — | — | — | — | — | — | %s | — |" % (r["name"], built, r.get("failure")))
            continue
        apis = status.get("apis") or {}
        served, unavailable = apis.get("served", []), apis.get("unavailable", [])
        load = "—"
        if r.get("load_seconds") is not None:
            load = "%.0f" % (r["load_seconds"] * 1000) + ("" if r["loads"] == 1 else " (%d loads)" % r["loads"])
        if r.get("logged_ms") is not None:
            load += " (log: %d)" % r["logged_ms"]
        errors = status.get("errors") or []
        counted = "%d" % len(errors) + (" (+%d not listed)" % not_listed(errors) if not_listed(errors) else "")
        print("| %s | %s | %d | %d | %d | %d | %s | %d | %.2f | %s |" % (
            r["name"], built, len(served) + len(unavailable), len(served), len(unavailable),
            len(apis.get("revisions", [])), counted, len(status.get("warnings") or []), r["ready"], load))
    for r in results:
        print("\n## %s\n" % r["name"])
        if "status" not in r:
            print("Not measured: %s. Last lines of the gateway's log:\n" % r.get("failure"))
            print("```\n%s\n```" % "\n".join(r["log_excerpt"]))
            continue
        folder_report(r)


def folder_report(r):
    status = r["status"]
    apis = status.get("apis") or {}
    for state in ("served", "unavailable", "revisions"):
        listed = apis.get(state, [])
        print("- %s (%d): %s" % (state, len(listed), ", ".join(ids(listed)) or "none"))
    if r["stack_lines"]:
        print("- the gateway's log holds %d stack-trace lines" % r["stack_lines"])
    errors = status.get("errors") or []
    if not_listed(errors):
        print("- %d more problems not listed: documents with more than %d stop there" % (not_listed(errors), MAX_LISTED))
    # How many APIs each reason keeps from serving (or on their last good configuration).
    touched = collections.defaultdict(set)
    for api in apis.get("unavailable", []) + [a for a in apis.get("served", []) if a.get("lastGood")]:
        for error in api.get("errors") or []:
            touched[reason(error["message"])].add(api["id"])
    counts = collections.Counter(reason(error["message"]) for error in errors)
    print("\n| reason | errors | unavailable APIs listing it |\n| --- | --- | --- |")
    for text, count in counts.most_common():
        print("| %s | %d | %d |" % (cell(text), count, len(touched.get(text, ()))))
    raw = collections.Counter(error["message"] for error in errors)
    print("\nTop raw messages (count, first place):\n")
    first = {}
    for error in errors:
        first.setdefault(error["message"], place(error))
    for message, count in raw.most_common(TOP_MESSAGES):
        print("- %d × `%s` — %s" % (count, clip(message), first[message]))
    warnings = collections.Counter(w.get("code") for w in status.get("warnings") or [])
    if warnings:
        print("\nWarnings by code: " + ", ".join("%s %d" % item for item in warnings.most_common()))


def cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


def clip(message, limit=240):
    message = message.replace("\n", " ").replace("`", "'")
    return message if len(message) <= limit else message[:limit] + "…"


def main():
    if not os.path.isfile(WAR):
        sys.exit("no WAR at %s: build it with mvn -B package -DskipTests (or set CERTGATE_WAR)" % WAR)
    if not os.path.isdir(REALWORLD):
        sys.exit("no real-world data at %s (set REALWORLD_DIR)" % REALWORLD)
    results, passwords = [], []
    for name, build in FOLDERS:
        result, password = measure(name, build)
        results.append(result)
        passwords.append(password)
    # The admin password is the script's own; it must not leak through a message or the log's tail.
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        report(results)
    text = buffer.getvalue()
    for password in passwords:
        text = text.replace(password, "***")
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
