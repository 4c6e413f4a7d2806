#!/usr/bin/env bash
# End-to-end benchmarks: our echo server against its peers, and our client against the peers' clients.
#
#   benchmarks/run.sh quick   CI smoke (< 1 min): each server briefly under a tiny load; checks that
#                             each answered (messages > 0); writes benchmarks/target/bench-smoke.json
#   benchmarks/run.sh full    the whole comparison (< 15 min on 2 cores): scenarios 1-5 of the
#                             benchmarks issue, 3 runs each, servers alternated (A B C A B C ...);
#                             raw results in benchmarks/results/*.json
#   benchmarks/run.sh report  tables (docs/benchmarks.md) and charts (docs/img/) from the raw results
#
# The server runs pinned to core 1 and the load generator to core 0 (taskset). The load generator
# is `ixws bench` (ixws-netty-cli/target/ixws.jar). Environment:
#   RUNS=3            runs per system and scenario
#   SERVERS="ixws netty java-websocket jetty vertx node"   servers measured (c when benchmarks/peers/c-echo builds)
#   CLIENTS="ixws netty jdk okhttp java-websocket jetty"   clients measured in scenario 5
#   IXWS_JAR=...      another ixws.jar (the load generator)
#   RESULTS=...       where the raw results go (default benchmarks/results)
#   SCENARIOS="s1 s2 s3 s4 s5 s5-10k"   the scenarios a full run measures (a partial run rewrites
#                     only its scenarios' result files)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
MODE="${1:-quick}"
BENCH_JAR="$HERE/target/benchmarks.jar"
IXWS_JAR="${IXWS_JAR:-$ROOT/ixws-netty-cli/target/ixws.jar}"
RUNS="${RUNS:-3}"
RESULTS="${RESULTS:-$HERE/results}"
PY=/usr/bin/python3
JVM_OPTS=(-Xms256m -Xmx2g -XX:+UseParallelGC)
SERVER_CORE="${SERVER_CORE:-1}"
CLIENT_CORE="${CLIENT_CORE:-0}"
WORK="$(mktemp -d)"
SERVER_PID=""

log() { echo "[bench $(date +%T)] $*" >&2; }

cleanup() {
  stop_server
  rm -rf "$WORK"
}
trap cleanup EXIT

build_if_needed() {
  if [[ ! -f "$BENCH_JAR" || ! -f "$IXWS_JAR" ]]; then
    log "building benchmarks.jar and ixws.jar"
    (cd "$ROOT" && mvn -q package -pl benchmarks,ixws-netty-cli -am -DskipTests)
  fi
  if ! java -jar "$IXWS_JAR" bench --help > /dev/null 2>&1; then
    echo "error: $IXWS_JAR has no 'bench' subcommand (the load generator); rebuild ixws-netty-cli" >&2
    exit 1
  fi
}

# The command that starts a server printing "PORT n"; port 0 picks a free port.
server_cmd() {
  local cls
  case "$1" in
    ixws) cls=IxwsEchoServer ;;
    netty) cls=NettyEchoServer ;;
    java-websocket) cls=JavaWebSocketEchoServer ;;
    jetty) cls=JettyEchoServer ;;
    vertx) cls=VertxEchoServer ;;
    node) echo "env NODE_PATH=/usr/share/nodejs node $HERE/peers/ws-echo.js 0"; return ;;
    c) echo "$HERE/target/c-echo 0"; return ;;
    *) echo "unknown server $1" >&2; exit 2 ;;
  esac
  echo "java ${JVM_OPTS[*]} -cp $BENCH_JAR dev.ixws.benchmarks.servers.$cls 0"
}

# The load generator for a client name (scenario 5); ixws is `ixws bench`.
client_cmd() {
  local cls
  case "$1" in
    ixws) echo "java ${JVM_OPTS[*]} -jar $IXWS_JAR bench"; return ;;
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
  taskset -c "$SERVER_CORE" $(server_cmd "$name") > "$WORK/server.out" 2> "$WORK/server.err" &
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
  local out="$WORK/one.json" rss0 rc=0
  rm -f "$out"
  rss0="$(proc_field "$SERVER_PID" VmRSS)"
  # shellcheck disable=SC2046
  taskset -c "$CLIENT_CORE" $(client_cmd "$client") --url "ws://127.0.0.1:$SERVER_PORT/" \
    --json "$out" --quiet "$@" > "$WORK/client.out" 2> "$WORK/client.err" || rc=$?
  if [[ ! -s "$out" ]]; then
    log "$scenario $server/$client run $run: no result (exit $rc): $(tail -c 300 "$WORK/client.err")"
    echo "{\"scenario\":\"$scenario\",\"server\":\"$server\",\"client\":\"$client\",\"run\":$run,\"failed\":true}" >> "$WORK/all.jsonl"
    return 0
  fi
  $PY - "$out" "$scenario" "$server" "$client" "$run" "$rss0" \
    "$(proc_field "$SERVER_PID" VmRSS)" "$(proc_field "$SERVER_PID" VmHWM)" \
    "$(proc_field "$SERVER_PID" Threads)" >> "$WORK/all.jsonl" << 'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
r.update(scenario=sys.argv[2], server=sys.argv[3], client=sys.argv[4], run=int(sys.argv[5]),
         serverRssBeforeKb=int(sys.argv[6] or 0), serverRssKb=int(sys.argv[7] or 0),
         serverHwmKb=int(sys.argv[8] or 0), serverThreads=int(sys.argv[9] or 0))
print(json.dumps(r))
EOF
  log "$scenario $server/$client run $run: $($PY -c 'import json,sys; r=json.loads(open(sys.argv[1]).readlines()[-1]); print("msg/s=%.0f p50=%sus p99=%sus connect/s=%.0f errors=%s" % (r.get("messagesPerSec",0), r["latencyMicros"]["p50"], r["latencyMicros"]["p99"], r.get("connectPerSec",0), r.get("errors")))' "$WORK/all.jsonl")"
}

available_servers() {
  local list="${SERVERS:-ixws netty java-websocket jetty vertx node}"
  if [[ -z "${SERVERS:-}" ]] && build_c_echo; then list="$list c"; fi
  echo "$list"
}

# The optional C epoll echo (the machine's ceiling): built when gcc and its source are there.
build_c_echo() {
  local src="$HERE/peers/c-echo.c"
  [[ -f "$src" ]] && command -v gcc > /dev/null || return 1
  if [[ ! -x "$HERE/target/c-echo" || "$src" -nt "$HERE/target/c-echo" ]]; then
    mkdir -p "$HERE/target"
    gcc -O2 -o "$HERE/target/c-echo" "$src" || return 1
  fi
}

quick() {
  build_if_needed
  local servers="${SERVERS:-ixws netty java-websocket jetty vertx node}" failed=0
  : > "$WORK/all.jsonl"
  for s in $servers; do
    start_server "$s"
    measure smoke "$s" ixws 1 --connections 4 --in-flight 2 --duration 1 --warmup 0
    stop_server
  done
  mkdir -p "$HERE/target"
  $PY - "$WORK/all.jsonl" "$HERE/target/bench-smoke.json" << 'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
json.dump(rows, open(sys.argv[2], "w"), indent=1)
bad = [r["server"] for r in rows if r.get("failed") or r.get("messages", 0) <= 0]
for r in rows:
    print("%-16s %s" % (r["server"], "FAILED" if r["server"] in bad else "answered: %d messages" % r["messages"]))
sys.exit(1 if bad else 0)
EOF
}

full() {
  build_if_needed
  local servers clients
  servers="$(available_servers)"
  clients="${CLIENTS:-ixws netty jdk okhttp java-websocket jetty}"
  mkdir -p "$RESULTS"
  : > "$WORK/all.jsonl"
  {
    echo "{\"date\":\"$(date -u +%FT%TZ)\",\"uptimeBefore\":\"$(uptime)\",\"nproc\":$(nproc),"
    echo "\"java\":\"$(java -version 2>&1 | head -1 | tr -d '"')\",\"runs\":$RUNS,"
    echo "\"servers\":\"$servers\",\"clients\":\"$clients\","
    echo "\"commit\":\"$(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)\"}"
  } > "$WORK/meta.json"
  local scenarios=" ${SCENARIOS:-s1 s2 s3 s4 s5 s5-10k} "
  want() { [[ "$scenarios" == *" $1 "* ]]; }
  log "servers: $servers; clients: $clients; runs: $RUNS; scenarios:$scenarios; $(uptime)"
  for run in $(seq "$RUNS"); do
    for s in $servers; do
      # Scenarios 2, 1, 3 on one server process; a fresh one for the storm (RSS baseline).
      if want s1 || want s2 || want s3; then
        start_server "$s"
        if want s2; then
          measure s2-latency "$s" ixws "$run" --connections 1 --in-flight 1 --size 64 --warmup 1 --duration 3
        fi
        if want s1; then
          measure s1-echo64 "$s" ixws "$run" --connections 100 --in-flight 16 --size 64 --warmup 2 --duration 4
        fi
        if want s3; then
          measure s3-16k "$s" ixws "$run" --connections 10 --in-flight 4 --size 16384 --warmup 1 --duration 2
          measure s3-1m "$s" ixws "$run" --connections 2 --in-flight 2 --size 1048576 --warmup 1 --duration 2
        fi
        stop_server
      fi
      if want s4; then
        start_server "$s"
        sleep 0.5
        # A long handshake timeout: on a loaded machine 10,000 handshakes take longer than the default.
        measure s4-storm "$s" ixws "$run" --connections 10000 --connect-rate-only --handshake-timeout 60
        stop_server
      fi
    done
  done
  if want s5; then
    for run in $(seq "$RUNS"); do
      for c in $clients; do
        start_server ixws
        measure s5-client "ixws" "$c" "$run" --connections 100 --in-flight 16 --size 64 --warmup 1 --duration 4
        stop_server
      done
    done
  fi
  # 10,000 connections held by one client JVM: its threads and RSS (one run: slow for some clients).
  if want s5-10k; then
    for c in $clients; do
      start_server ixws
      measure s5-10k "ixws" "$c" 1 --connections 10000 --in-flight 1 --size 64 --warmup 1 --duration 3
      stop_server
    done
  fi
  echo "{\"uptimeAfter\":\"$(uptime)\"}" > "$WORK/meta-after.json"
  $PY - "$WORK/all.jsonl" "$WORK/meta.json" "$WORK/meta-after.json" "$RESULTS" "${SCENARIOS:-}" << 'EOF'
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
  report
}

report() {
  $PY "$HERE/report.py" "$RESULTS" "$ROOT/docs"
}

case "$MODE" in
  quick) quick ;;
  full) full ;;
  report) report ;;
  *) echo "usage: $0 quick|full|report" >&2; exit 2 ;;
esac
