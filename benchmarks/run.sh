#!/usr/bin/env bash
# End-to-end benchmarks: our echo server against its peers, and our client against the peers' clients.
#
#   benchmarks/run.sh quick   CI smoke (< 1 min): each server briefly under a tiny load from `ixws
#                             bench`, then ours under c-load with deflate and over wss://; checks
#                             that each answered
#                             (messages > 0); writes benchmarks/target/bench-smoke.json
#   benchmarks/run.sh full    the whole comparison (13-15 min on 2 cores): scenarios 1-5 of the
#                             benchmarks issue, 3 runs each, servers alternated (A B C A B C ...);
#                             raw results in benchmarks/results/*.json
#   benchmarks/run.sh deflate permessage-deflate (3-4 min): typical JSON messages of 1 KB, 16 KB and
#                             1 MB with compression negotiated, context takeover on and off, our
#                             server against node `ws` and raw Netty's compression handler
#   benchmarks/run.sh tls     TLS (3-4 min): wss:// echo of 64 B and 1 MB and TLS handshakes/s, ours
#                             against raw Netty and Vert.x with the same engine, BoringSSL and the
#                             JDK's (TLS_ENGINES, TLS_SERVERS, TLS_STORM_CONNECTIONS=2000)
#   benchmarks/run.sh report  tables (docs/benchmarks.md) and charts (docs/img/) from the raw results
#
# The server runs pinned to core 1 and the load generator to core 0 (taskset). Every server figure
# is driven by a C load generator when gcc builds it, so that no server figure is bound by the
# generator: c-load (benchmarks/peers/c-load.c, built with gcc and zlib into benchmarks/target) in
# scenarios 1-3 and the deflate rows, c-storm (benchmarks/peers/c-storm.c) in the storm of scenario
# 4. Both are single-threaded C epoll clients several times faster than `ixws bench` (a JVM on one
# core tops out near 1M messages/s and 2,500 handshakes/s, which the fast servers then "reached").
# They take `ixws bench`'s options and print its JSON fields; every row records "loadGenerator" and
# the generator's own CPU (cpuPercent, percent of its core: near 100 the generator would be the
# bound again); c-load also reads the server's CPU over the measured seconds (--server-pid:
# serverCpuPercent, messagesPerServerCpuSec). `ixws bench` stays the load generator where no C
# compiler is found (LOADGEN=ixws forces it) and is the client under test in scenario 5.
# Environment:
#   RUNS=3            runs per system and scenario
#   SERVERS="ixws netty java-websocket jetty vertx node"   servers measured (c when benchmarks/peers/c-echo builds)
#   CLIENTS="ixws netty jdk okhttp java-websocket jetty"   clients measured in scenario 5
#   IXWS_JAR=...      another ixws.jar (the load generator)
#   RESULTS=...       where the raw results go (default benchmarks/results)
#   DOCS=...          where the report writes benchmarks.md and img/ (default docs)
#   SCENARIOS="s1 s2 s3 s4 s5 s5-10k"   the scenarios a full run measures (a partial run rewrites
#                     only its scenarios' result files)
#   STORM_CONNECTIONS=10000   connections opened by the scenario 4 storm (fewer for a trial run)
#   SLOW_STORM="java-websocket"   servers left out of the storm (40-90 s each); "" keeps them
#   CLIENTS_10K=...   clients of scenario 5b (default: CLIENTS without java-websocket, whose client
#                     starts two threads per connection and does not finish with 10,000 here)
#   MEASURE_TIMEOUT=120   seconds after which a load run is killed and recorded as failed
#   STORM_WARMUPS=4   unrecorded storms (c-storm, connections closed at once) before the measured
#                     one; the first one's rate is kept as the cold figure (warmupConnectPerSec)
#   STORM_CLIENT=c    the scenario 4 load generator: c (c-storm; the default when gcc builds it,
#                     `ixws bench` otherwise) or ixws (`ixws bench`, as before)
#   LOADGEN=c         the load generator of scenarios 1-3 and the deflate rows: c (c-load; the
#                     default when gcc and zlib build it) or ixws (`ixws bench`)
#   DEFLATE_SERVERS="ixws netty node"   servers of the deflate rows
#
# Each round first starts every server afresh for one cold storm (s4-cold: the first storm a freshly
# started process sees, what a gateway meets when every client reconnects after a deploy; the
# median is over RUNS processes), then runs one server process per server: scenarios 1, 2, 3, then
# the warm storm (scenario 4) on the same, warmed-up process. RSS per connection is the storm's peak RSS (VmHWM, reset through
# /proc/PID/clear_refs when the run starts) minus the RSS before it, so it leaves out memory the
# process already held from scenarios 1-3 (pooled buffers, heap already committed).
#
# Scenario 4 also measures a JVM server's live heap (serverHeapBeforeKb, serverHeapIdleKb in the
# s4-storm rows; the report divides the difference by the connections held). Before the storm: a
# full GC (`GC.run`), then the used heap (`GC.heap_info`: the generations' "used" summed, after the
# GC the live objects). During the storm a background watcher counts the server's file descriptors
# (/proc/PID/fd); once every storm connection is accepted (or the count stays at 95% or more for
# 0.3 s) it waits 0.2 s for the last handshakes and takes the same reading while the connections are
# idle (c-storm and `ixws bench --connect-rate-only` hold them for 1 s before closing). The load generator
# cannot be paused, so the reading must fit in that second: the watcher sends the two diagnostic
# commands straight to the server's HotSpot attach socket (/tmp/.java_pidPID, opened beforehand by
# one `jcmd PID VM.version`), about 0.1 s instead of the 0.5 s of a jcmd launch. A reading is kept
# only if the descriptor count is still at its peak after it (no connection closed meanwhile);
# otherwise serverHeapIdleKb is null and the log says why. node and c: no heap figures.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
MODE="${1:-quick}"
BENCH_JAR="$HERE/target/benchmarks.jar"
IXWS_JAR="${IXWS_JAR:-$ROOT/ixws-netty-cli/target/ixws.jar}"
RUNS="${RUNS:-3}"
RESULTS="${RESULTS:-$HERE/results}"
DOCS="${DOCS:-$ROOT/docs}"
PY=/usr/bin/python3
JVM_OPTS=(-Xms256m -Xmx2g -XX:+UseParallelGC)
SERVER_CORE="${SERVER_CORE:-1}"
CLIENT_CORE="${CLIENT_CORE:-0}"
STORM_CONNECTIONS="${STORM_CONNECTIONS:-10000}"
SLOW_STORM="${SLOW_STORM-java-websocket}"
MEASURE_TIMEOUT="${MEASURE_TIMEOUT:-120}"
STORM_WARMUPS="${STORM_WARMUPS:-4}"
WORK="$(mktemp -d)"
SCHEME=ws          # wss in the TLS rows
TLS_ENGINE=boringssl
SERVER_PID=""
WATCH_PID=""

log() { echo "[bench $(date +%T)] $*" >&2; }

cleanup() {
  stop_watch
  stop_server
  rm -rf "$WORK"
}
trap cleanup EXIT

build_if_needed() {
  if [[ ! -f "$BENCH_JAR" || ! -f "$IXWS_JAR" ]]; then
    log "building benchmarks.jar and ixws.jar"
    (cd "$ROOT" && mvn -q package -pl benchmarks,ixws-netty-cli -am -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true)
  fi
  if ! java -jar "$IXWS_JAR" bench --help > /dev/null 2>&1; then
    echo "error: $IXWS_JAR has no 'bench' subcommand (the load generator); rebuild ixws-netty-cli" >&2
    exit 1
  fi
}

# The command that starts a server printing "PORT n"; port 0 picks a free port. With "deflate" as
# $2 the server accepts permessage-deflate (ours and Vert.x's do by default, Netty's and node's
# only when told); with "tls" it serves wss:// with $WORK/cert.pem and the engine $TLS_ENGINE.
server_cmd() {
  local flags="" props=""
  if [[ "${2:-}" == deflate && ( "$1" == netty || "$1" == node ) ]]; then flags=" --deflate"; fi
  if [[ "${2:-}" == tls ]]; then
    flags=" --tls $WORK/cert.pem $WORK/key.pem"
    props=" -Ddev.ixws.tls.engine=$TLS_ENGINE"
  fi
  local cls
  case "$1" in
    ixws) cls=IxwsEchoServer ;;
    netty) cls=NettyEchoServer ;;
    java-websocket) cls=JavaWebSocketEchoServer ;;
    jetty) cls=JettyEchoServer ;;
    vertx) cls=VertxEchoServer ;;
    node) echo "env NODE_PATH=/usr/share/nodejs node $HERE/peers/ws-echo.js 0$flags"; return ;;
    c) echo "$HERE/target/c-echo 0"; return ;;
    *) echo "unknown server $1" >&2; exit 2 ;;
  esac
  echo "java ${JVM_OPTS[*]}$props -cp $BENCH_JAR dev.ixws.benchmarks.servers.$cls 0$flags"
}

# The load generator for a client name (scenario 5); ixws is `ixws bench`, c-storm the storm
# generator of scenario 4.
client_cmd() {
  local cls
  case "$1" in
    ixws) echo "java ${JVM_OPTS[*]} -jar $IXWS_JAR bench"; return ;;
    c-storm) echo "$HERE/target/c-storm"; return ;;
    c-load) echo "$HERE/target/c-load"; return ;;
    netty) cls=NettyClient ;;
    jdk) cls=JdkClient ;;
    okhttp) cls=OkHttpClientDriver ;;
    java-websocket) cls=JavaWebSocketClient ;;
    jetty) cls=JettyClient ;;
    *) echo "unknown client $1" >&2; exit 2 ;;
  esac
  echo "java ${JVM_OPTS[*]} -cp $BENCH_JAR dev.ixws.benchmarks.clients.$cls"
}

start_server() {
  local name="$1"
  : > "$WORK/server.out"
  # shellcheck disable=SC2046
  taskset -c "$SERVER_CORE" $(server_cmd "$name" "${2:-}") > "$WORK/server.out" 2> "$WORK/server.err" &
  SERVER_PID=$!
  for _ in $(seq 300); do
    if grep -q '^PORT ' "$WORK/server.out"; then
      SERVER_PORT="$(awk '/^PORT /{print $2; exit}' "$WORK/server.out")"
      return 0
    fi
    if ! kill -0 "$SERVER_PID" 2> /dev/null; then break; fi
    sleep 0.1
  done
  echo "error: server $name did not print PORT; its stderr:" >&2
  cat "$WORK/server.err" >&2
  exit 1
}

stop_server() {
  if [[ -n "$SERVER_PID" ]]; then
    kill "$SERVER_PID" 2> /dev/null || true
    wait "$SERVER_PID" 2> /dev/null || true
    SERVER_PID=""
  fi
}

proc_field() { # pid field(VmRSS|VmHWM|Threads) -> number
  awk -v f="$2:" '$1==f{print $2}' "/proc/$1/status" 2> /dev/null || echo 0
}

# measure SCENARIO SERVER CLIENT RUN LOADGEN-ARGS... : one load run, one JSON line appended to
# $WORK/all.jsonl with the load generator's figures plus the server's RSS and threads.
measure() {
  local scenario="$1" server="$2" client="$3" run="$4"
  shift 4
  local out="$WORK/one.json" rss0 rc=0 extra=()
  rm -f "$out" "$WORK/extra.json"
  # c-load reads the server's CPU over exactly the seconds it measures.
  if [[ "$client" == c-load ]]; then extra=(--server-pid "$SERVER_PID"); fi
  rss0="$(proc_field "$SERVER_PID" VmRSS)"
  # Resets the server's peak RSS (VmHWM) to its current RSS, so that the peak is this run's.
  echo 5 > "/proc/$SERVER_PID/clear_refs" 2> /dev/null || true
  # shellcheck disable=SC2046
  timeout -k 5 "$MEASURE_TIMEOUT" taskset -c "$CLIENT_CORE" $(client_cmd "$client") --url "$SCHEME://127.0.0.1:$SERVER_PORT/" \
    --json "$out" --quiet "${extra[@]}" "$@" > "$WORK/client.out" 2> "$WORK/client.err" || rc=$?
  finish_watch
  if [[ ! -s "$out" ]]; then
    log "$scenario $server/$client run $run: no result (exit $rc): $(tail -c 300 "$WORK/client.err")"
    echo "{\"scenario\":\"$scenario\",\"server\":\"$server\",\"client\":\"$client\",\"run\":$run,\"failed\":true}" >> "$WORK/all.jsonl"
    return 0
  fi
  $PY - "$out" "$scenario" "$server" "$client" "$run" "$rss0" \
    "$(proc_field "$SERVER_PID" VmRSS)" "$(proc_field "$SERVER_PID" VmHWM)" \
    "$(proc_field "$SERVER_PID" Threads)" "$WORK/extra.json" "$WORK/warmups.json" >> "$WORK/all.jsonl" << 'EOF'
import json, os, sys
r = json.load(open(sys.argv[1]))
r.setdefault("loadGenerator", "ixws bench" if sys.argv[4] == "ixws" else sys.argv[4])  # c-storm writes its own
r.update(scenario=sys.argv[2], server=sys.argv[3], client=sys.argv[4], run=int(sys.argv[5]),
         serverRssBeforeKb=int(sys.argv[6] or 0), serverRssKb=int(sys.argv[7] or 0),
         serverHwmKb=int(sys.argv[8] or 0), serverThreads=int(sys.argv[9] or 0))
if os.path.exists(sys.argv[10]):
    r.update(json.load(open(sys.argv[10])))  # the heap watcher's figures (scenario 4)
if os.path.exists(sys.argv[11]):
    r.update(json.load(open(sys.argv[11])))  # the warm-up storms' rates (scenario 4)
print(json.dumps(r))
EOF
  log "$scenario $server/$client run $run: $($PY -c 'import json,sys; r=json.loads(open(sys.argv[1]).readlines()[-1]); print("msg/s=%.0f p50=%sus p99=%sus connect/s=%.0f errors=%s%s" % (r.get("messagesPerSec",0), r["latencyMicros"]["p50"], r["latencyMicros"]["p99"], r.get("connectPerSec",0), r.get("errors"), " heap/conn=%.2fKB" % ((r["serverHeapIdleKb"] - r["serverHeapBeforeKb"]) / r["serverHeapIdleConnections"]) if r.get("serverHeapIdleKb") else ""))' "$WORK/all.jsonl")"
}

# `warmup_storms SERVER`: STORM_WARMUPS unrecorded c-storm storms, each closing its connections at
# once. Scenarios 1-3 leave the handshake path only partly compiled: in series of storms against
# one process the rate of every JVM server rose 3-10x over the first four or five storms before it
# levelled off (a long-running server's state), so a single warm-up storm measured the JIT as much
# as the server. The rates go to $WORK/warmups.json, which measure merges into the storm's row:
# the first one is the cold figure (a storm on a handshake path that has never run).
warmup_storms() {
  local w rates=""
  for w in $(seq "$STORM_WARMUPS"); do
    rm -f "$WORK/warm.json"
    timeout -k 5 "$MEASURE_TIMEOUT" taskset -c "$CLIENT_CORE" "$HERE/target/c-storm" \
      --url "ws://127.0.0.1:$SERVER_PORT/" --connections "$STORM_CONNECTIONS" --hold-ms 0 \
      --json "$WORK/warm.json" --quiet > /dev/null 2>&1 || log "s4 $1: warm-up storm $w failed"
    rates="$rates,$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["connectPerSec"])' "$WORK/warm.json" 2> /dev/null || echo null)"
    sleep 0.5
  done
  echo "{\"warmupConnectPerSec\":[${rates#,}]}" > "$WORK/warmups.json"
  log "s4 $1: warm-up storms: ${rates#,} handshakes/s"
}

is_jvm_server() { [[ "$1" != node && "$1" != c ]]; }

# The heap watcher (scenario 4): see the header. `now PID` prints the live heap after a full GC;
# `idle PID BASE_FDS CONNECTIONS OUT` waits for the storm's peak and writes the reading to OUT.
write_heap_watch() {
  cat > "$WORK/heapwatch.py" << 'EOF'
import json, os, re, socket, sys, time

def attach(pid, command):
    # HotSpot's attach protocol: version, command, three arguments, each NUL-terminated.
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(20)
    s.connect("/tmp/.java_pid%d" % pid)
    s.sendall(b"1\0jcmd\0" + command.encode() + b"\0\0\0")
    out = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        out += chunk
    s.close()
    text = out.decode(errors="replace")
    if not text.startswith("0"):
        raise RuntimeError("%s failed: %s" % (command, text.strip()[:200]))
    return text

def live_heap_kb(pid):
    attach(pid, "GC.run")
    info = attach(pid, "GC.heap_info")
    # "PSYoungGen total 76288K, used 0K", "ParOldGen total ..., used 4370K" (G1: one heap line).
    used = [int(m.group(1)) for m in re.finditer(r"^\s*\S.*?\s+total \d+K, used (\d+)K", info, re.M)]
    if not used:
        raise RuntimeError("no 'used' figure in GC.heap_info: " + info.strip()[:200])
    return sum(used)

def fds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))

mode, pid = sys.argv[1], int(sys.argv[2])
if mode == "now":
    print(json.dumps({"heapKb": live_heap_kb(pid), "fds": fds(pid)}))
    sys.exit(0)
base, connections, out = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
result = {"serverHeapIdleKb": None}
try:
    target, last, since = base + connections, -1, time.monotonic()
    while True:
        n = fds(pid) - base
        now = time.monotonic()
        if n != last:
            last, since = n, now
        if n >= connections or (n >= 0.95 * connections and now - since >= 0.3):
            break
        time.sleep(0.05)
    time.sleep(0.2)  # the handshakes of the last accepted connections
    peak = fds(pid) - base
    heap = live_heap_kb(pid)
    after = fds(pid) - base
    if after < peak:
        result["serverHeapNote"] = "connections closed during the reading (%d of %d left)" % (after, peak)
    else:
        result.update(serverHeapIdleKb=heap, serverHeapIdleConnections=peak)
except Exception as e:  # the server died, or the attach failed
    result["serverHeapNote"] = "no reading: %s" % e
json.dump(result, open(out, "w"))
EOF
}

# Before the storm: the live heap after a full GC, then the watcher in the background.
start_watch() {
  local server="$1" connections="$2" before
  is_jvm_server "$server" || return 0
  # A jcmd starts the server's attach listener; the watcher then talks to its socket directly.
  if ! jcmd "$SERVER_PID" VM.version > /dev/null 2>&1; then
    log "s4 $server: jcmd cannot attach to the server: no heap figures"
    return 0
  fi
  before="$($PY "$WORK/heapwatch.py" now "$SERVER_PID")" || { log "s4 $server: no heap reading"; return 0; }
  echo "$before" > "$WORK/heap-before.json"
  $PY "$WORK/heapwatch.py" idle "$SERVER_PID" \
    "$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["fds"])' "$WORK/heap-before.json")" \
    "$connections" "$WORK/heap-idle.json" &
  WATCH_PID=$!
}

# After the load run: the watcher's figures go to $WORK/extra.json (merged into the row).
finish_watch() {
  [[ -n "$WATCH_PID" ]] || return 0
  stop_watch
  $PY - "$WORK/heap-before.json" "$WORK/heap-idle.json" "$WORK/extra.json" << 'EOF'
import json, os, sys
extra = {"serverHeapBeforeKb": json.load(open(sys.argv[1]))["heapKb"], "serverHeapIdleKb": None}
if os.path.exists(sys.argv[2]):
    extra.update(json.load(open(sys.argv[2])))
else:
    extra["serverHeapNote"] = "the watcher never saw the storm's peak"
json.dump(extra, open(sys.argv[3], "w"))
if extra.get("serverHeapNote"):
    print("heap reading: " + extra["serverHeapNote"], file=sys.stderr)
EOF
  rm -f "$WORK/heap-before.json" "$WORK/heap-idle.json"
}

stop_watch() {
  if [[ -n "$WATCH_PID" ]]; then
    # Done by now unless it never saw the peak (a failed storm).
    kill "$WATCH_PID" 2> /dev/null || true
    wait "$WATCH_PID" 2> /dev/null || true
    WATCH_PID=""
  fi
}

# The words of $2... without $1.
without() {
  local drop="$1" w out=""
  shift
  for w in "$@"; do [[ "$w" == "$drop" ]] || out="$out $w"; done
  echo "$out"
}

# The servers to measure: $SERVERS, or all of them (c only where gcc builds it).
available_servers() {
  if [[ -n "${SERVERS:-}" ]]; then
    if [[ " $SERVERS " == *" c "* ]] && ! build_c_peer c-echo; then
      echo "error: server c needs gcc (Debian package gcc) and $HERE/peers/c-echo.c" >&2
      exit 1
    fi
    echo "$SERVERS"
    return
  fi
  local list="ixws netty java-websocket jetty vertx node"
  if build_c_peer c-echo; then list="$list c"; fi
  echo "$list"
}

# A C peer from benchmarks/peers (c-echo: the machine's ceiling; c-storm and c-load: the load
# generators), built into benchmarks/target when gcc and its source are there (the generators link
# OpenSSL for wss://, c-load also zlib: Debian packages libssl-dev, zlib1g-dev).
build_c_peer() {
  local name="$1" src="$HERE/peers/$1.c" bin="$HERE/target/$1" libs=()
  [[ -f "$src" ]] && command -v gcc > /dev/null || return 1
  case "$name" in
    c-load) libs=(-lz -lssl -lcrypto) ;;
    c-storm) libs=(-lssl -lcrypto) ;;
  esac
  if [[ ! -x "$bin" || "$src" -nt "$bin" || "$HERE/peers/ws-accept.h" -nt "$bin" || "$HERE/peers/tls-io.h" -nt "$bin" ]]; then
    mkdir -p "$HERE/target"
    gcc -O2 -o "$bin" "$src" "${libs[@]}" 2> "$HERE/target/$name.gcc.log" || return 1
  fi
}

# The client name of the server scenarios' load generator (see LOADGEN in the header).
load_client() {
  case "${LOADGEN:-}" in
    c)
      if ! build_c_peer c-load; then
        echo "error: LOADGEN=c needs gcc and zlib (Debian packages gcc, zlib1g-dev): $(cat "$HERE/target/c-load.gcc.log" 2> /dev/null)" >&2
        exit 1
      fi
      echo c-load ;;
    ixws) echo ixws ;;
    "") if build_c_peer c-load; then echo c-load; else echo ixws; fi ;;
    *) echo "error: LOADGEN must be c or ixws, not $LOADGEN" >&2; exit 2 ;;
  esac
}

# The client name of scenario 4's load generator (see STORM_CLIENT in the header).
storm_client() {
  case "${STORM_CLIENT:-}" in
    c)
      if ! build_c_peer c-storm; then
        echo "error: STORM_CLIENT=c needs gcc (Debian package gcc) and $HERE/peers/c-storm.c" >&2
        exit 1
      fi
      echo c-storm ;;
    ixws) echo ixws ;;
    "") if build_c_peer c-storm; then echo c-storm; else echo ixws; fi ;;
    *) echo "error: STORM_CLIENT must be c or ixws, not $STORM_CLIENT" >&2; exit 2 ;;
  esac
}

quick() {
  build_if_needed
  local servers
  servers="$(available_servers)"
  : > "$WORK/all.jsonl"
  for s in $servers; do
    start_server "$s"
    measure smoke "$s" ixws 1 --connections 4 --in-flight 2 --duration 1 --warmup 0
    stop_server
  done
  # The C load generator of the full run, with compression negotiated, against our server.
  if ! build_c_peer c-load; then
    echo "error: c-load needs gcc and zlib (Debian packages gcc, zlib1g-dev): $(cat "$HERE/target/c-load.gcc.log" 2> /dev/null)" >&2
    exit 1
  fi
  start_server ixws
  measure smoke ixws c-load 1 --connections 4 --in-flight 2 --duration 1 --warmup 0 --json-payload --deflate --size 1024
  stop_server
  # And over TLS (wss://, BoringSSL), as the TLS rows run it.
  make_certificate
  SCHEME=wss
  start_server ixws tls
  measure smoke-tls ixws c-load 1 --connections 4 --in-flight 2 --duration 1 --warmup 0
  stop_server
  SCHEME=ws
  mkdir -p "$HERE/target"
  $PY - "$WORK/all.jsonl" "$HERE/target/bench-smoke.json" << 'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
json.dump(rows, open(sys.argv[2], "w"), indent=1)
bad = [r for r in rows if r.get("failed") or r.get("messages", 0) <= 0]
for r in rows:
    name = r["server"] if r["client"] == "ixws" else r["server"] + "/" + r["client"]
    if r["scenario"] == "smoke-tls":
        name += "/wss"
    failed = r.get("failed") or r.get("messages", 0) <= 0
    print("%-16s %s" % (name, "FAILED" if failed else "answered: %d messages" % r["messages"]))
sys.exit(1 if bad else 0)
EOF
}

full() {
  need_matplotlib
  build_if_needed
  write_heap_watch
  local servers clients storm_gen load_gen
  servers="$(available_servers)"
  clients="${CLIENTS:-ixws netty jdk okhttp java-websocket jetty}"
  storm_gen="$(storm_client)"
  load_gen="$(load_client)"
  mkdir -p "$RESULTS"
  : > "$WORK/all.jsonl"
  write_meta "\"servers\":\"$servers\",\"clients\":\"$clients\",\"stormClient\":\"$storm_gen\",\"loadClient\":\"$load_gen\","
  local scenarios=" ${SCENARIOS:-s1 s2 s3 s4 s5 s5-10k} "
  want() { [[ "$scenarios" == *" $1 "* ]]; }
  log "servers: $servers; clients: $clients; load generators: $load_gen, storm $storm_gen; runs: $RUNS; scenarios:$scenarios; $(uptime)"
  for run in $(seq "$RUNS"); do
    # The cold storm: a freshly started process, nothing run before it (see the header).
    if want s4; then
      for s in $servers; do
        [[ " $SLOW_STORM " != *" $s "* ]] || continue
        start_server "$s"
        measure s4-cold "$s" "$storm_gen" "$run" --connections "$STORM_CONNECTIONS" --connect-rate-only --handshake-timeout 60
        stop_server
      done
    fi
    for s in $servers; do
      # One server process per round: scenarios 1, 2, 3, then the storm, so that the storm hits a
      # server whose JIT has warmed up as a long-running server's has (a storm against a cold JVM
      # on one core mostly measures the JIT compiler: it used more CPU than the event loop).
      start_server "$s"
      # Scenario 1 first: its warm-up (hundreds of thousands of messages for the fast servers) warms
      # the JIT, so that scenario 2 measures a warmed-up server's latency, not compilation pauses.
      if want s1; then
        measure s1-echo64 "$s" "$load_gen" "$run" --connections 100 --in-flight 16 --size 64 --warmup 1 --duration 3
      fi
      if want s2; then
        measure s2-latency "$s" "$load_gen" "$run" --connections 1 --in-flight 1 --size 64 --warmup 1 --duration 2
      fi
      if want s3; then
        measure s3-16k "$s" "$load_gen" "$run" --connections 10 --in-flight 4 --size 16384 --warmup 1 --duration 2
        measure s3-1m "$s" "$load_gen" "$run" --connections 2 --in-flight 2 --size 1048576 --warmup 1 --duration 2
      fi
      # Java-WebSocket takes 40-90 s per storm (166-614 handshakes/s, with refused connections):
      # left out by default so that the whole run stays within 15 minutes (SLOW_STORM="" keeps it).
      if want s4 && [[ " $SLOW_STORM " != *" $s "* ]]; then
        if [[ "$storm_gen" == c-storm ]]; then
          warmup_storms "$s"
        fi
        sleep 0.5
        start_watch "$s" "$STORM_CONNECTIONS"
        # A long handshake timeout: on a loaded machine 10,000 handshakes take longer than the default.
        measure s4-storm "$s" "$storm_gen" "$run" --connections "$STORM_CONNECTIONS" --connect-rate-only --handshake-timeout 60
        rm -f "$WORK/warmups.json"
      fi
      stop_server
    done
  done
  # The clients drive the fastest server there is, the C echo when gcc built it, so that their
  # figures are bound by themselves rather than by the server.
  local s5_server=ixws
  if build_c_peer c-echo; then s5_server=c; fi
  if want s5; then
    for run in $(seq "$RUNS"); do
      for c in $clients; do
        start_server "$s5_server"
        measure s5-client "$s5_server" "$c" "$run" --connections 100 --in-flight 16 --size 64 --warmup 1 --duration 3
        stop_server
      done
    done
  fi
  # 10,000 connections held by one client JVM: its threads and RSS (one run: slow for some clients).
  if want s5-10k; then
    for c in ${CLIENTS_10K:-$(without java-websocket $clients)}; do
      start_server "$s5_server"
      measure s5-10k "$s5_server" "$c" 1 --connections 10000 --in-flight 1 --size 64 --warmup 1 --duration 3
      stop_server
    done
  fi
  write_results "${SCENARIOS:-}"
  report
}

# Writes $WORK/all.jsonl to $RESULTS, one file per scenario, and the run's meta file (named after
# $1, the partial run's scenarios, when given).
write_results() {
  echo "{\"uptimeAfter\":\"$(uptime)\"}" > "$WORK/meta-after.json"
  $PY - "$WORK/all.jsonl" "$WORK/meta.json" "$WORK/meta-after.json" "$RESULTS" "$1" << 'EOF'
import json, sys, os, collections
rows = [json.loads(l) for l in open(sys.argv[1])]
meta = json.load(open(sys.argv[2])); meta.update(json.load(open(sys.argv[3])))
by = collections.defaultdict(list)
for r in rows:
    by[r["scenario"]].append(r)
for name, rs in by.items():
    json.dump(rs, open(os.path.join(sys.argv[4], name + ".json"), "w"), indent=1)
partial = sys.argv[5].replace(" ", "-")
json.dump(meta, open(os.path.join(sys.argv[4], "meta%s.json" % ("-" + partial if partial else "")), "w"), indent=1)
print("wrote", ", ".join(sorted(by)))
EOF
}

# Writes the run's meta data (date, load, commit) to $WORK/meta.json.
write_meta() {
  {
    echo "{\"date\":\"$(date -u +%FT%TZ)\",\"uptimeBefore\":\"$(uptime)\",\"nproc\":$(nproc),"
    echo "\"java\":\"$(java -version 2>&1 | head -1 | tr -d '"')\",\"runs\":$RUNS,$1"
    echo "\"commit\":\"$(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)\"}"
  } > "$WORK/meta.json"
}

# The deflate rows (issue 13): typical JSON text with permessage-deflate negotiated, our server
# against node `ws` (native zlib) and raw Netty's permessage-deflate handler, with context takeover
# (the default offer) and without (client_no_context_takeover; server_no_context_takeover).
# Servers alternate as in `full`; one process per server and round serves every row.
deflate() {
  need_matplotlib
  build_if_needed
  local servers="${DEFLATE_SERVERS:-ixws netty node}" load_gen
  load_gen="$(load_client)"
  if [[ "$load_gen" != c-load ]]; then
    echo "error: the deflate rows need c-load (gcc and zlib1g-dev): ixws bench cannot send typical JSON" >&2
    exit 1
  fi
  mkdir -p "$RESULTS"
  : > "$WORK/all.jsonl"
  write_meta "\"servers\":\"$servers\",\"loadClient\":\"$load_gen\","
  log "deflate rows: servers $servers; runs: $RUNS; $(uptime)"
  local ctx name
  for run in $(seq "$RUNS"); do
    for s in $servers; do
      start_server "$s" deflate
      for ctx in on off; do
        local flags=(--json-payload --deflate)
        if [[ "$ctx" == off ]]; then flags+=(--no-context-takeover); fi
        name="-ctx-$ctx"
        measure "d1-json1k$name" "$s" c-load "$run" "${flags[@]}" --connections 50 --in-flight 8 --size 1024 --warmup 1 --duration 2
        measure "d2-json16k$name" "$s" c-load "$run" "${flags[@]}" --connections 10 --in-flight 4 --size 16384 --warmup 1 --duration 2
        measure "d3-json1m$name" "$s" c-load "$run" "${flags[@]}" --connections 2 --in-flight 1 --size 1048576 --warmup 1 --duration 3
      done
      stop_server
    done
  done
  write_results deflate
  report
}

# The TLS servers' certificate and key ($WORK/cert.pem, key.pem): see tls below.
make_certificate() {
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" -days 2 \
    -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost 2> /dev/null
}

# The TLS rows (issue 14): wss:// echo (64 B and 1 MB) and TLS handshakes per second, our server
# against raw Netty (SslContextBuilder, its handler first) and Vert.x with the same engine, each
# engine in turn: BoringSSL (tcnative) and the JDK's. The certificate: RSA 2048, self-signed, made
# here with openssl (the common deployed key; its signature is the server's main handshake cost,
# about ten times the generator's verification, so that the storm measures the server).
tls() {
  need_matplotlib
  build_if_needed
  local servers="${TLS_SERVERS:-ixws netty vertx}" engines="${TLS_ENGINES:-boringssl jdk}" load_gen storm_gen
  load_gen="$(load_client)"
  storm_gen="$(storm_client)"
  if [[ "$load_gen" != c-load || "$storm_gen" != c-storm ]]; then
    echo "error: the TLS rows need c-load and c-storm (gcc, libssl-dev, zlib1g-dev)" >&2
    exit 1
  fi
  make_certificate
  mkdir -p "$RESULTS"
  : > "$WORK/all.jsonl"
  write_meta "\"servers\":\"$servers\",\"engines\":\"$engines\",\"loadClient\":\"$load_gen\",\"stormClient\":\"$storm_gen\","
  log "TLS rows: servers $servers; engines $engines; runs: $RUNS; $(uptime)"
  SCHEME=wss
  local n="${TLS_STORM_CONNECTIONS:-2000}"
  for run in $(seq "$RUNS"); do
    for TLS_ENGINE in $engines; do
      for s in $servers; do
        start_server "$s" tls
        measure "tls-echo64-$TLS_ENGINE" "$s" c-load "$run" --connections 100 --in-flight 16 --size 64 --warmup 1 --duration 3
        measure "tls-1m-$TLS_ENGINE" "$s" c-load "$run" --connections 2 --in-flight 2 --size 1048576 --warmup 1 --duration 2
        # Two unrecorded storms first: the handshake path compiled, as in scenario 4.
        local w
        for w in 1 2; do
          timeout -k 5 "$MEASURE_TIMEOUT" taskset -c "$CLIENT_CORE" "$HERE/target/c-storm" --url "wss://127.0.0.1:$SERVER_PORT/" \
            --connections "$n" --hold-ms 0 --quiet --json /dev/null > /dev/null 2>&1 || log "tls $s: warm-up storm $w failed"
        done
        measure "tls-storm-$TLS_ENGINE" "$s" c-storm "$run" --connections "$n" --connect-rate-only --handshake-timeout 60 --hold-ms 0
        stop_server
      done
    done
  done
  SCHEME=ws
  write_results tls
  report
}

report() {
  need_matplotlib
  $PY "$HERE/report.py" "$RESULTS" "$DOCS"
}

# The report draws its charts with matplotlib; checked before a full run spends its 15 minutes.
need_matplotlib() {
  if ! $PY -c 'import matplotlib' 2> /dev/null; then
    echo "error: the report's charts need matplotlib (Debian package python3-matplotlib)" >&2
    exit 1
  fi
}

case "$MODE" in
  quick) quick ;;
  full) full ;;
  deflate) deflate ;;
  tls) tls ;;
  report) report ;;
  *) echo "usage: $0 quick|full|deflate|tls|report" >&2; exit 2 ;;
esac
