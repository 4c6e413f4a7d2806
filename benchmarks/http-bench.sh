#!/usr/bin/env bash
# HTTP client benchmark: requests/s and latency of our HttpClient, the JDK's HttpClient and
# OkHttp 5 against one nginx (a small static response, keep-alive), 64 requests in flight by
# default. nginx runs on core 1 (one worker), each client on core 0 (-Xmx2g, G1), the clients
# alternating RUNS times (A B C A B C ...); prints every run, the medians and the ratios to ours.
# Usage: benchmarks/http-bench.sh   (RUNS=3 CONCURRENCY=64 DURATION=10 WARMUP=3 SIZE=100)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
RUNS="${RUNS:-3}"; CONCURRENCY="${CONCURRENCY:-64}"; DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-3}"; SIZE="${SIZE:-100}"; CLIENTS="${CLIENTS:-ixws jdk okhttp}"
JAR="$HERE/target/benchmarks.jar"
[ -f "$JAR" ] || { echo "build first: mvn -B -o package -pl benchmarks -am -DskipTests" >&2; exit 2; }
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[ -x "$NGINX" ] || { echo "nginx is missing (Debian package nginx)" >&2; exit 2; }
WORK="$(mktemp -d)"
trap '[ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2> /dev/null; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/www"
head -c "$SIZE" /dev/zero | tr '\0' 'x' > "$WORK/www/small"
# nginx's worker runs as another user when started as root: it must read what it serves.
chmod 755 "$WORK" "$WORK/www"
chmod 644 "$WORK/www/small"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$WORK/nginx.conf" << CONF
worker_processes 1;
error_log $WORK/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  keepalive_timeout 60s;
  server {
    listen 127.0.0.1:$PORT;
    root $WORK/www;
  }
}
CONF
taskset -c 1 "$NGINX" -p "$WORK" -c "$WORK/nginx.conf" -g "daemon on; pid $WORK/nginx.pid;"
sleep 0.5
URL="http://127.0.0.1:$PORT/small"
curl -sf "$URL" > /dev/null || { echo "nginx does not answer $URL" >&2; exit 1; }
echo "nginx $(nginx -v 2>&1 | sed 's/.*\///') on core 1 serving $SIZE bytes; $CONCURRENCY in flight, ${DURATION}s after ${WARMUP}s; RUNS=$RUNS" >&2
: > "$WORK/all.jsonl"
for r in $(seq "$RUNS"); do
  for c in $CLIENTS; do
    line=$(taskset -c 0 java -Xmx2g -XX:+UseG1GC -cp "$JAR" dev.ixws.benchmarks.http.HttpLoad \
      --client "$c" --url "$URL" --concurrency "$CONCURRENCY" --duration "$DURATION" --warmup "$WARMUP" 2> "$WORK/err" | tail -1)
    echo "run $r $line"
    echo "$line" >> "$WORK/all.jsonl"
  done
done
python3 - "$WORK/all.jsonl" << 'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
by = {}
for r in rows:
    by.setdefault(r["client"], []).append(r)
med = {c: {k: statistics.median(x[k] for x in rs) for k in ("requestsPerSec", "cpuPercent", "threads")}
       | {"p99": statistics.median(x["latencyMicros"]["p99"] for x in rs), "errors": sum(x["errors"] for x in rs)}
       for c, rs in by.items()}
ours = med.get("ixws", {}).get("requestsPerSec") or 1
print("| client | requests/s (median) | vs ixws | p99 us | threads | CPU % of a core | errors |")
print("|---|---|---|---|---|---|---|")
for c, m in med.items():
    print("| %s | %s | %.2fx | %.0f | %d | %.0f | %d |" % (c, format(round(m["requestsPerSec"]), ","), m["requestsPerSec"] / ours, m["p99"], m["threads"], m["cpuPercent"], m["errors"]))
PY
