#!/usr/bin/env bash
# HTTP server benchmark (issue 16): requests/s and p99 latency measured by wrk (keep-alive) against
# our HttpServer (callbacks on its pool, and inline on the event loop), raw Netty 4.2
# (HttpServerCodec, one flush per response), Vert.x 5 core and, for the 1 MB file, nginx.
# Rows: a 100-byte response from memory (GET /small) and a 1 MB file (GET /file.bin, zero-copy
# where the server does it). Each server runs on core 1, wrk on core 0 (one thread); each Java
# server gets a fresh JVM per run and a WARMUP-second wrk run first; the servers alternate RUNS
# times (A B C D A B C D ...); prints every run, then the medians and the ratios to ixws.
# Usage: benchmarks/httpd-bench.sh
#   (RUNS=3 DURATION=10 WARMUP=5 CONNECTIONS=64 SERVERS="ixws ixws-inline netty vertx nginx")
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
RUNS="${RUNS:-3}"; DURATION="${DURATION:-10}"; WARMUP="${WARMUP:-5}"; CONNECTIONS="${CONNECTIONS:-64}"
SERVERS="${SERVERS:-ixws ixws-inline netty vertx nginx}"
JAR="$HERE/target/benchmarks.jar"
[ -f "$JAR" ] || { echo "build first: mvn -B -o package -pl benchmarks -am -DskipTests" >&2; exit 2; }
command -v wrk > /dev/null || { echo "wrk is missing (Debian package wrk)" >&2; exit 2; }
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
WORK="$(mktemp -d)"
SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2> /dev/null || true
    wait "$SERVER_PID" 2> /dev/null || true
    SERVER_PID=""
  fi
  if [ -f "$WORK/nginx.pid" ]; then
    kill "$(cat "$WORK/nginx.pid")" 2> /dev/null || true
    rm -f "$WORK/nginx.pid"
    sleep 0.3
  fi
}
trap 'stop_server; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/www"
head -c 1048576 /dev/urandom > "$WORK/www/file.bin"
head -c 99 /dev/zero | tr '\0' 'x' > "$WORK/www/small"; echo >> "$WORK/www/small"
chmod 755 "$WORK" "$WORK/www"; chmod 644 "$WORK/www/"*

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Starts server $1 on core 1; sets PORT.
start_server() {
  if [ "$1" = nginx ]; then
    PORT=$(free_port)
    cat > "$WORK/nginx.conf" << CONF
worker_processes 1;
error_log $WORK/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
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
    return
  fi
  : > "$WORK/server.out"
  taskset -c 1 java -Xmx1g -XX:+UseG1GC -cp "$JAR" dev.ixws.benchmarks.http.HttpdServers "$1" "$WORK/www" \
    > "$WORK/server.out" 2> "$WORK/server.err" &
  SERVER_PID=$!
  for _ in $(seq 300); do
    if grep -q '^PORT ' "$WORK/server.out"; then
      PORT="$(awk '/^PORT /{print $2; exit}' "$WORK/server.out")"
      return 0
    fi
    sleep 0.1
  done
  echo "server $1 did not start:" >&2; cat "$WORK/server.err" >&2; exit 1
}

# wrk for $2 seconds on path $1; prints one JSON line {rps, p99us, errors}.
measure() {
  taskset -c 0 wrk -t1 -c"$CONNECTIONS" -d"$2"s --timeout 10s --latency "http://127.0.0.1:$PORT$1" > "$WORK/wrk.out" 2>&1 || true
  python3 - "$WORK/wrk.out" << 'PY'
import json, re, sys
text = open(sys.argv[1]).read()
def micros(v):
    m = re.match(r"([\d.]+)(us|ms|s)", v)
    return float(m.group(1)) * {"us": 1, "ms": 1000, "s": 1000000}[m.group(2)]
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
p99 = re.search(r"^\s+99%\s+(\S+)", text, re.M)
errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
errors += int(non2xx.group(1)) if non2xx else 0
print(json.dumps({"rps": float(rps.group(1)) if rps else 0.0,
                  "p99us": micros(p99.group(1)) if p99 else 0.0, "errors": errors}))
PY
}

echo "wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}') -t1 -c$CONNECTIONS on core 0, servers on core 1; ${DURATION}s per row after ${WARMUP}s; RUNS=$RUNS" >&2
: > "$WORK/all.jsonl"
for r in $(seq "$RUNS"); do
  for s in $SERVERS; do
    start_server "$s"
    curl -sf "http://127.0.0.1:$PORT/file.bin" -o /dev/null || { echo "$s does not serve /file.bin" >&2; exit 1; }
    rows="small file"
    [ "$s" = nginx ] && rows="file"
    measure /small "$WARMUP" > /dev/null
    measure /file.bin 2 > /dev/null
    for row in $rows; do
      path=/small; [ "$row" = file ] && path=/file.bin
      line=$(measure "$path" "$DURATION")
      line=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d.update(server=sys.argv[2], row=sys.argv[3], run=int(sys.argv[4])); print(json.dumps(d))' "$line" "$s" "$row" "$r")
      echo "$line"
      echo "$line" >> "$WORK/all.jsonl"
    done
    stop_server
  done
done
python3 - "$WORK/all.jsonl" << 'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
for row, title in (("small", "100-byte response, keep-alive"), ("file", "1 MB file, keep-alive")):
    by = {}
    for r in rows:
        if r["row"] == row:
            by.setdefault(r["server"], []).append(r)
    if not by:
        continue
    med = {s: (statistics.median(x["rps"] for x in rs), statistics.median(x["p99us"] for x in rs),
               sum(x["errors"] for x in rs)) for s, rs in by.items()}
    ours = med.get("ixws", (1, 0, 0))[0] or 1
    print("\n%s" % title)
    print("| server | requests/s (median) | vs ixws | p99 (median) | errors |")
    print("|---|---|---|---|---|")
    for s, (rps, p99, errors) in med.items():
        print("| %s | %s | %.2fx | %.2f ms | %d |" % (s, format(round(rps), ","), rps / ours, p99 / 1000, errors))
PY
