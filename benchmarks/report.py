#!/usr/bin/python3
"""Tables and charts from the raw end-to-end results.

Usage: /usr/bin/python3 benchmarks/report.py benchmarks/results docs
Reads RESULTS/*.json (written by `benchmarks/run.sh full`), replaces the part of docs/benchmarks.md
between the "generated tables" markers, and draws docs/img/bench-*.png (needs python3-matplotlib;
without it the tables are still written).
"""
import json
import os
import statistics
import sys

BEGIN = "<!-- generated tables: begin (benchmarks/report.py) -->"
END = "<!-- generated tables: end -->"
BASELINE = "netty"
SERVER_ORDER = ["ixws", "netty", "vertx", "java-websocket", "jetty", "node", "c"]
CLIENT_ORDER = ["ixws", "netty", "jdk", "okhttp", "java-websocket", "jetty"]
RUN = "benchmarks/run.sh full"
STORMS = ("s4-storm", "s4-cold", "tls-storm-boringssl", "tls-storm-jdk")  # rows without messages: handshakes only
CEILING = "c"
IXWS_BENCH = "taskset -c 0 java -jar ixws-netty-cli/target/ixws.jar bench --url ws://127.0.0.1:PORT/"
C_LOAD = "taskset -c 0 benchmarks/target/c-load --url ws://127.0.0.1:PORT/ --server-pid PID"
STORMGEN = "taskset -c 0 benchmarks/target/c-storm --url ws://127.0.0.1:PORT/"
SERVER = "taskset -c 1 java -cp benchmarks/target/benchmarks.jar dev.ixws.benchmarks.servers.<Server>EchoServer 0"


def load(results, name):
    path = os.path.join(results, name + ".json")
    if not os.path.exists(path):
        return []
    rows = json.load(open(path))
    # A load run that got no echo at all (or no result) is listed under its table, not averaged.
    return [r for r in rows if not r.get("failed") and (r.get("messages", 0) > 0 or name in STORMS)]


def dropped(results, name):
    rows = load_all(results, name)
    bad = [
        "%s/%s run %s" % (r.get("server"), r.get("client"), r.get("run"))
        for r in rows
        if r.get("failed") or (name not in STORMS and r.get("messages", 0) <= 0)
    ]
    return ["", "Runs without a result (no echo, or the load generator gave up), left out: " + ", ".join(bad) + "."] if bad else []


def load_all(results, name):
    path = os.path.join(results, name + ".json")
    return json.load(open(path)) if os.path.exists(path) else []


def group(rows, key):
    out = {}
    for r in rows:
        out.setdefault(r[key], []).append(r)
    return out


def ordered(groups, order):
    return [k for k in order if k in groups] + sorted(k for k in groups if k not in order)


def stats(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return statistics.median(values), min(values), max(values)


def fmt(s, unit="", digits=0):
    if s is None:
        return "n/a"
    med, lo, hi = s
    f = "{:,.%df}" % digits
    return "%s%s (%s–%s)" % (f.format(med), unit, f.format(lo), f.format(hi))


def ratio(s, base, inverse=False):
    if s is None or base is None or base[0] == 0 or s[0] == 0:
        return "n/a"
    return "%.2f×" % (base[0] / s[0] if inverse else s[0] / base[0])


def lat(r, p):
    return r.get("latencyMicros", {}).get(p)


def load_gen(groups):
    """The reproduce command of the load generator the rows used, and a sentence naming it."""
    gens = sorted({r.get("loadGenerator", "ixws bench") for rs in groups.values() for r in rs})
    return (C_LOAD if gens == ["c-load"] else IXWS_BENCH), "Load generator: %s." % " and ".join("`%s`" % g for g in gens)


def cpu_cells(rs):
    """Server CPU (% of its core), messages per server CPU-second, the generator's CPU (% of its core)."""
    return (
        fmt(stats([r.get("serverCpuPercent") for r in rs])),
        fmt(stats([r.get("messagesPerServerCpuSec") for r in rs])),
        fmt(stats([r.get("cpuPercent") for r in rs if r.get("cpuPercent", -1) >= 0])),
    )


def chart(img_dir, name, title, labels, stats_list, ylabel):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        sys.exit("error: the charts need matplotlib (Debian package python3-matplotlib)")
    meds = [s[0] if s else 0 for s in stats_list]
    lows = [s[0] - s[1] if s else 0 for s in stats_list]
    highs = [s[2] - s[0] if s else 0 for s in stats_list]
    fig, ax = plt.subplots(figsize=(7, 3.6))
    colors = ["#d62728" if l == "ixws" else "#1f77b4" for l in labels]
    ax.bar(labels, meds, yerr=[lows, highs], capsize=4, color=colors)
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    os.makedirs(img_dir, exist_ok=True)
    fig.savefig(os.path.join(img_dir, name), dpi=90)
    plt.close(fig)
    return "img/" + name


DEFLATE_ROWS = [("d1-json1k", "1 KB JSON, 50 connections × 8 in flight"), ("d2-json16k", "16 KB JSON, 10 × 4"), ("d3-json1m", "1 MB JSON, 2 × 1")]


def deflate_tables(results):
    """The permessage-deflate rows (`benchmarks/run.sh deflate`), one table per context setting."""
    out = []
    for ctx, title in (("on", "context takeover (the default offer)"), ("off", "no context takeover (client_ and server_no_context_takeover)")):
        rows = [(name, label, group(load(results, "%s-ctx-%s" % (name, ctx)), "server")) for name, label in DEFLATE_ROWS]
        if not any(g for _, _, g in rows):
            continue
        if not out:
            out += [
                "### Per-message deflate: typical JSON, compression negotiated",
                "",
                "Load generator: `c-load --json-payload --deflate` (16 different JSON messages sent in turn, each compressed "
                "once up front with zlib; the echoes inflated and their size checked). Ratio: payload bytes / bytes on the wire "
                "(both ways, frame headers included). Servers: ours (JDK zlib, level 6), node `ws` (node's zlib, level 6, "
                "threshold 0), raw Netty with its permessage-deflate handshaker (level 6).",
                "",
                "Reproduce: `benchmarks/run.sh deflate` (tables: `d*-json*-ctx-on|off`); by hand: `%s --json-payload --deflate --size 1024 --connections 50 --in-flight 8` (add `--no-context-takeover`)." % C_LOAD,
                "",
            ]
        out += [
            "#### " + title,
            "",
            "| message | server | messages/s | ratio to Netty | ratio to node | MB/s (payload) | wire ratio | server CPU % | generator CPU % |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for _, label, g in rows:
            base = stats([r["messagesPerSec"] for r in g.get(BASELINE, [])])
            node = stats([r["messagesPerSec"] for r in g.get("node", [])])
            for k in ordered(g, SERVER_ORDER):
                rs = g[k]
                s = stats([r["messagesPerSec"] for r in rs])
                wire = stats([r["payloadBytes"] / (r["wireBytesSent"] + r["wireBytesReceived"]) for r in rs if r.get("wireBytesSent")])
                cpu = cpu_cells(rs)
                out.append(
                    "| %s | %s | %s | %s | %s | %s | %s | %s | %s |"
                    % (label, k, fmt(s), ratio(s, base), ratio(s, node), fmt(stats([r["mbPerSec"] for r in rs]), "", 1), fmt(wire, "", 2), cpu[0], cpu[2])
                )
        for name, _, _ in rows:
            out += dropped(results, "%s-ctx-%s" % (name, ctx))
        out.append("")
    return out


TLS_ENGINES = [("boringssl", "BoringSSL (netty-tcnative)"), ("jdk", "the JDK's engine")]


def tls_tables(results):
    """The TLS rows (`benchmarks/run.sh tls`): one table per engine, then BoringSSL over the JDK."""
    out = []
    figures = {}  # (engine, server) -> (echo64 msg/s, 1 MB MB/s, handshakes/s) stats
    for engine, title in TLS_ENGINES:
        echo = group(load(results, "tls-echo64-" + engine), "server")
        big = group(load(results, "tls-1m-" + engine), "server")
        storm = group(load(results, "tls-storm-" + engine), "server")
        if not (echo or big or storm):
            continue
        if not out:
            out += [
                "### TLS: wss:// echo and TLS handshakes",
                "",
                "Load generators: `c-load` and `c-storm` over OpenSSL (`benchmarks/peers/tls-io.h`: full handshakes, no session "
                "resumption, the certificate not verified). Certificate: RSA 2048, self-signed. Every server with the same engine "
                "in each table: ours (`SocketTLSOptions`, `-Ddev.ixws.tls.engine`), raw Netty (`SslContextBuilder.forServer`, "
                "`SslProvider.OPENSSL` or `JDK`), Vert.x (`PemKeyCertOptions`, `OpenSSLEngineOptions` or `JdkSSLEngineOptions`). "
                "Handshakes/s: a storm of connections (TCP, TLS, WebSocket upgrade) after two unrecorded ones.",
                "",
                "Reproduce: `benchmarks/run.sh tls` (tables: `tls-*`); by hand: `%s` with `--tls CERT KEY` and `-Ddev.ixws.tls.engine=boringssl|jdk`, "
                "then `taskset -c 0 benchmarks/target/c-load --url wss://127.0.0.1:PORT/ --connections 100 --in-flight 16 --size 64` "
                "and `taskset -c 0 benchmarks/target/c-storm --url wss://127.0.0.1:PORT/ --connections 2000`." % SERVER,
                "",
            ]
        out += [
            "#### " + title,
            "",
            "| server | 64 B: messages/s | ratio to Netty | ratio to Vert.x | 1 MB: MB/s | ratio to Netty | ratio to Vert.x | handshakes/s | ratio to Netty | ratio to Vert.x | generator CPU % (64 B, storm) |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]

        def col(g, k, field):
            return stats([r[field] for r in g.get(k, [])])

        for k in ordered({**echo, **big, **storm}, SERVER_ORDER):
            e, b, h = col(echo, k, "messagesPerSec"), col(big, k, "mbPerSec"), col(storm, k, "connectPerSec")
            figures[(engine, k)] = (e, b, h)
            gen = "%s, %s" % (cpu_cells(echo.get(k, []))[2], cpu_cells(storm.get(k, []))[2])
            out.append(
                "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |"
                % (
                    k,
                    fmt(e), ratio(e, col(echo, BASELINE, "messagesPerSec")), ratio(e, col(echo, "vertx", "messagesPerSec")),
                    fmt(b), ratio(b, col(big, BASELINE, "mbPerSec")), ratio(b, col(big, "vertx", "mbPerSec")),
                    fmt(h), ratio(h, col(storm, BASELINE, "connectPerSec")), ratio(h, col(storm, "vertx", "connectPerSec")),
                    gen,
                )
            )
        for name in ("tls-echo64-", "tls-1m-", "tls-storm-"):
            out += dropped(results, name + engine)
        out.append("")
    servers = sorted({k for _, k in figures}, key=lambda k: SERVER_ORDER.index(k) if k in SERVER_ORDER else 99)
    if any(("jdk", k) in figures and ("boringssl", k) in figures for k in servers):
        out += [
            "#### BoringSSL's lead over the JDK's engine (median BoringSSL / median JDK)",
            "",
            "| server | 64 B messages/s | 1 MB MB/s | handshakes/s |",
            "|---|---|---|---|",
        ]
        for k in servers:
            if ("jdk", k) in figures and ("boringssl", k) in figures:
                bs, jd = figures[("boringssl", k)], figures[("jdk", k)]
                out.append("| %s | %s | %s | %s |" % (k, ratio(bs[0], jd[0]), ratio(bs[1], jd[1]), ratio(bs[2], jd[2])))
        out.append("")
    return out


def main():
    results, docs = sys.argv[1], sys.argv[2]
    img = os.path.join(docs, "img")
    meta = {}
    if os.path.exists(os.path.join(results, "meta.json")):
        meta = json.load(open(os.path.join(results, "meta.json")))
    out = []
    out.append(
        "Run of %s (commit %s, %s runs per system, %s cores). Machine load: before `%s`; after `%s`."
        % (
            meta.get("date", "?"),
            meta.get("commit", "?"),
            meta.get("runs", "?"),
            meta.get("nproc", "?"),
            meta.get("uptimeBefore", "?").strip(),
            meta.get("uptimeAfter", "?").strip(),
        )
    )
    for name in sorted(os.listdir(results)):
        if name.startswith("meta-") and name.endswith(".json"):
            m = json.load(open(os.path.join(results, name)))
            out.append(
                "Re-run of scenarios `%s` on %s (commit %s): load before `%s`; after `%s`."
                % (name[5:-5], m.get("date", "?"), m.get("commit", "?"), m.get("uptimeBefore", "?").strip(), m.get("uptimeAfter", "?").strip())
            )
    out.append("")
    out.append(
        "Each cell: median (min–max) over the runs. Ratio: median divided by the raw Netty median "
        "(for latency: Netty's latency divided by this one, so above 1× is better everywhere)."
    )
    out.append("")

    # Scenario 1
    g = group(load(results, "s1-echo64"), "server")
    if g:
        base = stats([r["messagesPerSec"] for r in g.get(BASELINE, [])])
        ceiling = stats([r["messagesPerSec"] for r in g.get(CEILING, [])])
        gen, gen_note = load_gen(g)
        out += [
            "### Scenario 1: echo, 64-byte binary, 100 connections × 16 in flight",
            "",
            gen_note + " Server CPU: percent of its core over the measured seconds; efficiency: messages per server CPU-second.",
            "",
            "Reproduce: `%s` (table: `s1-echo64`); one run by hand: `%s` and `%s --connections 100 --in-flight 16 --size 64 --warmup 1 --duration 3`."
            % (RUN, SERVER, gen),
            "",
            "| server | messages/s | ratio to Netty | ratio to C | p50 µs | p99 µs | server CPU % | messages per server CPU-s | generator CPU % | server threads | errors |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        labels, sl = [], []
        for k in ordered(g, SERVER_ORDER):
            rs = g[k]
            s = stats([r["messagesPerSec"] for r in rs])
            labels.append(k)
            sl.append(s)
            out.append(
                "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |"
                % (
                    (k, fmt(s), ratio(s, base), ratio(s, ceiling), fmt(stats([lat(r, "p50") for r in rs])), fmt(stats([lat(r, "p99") for r in rs])))
                    + cpu_cells(rs)
                    + (fmt(stats([r.get("serverThreads") for r in rs])), sum(r.get("errors", 0) for r in rs))
                )
            )
        out += dropped(results, "s1-echo64")
        c = chart(img, "bench-s1-echo64.png", "Scenario 1: 64 B echo, 100 conn x 16 in flight", labels, sl, "messages/s")
        if c:
            out += ["", "![scenario 1](%s)" % c]
        out.append("")

    # Scenario 2
    g = group(load(results, "s2-latency"), "server")
    if g:
        b50 = stats([lat(r, "p50") for r in g.get(BASELINE, [])])
        b99 = stats([lat(r, "p99") for r in g.get(BASELINE, [])])
        c50 = stats([lat(r, "p50") for r in g.get(CEILING, [])])
        c99 = stats([lat(r, "p99") for r in g.get(CEILING, [])])
        gen, gen_note = load_gen(g)
        out += [
            "### Scenario 2: latency, 1 connection, 1 in flight, 64 bytes",
            "",
            gen_note,
            "",
            "Reproduce: `%s` (table: `s2-latency`); by hand: `%s --connections 1 --in-flight 1 --size 64 --warmup 1 --duration 2`."
            % (RUN, gen),
            "",
            "| server | p50 µs | ratio (Netty/this) | ratio (C/this) | p99 µs | ratio (Netty/this) | ratio (C/this) | messages/s |",
            "|---|---|---|---|---|---|---|---|",
        ]
        labels, sl = [], []
        for k in ordered(g, SERVER_ORDER):
            rs = g[k]
            s50 = stats([lat(r, "p50") for r in rs])
            s99 = stats([lat(r, "p99") for r in rs])
            labels.append(k)
            sl.append(s50)
            out.append(
                "| %s | %s | %s | %s | %s | %s | %s | %s |"
                % (k, fmt(s50, "", 1), ratio(s50, b50, True), ratio(s50, c50, True), fmt(s99, "", 1), ratio(s99, b99, True), ratio(s99, c99, True), fmt(stats([r["messagesPerSec"] for r in rs])))
            )
        out += dropped(results, "s2-latency")
        c = chart(img, "bench-s2-latency.png", "Scenario 2: round trip p50, 1 conn x 1 in flight", labels, sl, "p50 µs (lower is better)")
        if c:
            out += ["", "![scenario 2](%s)" % c]
        out.append("")

    # Scenario 3
    g16 = group(load(results, "s3-16k"), "server")
    g1m = group(load(results, "s3-1m"), "server")
    if g16 or g1m:
        b16 = stats([r["mbPerSec"] for r in g16.get(BASELINE, [])])
        b1m = stats([r["mbPerSec"] for r in g1m.get(BASELINE, [])])
        c16 = stats([r["mbPerSec"] for r in g16.get(CEILING, [])])
        c1m = stats([r["mbPerSec"] for r in g1m.get(CEILING, [])])
        gen, gen_note = load_gen({**g16, **g1m})
        out += [
            "### Scenario 3: large messages, MB/s (payload sent + received)",
            "",
            gen_note,
            "",
            "Reproduce: `%s` (tables: `s3-16k`, `s3-1m`); by hand: `%s --connections 10 --in-flight 4 --size 16384 --warmup 1 --duration 2` and `... --connections 2 --in-flight 2 --size 1048576`."
            % (RUN, gen),
            "",
            "| server | 16 KB MB/s | ratio to Netty | ratio to C | 1 MB MB/s | ratio to Netty | ratio to C | 1 MB: server CPU % | 1 MB: generator CPU % |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        labels, sl = [], []
        for k in ordered({**g16, **g1m}, SERVER_ORDER):
            s16 = stats([r["mbPerSec"] for r in g16.get(k, [])])
            s1m = stats([r["mbPerSec"] for r in g1m.get(k, [])])
            labels.append(k)
            sl.append(s16)
            cpu = cpu_cells(g1m.get(k, []))
            out.append(
                "| %s | %s | %s | %s | %s | %s | %s | %s | %s |"
                % (k, fmt(s16), ratio(s16, b16), ratio(s16, c16), fmt(s1m), ratio(s1m, b1m), ratio(s1m, c1m), cpu[0], cpu[2])
            )
        out += dropped(results, "s3-16k") + dropped(results, "s3-1m")
        c = chart(img, "bench-s3-16k.png", "Scenario 3: 16 KB echo, 10 conn x 4 in flight", labels, sl, "MB/s")
        if c:
            out += ["", "![scenario 3](%s)" % c]
        out.append("")

    # Scenario 4
    g = group(load(results, "s4-storm"), "server")
    g_cold = group(load(results, "s4-cold"), "server")
    if g:
        base = stats([r["connectPerSec"] for r in g.get(BASELINE, [])])
        storm = int(statistics.median([r["connections"] for rs in g.values() for r in rs]))
        # Rows without the field come from runs before c-storm, all driven by `ixws bench`.
        gens = sorted({r.get("loadGenerator", "ixws bench") for rs in g.values() for r in rs})
        gen_note = "Load generator: %s." % " and ".join("`%s`" % x for x in gens)
        if "c-storm" in gens:
            # c-storm's CPU per server (median over the runs): near a full core it may be the bound.
            cpu = {
                k: stats([r["cpuPercent"] for r in rs if r.get("loadGenerator") == "c-storm" and r.get("cpuPercent", -1) >= 0])
                for k, rs in g.items()
            }
            busy = [k for k in ordered(g, SERVER_ORDER) if cpu[k] and cpu[k][0] >= 80]
            low = [cpu[k][0] for k in g if cpu[k] and k not in busy]
            gen_note += " c-storm (`benchmarks/peers/c-storm.c`, a single-threaded C epoll client, at most 200 handshakes in progress)"
            if low:
                gen_note += " used at most %.0f%% of its core against %s, so those figures are the servers' own ceilings" % (
                    max(low),
                    "the other servers" if busy else "every server",
                )
            if busy:
                gen_note += "%s %s of its core against %s: %s may be bound by the generator (a lower bound of the server's ceiling)" % (
                    "; it used" if low else " used",
                    ", ".join("%.0f%%" % cpu[k][0] for k in busy),
                    ", ".join(busy),
                    "those figures" if len(busy) > 1 else "that figure",
                )
            gen_note += "."
        out += [
            "### Scenario 4: connection storm, {:,} connections".format(storm),
            "",
            gen_note,
            "",
            "Reproduce: `%s` (table: `s4-storm`); by hand: `%s --connections %d --connect-rate-only --handshake-timeout 60`. "
            "RSS per connection = (server peak RSS during the storm − server RSS before it) / connections opened. "
            "Heap per connection (JVM servers) = (live heap while the connections are held idle − live heap before the storm) "
            "/ connections held, each live heap read after a full GC (`jcmd PID GC.run`, then `GC.heap_info`: see `benchmarks/run.sh`)."
            % (RUN, STORMGEN if gens == ["c-storm"] else LOADGEN, storm),
            "",
            "Warm: the storm after scenarios 1-3 and four unrecorded storms on the same process. Cold: "
            + (
                "the first storm of a freshly started process (`s4-cold`, one process per run)."
                if g_cold
                else "the first of the four warm-up storms, on a process that has run scenarios 1-3."
            ),
            "",
            "| server | warm: handshakes/s | ratio to Netty | cold: handshakes/s | ratio to Netty | server RSS per connection (KB) | server heap per connection (KB) | connect errors |",
            "|---|---|---|---|---|---|---|---|",
        ]
        labels, sl = [], []
        missed = []

        def cold_stats(k):
            if g_cold:
                return stats([r["connectPerSec"] for r in g_cold.get(k, [])])
            # Older runs: the first warm-up storm (a never-run handshake path, after scenarios 1-3).
            return stats([r["warmupConnectPerSec"][0] for r in g.get(k, []) if (r.get("warmupConnectPerSec") or [None])[0]])

        cold_base = cold_stats(BASELINE)
        for k in ordered(g, SERVER_ORDER):
            rs = g[k]
            s = stats([r["connectPerSec"] for r in rs])
            cold = cold_stats(k)
            per = stats(
                [
                    (r["serverHwmKb"] - r["serverRssBeforeKb"]) / max(1, r.get("connected", r["connections"]))
                    for r in rs
                    if r.get("serverHwmKb")
                ]
            )
            heap = stats(
                [
                    (r["serverHeapIdleKb"] - r["serverHeapBeforeKb"])
                    / max(1, r.get("serverHeapIdleConnections") or r.get("connected", r["connections"]))
                    for r in rs
                    if r.get("serverHeapIdleKb") is not None and r.get("serverHeapBeforeKb") is not None
                ]
            )
            missed += ["%s run %s (%s)" % (k, r.get("run"), r["serverHeapNote"]) for r in rs if r.get("serverHeapNote")]
            labels.append(k)
            sl.append(s)
            out.append(
                "| %s | %s | %s | %s | %s | %s | %s | %d |"
                % (
                    k,
                    fmt(s),
                    ratio(s, base),
                    fmt(cold) if cold else "–",
                    ratio(cold, cold_base),
                    fmt(per, "", 1),
                    fmt(heap, "", 2) if heap else "–",
                    sum(r.get("errors", 0) for r in rs),
                )
            )
        out += dropped(results, "s4-storm") + dropped(results, "s4-cold")
        if missed:
            out += ["", "Runs without a heap reading: " + "; ".join(missed) + "."]
        c = chart(img, "bench-s4-storm.png", "Scenario 4: {:,}-connection storm".format(storm), labels, sl, "handshakes/s")
        if c:
            out += ["", "![scenario 4](%s)" % c]
        out.append("")

    # Scenario 5
    out += deflate_tables(results)
    out += tls_tables(results)

    g = group(load(results, "s5-client"), "client")
    if g:
        base = stats([r["messagesPerSec"] for r in g.get(BASELINE, [])])
        s5_servers = sorted({r["server"] for rs in g.values() for r in rs})
        against = " and ".join("the C echo server" if s == "c" else "our echo server" if s == "ixws" else s for s in s5_servers)
        out += [
            "### Scenario 5: client side, 100 connections × 16 in flight, 64 bytes, against %s" % against,
            "",
            "Reproduce: `%s` (table: `s5-client`); by hand: `ixws bench` as above, or `taskset -c 0 java -cp benchmarks/target/benchmarks.jar dev.ixws.benchmarks.clients.<Client> --url ws://127.0.0.1:PORT/ --connections 100 --in-flight 16 --size 64 --warmup 1 --duration 3 --json -` with Client one of NettyClient, JdkClient, OkHttpClientDriver, JavaWebSocketClient, JettyClient."
            % RUN,
            "",
            "| client | messages/s | ratio to Netty | p99 µs | client threads | client RSS MB |",
            "|---|---|---|---|---|---|",
        ]
        labels, sl = [], []
        for k in ordered(g, CLIENT_ORDER):
            rs = g[k]
            s = stats([r["messagesPerSec"] for r in rs])
            labels.append(k)
            sl.append(s)
            out.append(
                "| %s | %s | %s | %s | %s | %s |"
                % (k, fmt(s), ratio(s, base), fmt(stats([lat(r, "p99") for r in rs])), fmt(stats([r.get("threads") for r in rs])), fmt(stats([r.get("rssKb", 0) / 1024 for r in rs])))
            )
        out += dropped(results, "s5-client")
        c = chart(img, "bench-s5-client.png", "Scenario 5: clients, 100 conn x 16 in flight", labels, sl, "messages/s")
        if c:
            out += ["", "![scenario 5](%s)" % c]
        out.append("")
    g = group(load(results, "s5-10k"), "client")
    if g:
        out += [
            "### Scenario 5b: one client JVM holding 10,000 connections (1 in flight each, one run)",
            "",
            "Reproduce: `%s` (table: `s5-10k`); by hand: the client command above with `--connections 10000 --in-flight 1 --warmup 1 --duration 3`."
            % RUN,
            "",
            "| client | connected/s | messages/s | client threads | client RSS MB | errors |",
            "|---|---|---|---|---|---|",
        ]
        for k in ordered(g, CLIENT_ORDER):
            rs = g[k]
            out.append(
                "| %s | %s | %s | %s | %s | %d |"
                % (k, fmt(stats([r.get("connectPerSec") for r in rs])), fmt(stats([r["messagesPerSec"] for r in rs])), fmt(stats([r.get("threads") for r in rs])), fmt(stats([r.get("rssKb", 0) / 1024 for r in rs])), sum(r.get("errors", 0) for r in rs))
            )
        out += dropped(results, "s5-10k")
        out.append("")

    md = os.path.join(docs, "benchmarks.md")
    text = open(md).read()
    if BEGIN not in text or END not in text:
        sys.exit("markers missing in " + md)
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    open(md, "w").write(head + BEGIN + "\n\n" + "\n".join(out) + "\n" + END + tail)
    print("wrote", md)


if __name__ == "__main__":
    main()
