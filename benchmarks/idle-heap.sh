#!/usr/bin/env bash
# Heap per idle connection of `ixws echo-server`, with per-message deflate negotiated and without:
# a fresh server per run (-Xmx2g, G1, core 1), c-storm (core 0) opens N connections offering
# `permessage-deflate; client_max_window_bits` or nothing and holds them idle; the live heap after a
# full GC, before and while they are held, divided by N. RUNS alternating runs of each; prints every
# run and the medians. Usage: benchmarks/idle-heap.sh [N (5000)]; RUNS=3 by default.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
N="${1:-5000}"
RUNS="${RUNS:-3}"
JAR="$ROOT/ixws-netty-cli/target/ixws.jar"
[ -f "$JAR" ] || { echo "build first: mvn -B -o package -pl ixws-netty-cli -am -DskipTests" >&2; exit 2; }
mkdir -p "$HERE/target"
gcc -O2 -o "$HERE/target/c-storm" "$HERE/peers/c-storm.c" -lssl -lcrypto

# shellcheck source=live-heap.sh
source "$HERE/live-heap.sh"

one_run() { # "deflate"|"plain" -> KB per connection
  local port=$((20000 + RANDOM % 20000))
  taskset -c 1 java -Xmx2g -XX:+UseG1GC -jar "$JAR" echo-server --port "$port" > /dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 100); do (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null && break; sleep 0.1; done
  local before
  before=$(live_kb "$pid")
  local ext=()
  [ "$1" = deflate ] && ext=(--extensions "permessage-deflate; client_max_window_bits")
  taskset -c 0 "$HERE/target/c-storm" --url "ws://127.0.0.1:$port/" --connections "$N" \
    --hold-ms 8000 --quiet "${ext[@]}" --json /dev/null &
  local storm=$!
  local fds0
  fds0=$(ls "/proc/$pid/fd" | wc -l)
  for _ in $(seq 200); do
    [ $(( $(ls "/proc/$pid/fd" | wc -l) - fds0 )) -ge $((N * 95 / 100)) ] && break
    sleep 0.05
  done
  sleep 1
  local held=$(( $(ls "/proc/$pid/fd" | wc -l) - fds0 ))
  local idle
  idle=$(live_kb "$pid")
  wait "$storm" || true
  kill "$pid"; wait "$pid" 2> /dev/null || true
  awk -v a="$before" -v b="$idle" -v n="$held" 'BEGIN { printf "%.2f\n", (b - a) / n }'
}

plain=(); deflate=()
for r in $(seq "$RUNS"); do
  p=$(one_run plain); d=$(one_run deflate)
  echo "run $r: plain ${p} KB/conn, deflate negotiated ${d} KB/conn"
  plain+=("$p"); deflate+=("$d")
done
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "median: plain $(median "${plain[@]}") KB/conn, deflate negotiated $(median "${deflate[@]}") KB/conn ($N idle connections)"
