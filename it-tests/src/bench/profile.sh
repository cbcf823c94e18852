#!/usr/bin/env bash
# Profiles Certgate and the Java peers while ../shared/bench measures them, so that CPU per request can be
# compared part by part (issue 16: "profile first"). async-profiler (Maven Central, tools.profiler:async-profiler)
# is loaded into each Java process a second after its measured window opens (AgentLoad.java), samples
# CPU for PROFILE_SECONDS, and writes collapsed stacks; profile-summary.py then gives the CPU per request
# split into kernel and user space, and user space by component (Jetty, HttpCore, HttpClient, TLS, Certgate).
#
# Usage (from the project root, after `mvn -B install -DskipTests -DskipITs`; a quiet machine, as for the bench):
#   PATHS=/big PEERS=smiley-proxy WARMUP=30 it-tests/src/bench/profile.sh [out-dir]
# Settings: the bench's own (PATHS, PEERS, WARMUP, DURATION, ...), PROFILE_SECONDS (12; below DURATION),
# EVENT (cpu: perf events, needs perf_event_paranoid <= 2 or root; itimer where those are refused; alloc: the
# heap allocated per request, by component and by allocation site, sampled every ALLOC_INTERVAL bytes, 64k;
# threads: no profiler, CPU and context switches per request by thread group, read from /proc by thread-counts.py),
# ASYNC_PROFILER_VERSION (3.0), CERTGATE_WAR (module-war/target/certgate.war).
# Attaching costs the profiled process CPU of its own: compare rows of one profiled run, and take req/s
# from unprofiled runs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=${1:-$root/it-tests/target/profile}
bench=${BENCH_DIR:-$root/../shared/bench}
seconds=${PROFILE_SECONDS:-12}
event=${EVENT:-cpu}
if [ "$event" = alloc ]; then
  sampling="interval=${ALLOC_INTERVAL:-64k}" dump=",total" # total: each stack's bytes, not its sample count
else
  sampling="interval=1ms" dump=""
fi
version=${ASYNC_PROFILER_VERSION:-3.0}
export PATHS=${PATHS:-/big} PEERS=${PEERS:-smiley-proxy} WARMUP=${WARMUP:-30} DURATION=${DURATION:-15}
[ "$seconds" -lt "$DURATION" ] || { echo "PROFILE_SECONDS must be below DURATION ($DURATION)" >&2; exit 2; }
mkdir -p "$out"
rm -f "$out"/*.collapsed "$out"/*.threads "$out/windows.txt"

tools="$out/async-profiler-$version"
library="$tools/linux-x64/libasyncProfiler.so"
if [ "$event" != threads ] && [ ! -f "$library" ]; then
  mvn -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$version" -DoutputDirectory="$tools"
  (cd "$tools" && unzip -q -o "async-profiler-$version.jar" 'linux-x64/*')
fi

# Compiled before the bench starts: compiling at attach time would cost CPU inside the measured window.
[ "$event" = threads ] || javac -d "$out/classes" "$here/AgentLoad.java"

declare -A port=([jetty-proxy]=${JETTY_PORT:-18082} [smiley-proxy]=${SMILEY_PORT:-18083} [certgate]=${CANDIDATE_PORT:-18090})
log="$out/bench.log"
(cd "$root" && CERTGATE_ACCESS_LOG=${CERTGATE_ACCESS_LOG:-off} CANDIDATE_NAME=certgate \
  CERTGATE_WAR=${CERTGATE_WAR:-$root/module-war/target/certgate.war} \
  CANDIDATE_START="$bench/candidates/certgate.sh" "$bench/run.sh") >"$log" 2>&1 &
run=$!
trap 'kill "$run" 2>/dev/null || true' EXIT

declare -A pids=()
seen=0
while kill -0 "$run" 2>/dev/null; do
  # run.sh logs "[bench hh:mm:ss] <peer> <path>: warm-up <n>s", then "...: measuring <n>s" as the window opens.
  mapfile -t steps < <(grep -E '^\[bench [0-9:]+\] [a-z-]+ /[a-z]*: (warm-up|measuring)' "$log" || true)
  while [ "$seen" -lt "${#steps[@]}" ]; do
    read -r _ _ peer path step _ <<<"${steps[$seen]}"
    path=${path%:}
    seen=$((seen + 1))
    [ -n "${port[$peer]:-}" ] || continue # nginx and the direct row are not Java
    if [ "$step" = warm-up ]; then
      # Looked up now, not in the measured window: ss -p reads every process's sockets, dear with 1,000 callers.
      pids[$peer]=$(ss -ltnpH "sport = :${port[$peer]}" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
      continue
    fi
    pid=${pids[$peer]:-}
    [ -n "$pid" ] || { echo "profile: no process listens for $peer on ${port[$peer]}" >&2; continue; }
    name="$peer-$(tr -c 'a-z0-9\n' _ <<<"${path#/}" | tr -d '\n')"
    name=${name%-}
    sleep 1
    if [ "$event" = threads ]; then
      python3 "$here/thread-counts.py" "$pid" "$seconds" >"$out/$name.threads"
      echo "$peer $path $seconds $name.threads $event" >>"$out/windows.txt"
      continue
    fi
    java -cp "$out/classes" AgentLoad "$pid" "$library" "start,event=$event,$sampling"
    sleep "$seconds"
    java -cp "$out/classes" AgentLoad "$pid" "$library" "stop,file=$out/$name.collapsed,collapsed$dump"
    echo "$peer $path $seconds $name.collapsed $event" >>"$out/windows.txt"
  done
  sleep 0.3
done
wait "$run" || { tail -20 "$log" >&2; exit 1; }
cp "$bench/results/latest.json" "$out/bench.json"
cat "$bench/results/latest.txt"
python3 "$root/it-tests/src/bench/profile-summary.py" "$out"
