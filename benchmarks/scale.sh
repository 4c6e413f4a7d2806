#!/usr/bin/env bash
# Memory at scale, on paper (issue 18): heap and RSS of an echo server holding 1k, 5k, 10k and 19k
# idle connections (the per-process file-descriptor limit here is 20,000), the growth per
# connection between those points, and what that predicts for 1M connections on one machine.
#
# For each server (SCALE_SERVERS, default "ixws netty") and each count N (SCALE_COUNTS): a fresh
# server process (-Xms256m -Xmx2g, ParallelGC, core 1), c-storm (core 0) opens N WebSocket
# connections and holds them idle; once the server holds them, its live heap after a full GC
# (jcmd GC.run, GC.heap_info) and its RSS (VmRSS) are read, minus the same readings before the
# storm. The slope of a least-squares line through the points is the growth per connection;
# the prediction for 1M is the line's value there (heap and RSS), next to Netty's published
# figures for 1M connections. Prints a markdown table; raw points in benchmarks/results/scale.json.
#
# Usage: benchmarks/scale.sh   (about 2 minutes; build first: mvn -B package -pl benchmarks -am -DskipTests)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
JAR="$HERE/target/benchmarks.jar"
SERVERS="${SCALE_SERVERS:-ixws netty}"
COUNTS="${SCALE_COUNTS:-1000 5000 10000 19000}"
RESULTS="${RESULTS:-$HERE/results}"
[ -f "$JAR" ] || { echo "build first: mvn -B package -pl benchmarks -am -DskipTests" >&2; exit 2; }
mkdir -p "$HERE/target" "$RESULTS"
gcc -O2 -o "$HERE/target/c-storm" "$HERE/peers/c-storm.c" -lssl -lcrypto
OUT="$(mktemp)"
trap 'rm -f "$OUT" "$OUT.storm" "$OUT.err"' EXIT

# shellcheck source=live-heap.sh
source "$HERE/live-heap.sh"
rss_kb() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status"; }
fds() { ls "/proc/$1/fd" | wc -l; }

class_of() {
  case "$1" in
    ixws) echo IxwsEchoServer ;;
    netty) echo NettyEchoServer ;;
    vertx) echo VertxEchoServer ;;
    *) echo "unknown server $1" >&2; exit 2 ;;
  esac
}

for server in $SERVERS; do
  for n in $COUNTS; do
    taskset -c 1 java -Xms256m -Xmx2g -XX:+UseParallelGC -cp "$JAR" "dev.ixws.benchmarks.servers.$(class_of "$server")" 0 > "$OUT" 2> /dev/null &
    pid=$!
    for _ in $(seq 100); do grep -q '^PORT ' "$OUT" && break; sleep 0.1; done
    port=$(awk '/^PORT /{ print $2; exit }' "$OUT")
    heap0=$(live_kb "$pid"); rss0=$(rss_kb "$pid"); fd0=$(fds "$pid")
    # Held long enough for the readings; 19,000 handshakes take a few seconds on one core.
    taskset -c 0 "$HERE/target/c-storm" --url "ws://127.0.0.1:$port/" --connections "$n" \
      --hold-ms 15000 --handshake-timeout 60 --quiet --json "$OUT.storm" 2> "$OUT.err" &
    storm=$!
    for _ in $(seq 600); do
      [ $(( $(fds "$pid") - fd0 )) -ge "$n" ] && break
      sleep 0.05
    done
    sleep 0.5
    held=$(( $(fds "$pid") - fd0 ))
    if [ "$held" -lt $((n * 95 / 100)) ]; then
      echo "$server: only $held of $n connections held; c-storm: $(cat "$OUT.err" "$OUT.storm" 2> /dev/null | tail -c 400)" >&2
    fi
    heap=$(live_kb "$pid"); rss=$(rss_kb "$pid")
    kill "$storm" 2> /dev/null || true; wait "$storm" 2> /dev/null || true
    kill "$pid"; wait "$pid" 2> /dev/null || true
    echo "{\"server\":\"$server\",\"connections\":$n,\"held\":$held,\"heapBeforeKb\":$heap0,\"heapKb\":$heap,\"rssBeforeKb\":$rss0,\"rssKb\":$rss}" | tee -a "$RESULTS/scale.jsonl.tmp" >&2
  done
done

/usr/bin/python3 - "$RESULTS/scale.jsonl.tmp" "$RESULTS/scale.json" << 'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
json.dump(rows, open(sys.argv[2], "w"), indent=1)

def fit(points):  # least squares: (slope, intercept)
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0
    return slope, my - slope * mx

print("| server | idle connections held | live heap (MB) | heap per connection (KB) | RSS (MB) | RSS per connection (KB) |")
print("|---|---|---|---|---|---|")
for r in rows:
    dh, dr = r["heapKb"] - r["heapBeforeKb"], r["rssKb"] - r["rssBeforeKb"]
    print("| %s | %d | %.1f | %.2f | %.1f | %.2f |" % (r["server"], r["held"], r["heapKb"] / 1024, dh / max(1, r["held"]), r["rssKb"] / 1024, dr / max(1, r["held"])))
print()
print("| server | heap growth per connection (KB, slope) | RSS growth per connection (KB, slope) | predicted live heap at 1M (GB) | predicted RSS at 1M (GB) |")
print("|---|---|---|---|---|")
for server in dict.fromkeys(r["server"] for r in rows):
    rs = [r for r in rows if r["server"] == server]
    if len(rs) < 2:
        continue
    hs, hi = fit([(r["held"], r["heapKb"]) for r in rs])
    ms, mi = fit([(r["held"], r["rssKb"]) for r in rs])
    print("| %s | %.2f | %.2f | %.1f | %.1f |" % (server, hs, ms, (hi + hs * 1e6) / 1024 / 1024, (mi + ms * 1e6) / 1024 / 1024))
PY
rm -f "$RESULTS/scale.jsonl.tmp"
