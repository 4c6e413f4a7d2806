package dev.ixws.cli;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The figures of one {@code ixws bench} run, printed as a table for people and as JSON for tools.
 *
 * <p>Throughput counts the echoes received during the measurement window; MB/s counts the payload
 * bytes both ways (sent plus received, frame headers excluded), 1 MB = 10^6 bytes. Latencies are
 * round trips in microseconds, from the send of a message to the receipt of its echo.
 *
 * @param settings what was asked
 * @param connected connections opened
 * @param connectNanos from the first connection attempt until every attempt ended
 * @param connectFailures attempts that failed (refused, timed out, handshake rejected)
 * @param messages echoes received during the measurement window
 * @param measuredNanos the actual length of the measurement window
 * @param latency round trips in nanoseconds, recorded during the window
 * @param unanswered messages whose echo had not come back at the end of the drain
 * @param unexpectedCloses connections closed before the run closed them
 * @param otherErrors failed sends, errors on open connections and echoes of the wrong size or type
 * @param firstError the first error seen, for the report; null when none
 * @param cpuNanos CPU time the client process used during the measurement window (every thread); -1
 *     when unknown
 * @param threads the client's threads at the end (see {@link ProcessStatus})
 * @param rssKb the client's resident memory in kB at the end; -1 when unknown
 * @param payloadBytes message payload bytes sent plus received over the whole run (warm-up
 *     included)
 * @param wireBytes the bytes those messages took on the wire, frame headers included, compressed
 *     when per-message deflate compressed them
 */
record BenchResult(
    BenchRun.Settings settings,
    int connected,
    long connectNanos,
    long connectFailures,
    long messages,
    long measuredNanos,
    Histogram latency,
    long unanswered,
    long unexpectedCloses,
    long otherErrors,
    String firstError,
    long cpuNanos,
    int threads,
    long rssKb,
    long payloadBytes,
    long wireBytes) {

  /** Every error: failed connects, unexpected closes and the others. */
  long errors() {
    return connectFailures + unexpectedCloses + otherErrors;
  }

  double messagesPerSec() {
    return measuredNanos <= 0 ? 0 : messages * 1e9 / measuredNanos;
  }

  /** Payload megabytes (10^6 bytes) per second, sent plus received. */
  double mbPerSec() {
    return messagesPerSec() * settings.size() * 2 / 1e6;
  }

  /**
   * The client's CPU use during the measurement window, in percent of one core (200 = two cores
   * busy); -1 when unknown. Near the number of cores it may use, the figures are bound by this load
   * generator rather than by the server.
   */
  double cpuPercent() {
    return cpuNanos < 0 || measuredNanos <= 0 ? -1 : cpuNanos * 100.0 / measuredNanos;
  }

  /** Wire bytes per payload byte over the run; 0 when nothing was sent. */
  double wireRatio() {
    return payloadBytes == 0 ? 0 : (double) wireBytes / payloadBytes;
  }

  double connectPerSec() {
    return connectNanos <= 0 ? 0 : connected * 1e9 / connectNanos;
  }

  double connectMillis() {
    return connectNanos / 1e6;
  }

  /** The latency at {@code percentile} in microseconds; 0 without samples. */
  double latencyMicros(double percentile) {
    return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile) / 1e3;
  }

  double maxLatencyMicros() {
    return latency.getTotalCount() == 0 ? 0 : latency.getMaxValue() / 1e3;
  }

  double meanLatencyMicros() {
    return latency.getTotalCount() == 0 ? 0 : latency.getMean() / 1e3;
  }

  /** {@code nanos} as microseconds with a unit, for the progress line: {@code 123.4us}. */
  static String micros(long nanos) {
    return String.format(Locale.ROOT, "%.1fus", nanos / 1e3);
  }

  /** The JSON object the command writes with {@code --json}; one line, no trailing newline. */
  String toJson() {
    JsonObject json = new JsonObject();
    json.field("url", settings.url());
    json.field("connections", settings.connections());
    json.field("inFlight", settings.inFlight());
    json.field("size", settings.size());
    json.field("binary", settings.binary());
    json.field("durationSecs", settings.durationSecs());
    json.field("warmupSecs", settings.warmupSecs());
    json.field("connectRateOnly", settings.connectRateOnly());
    json.field("sourceAddresses", settings.sourceAddresses().size());
    json.field("connected", connected);
    json.field("messages", messages);
    json.field("measuredSecs", measuredNanos / 1e9, 3);
    json.field("messagesPerSec", messagesPerSec(), 1);
    json.field("mbPerSec", mbPerSec(), 3);
    json.field("deflate", settings.deflate());
    json.field("payloadBytes", payloadBytes);
    json.field("wireBytes", wireBytes);
    json.field("wireRatio", wireRatio(), 4);
    JsonObject latencyMicros = new JsonObject();
    latencyMicros.field("p50", latencyMicros(50), 1);
    latencyMicros.field("p90", latencyMicros(90), 1);
    latencyMicros.field("p99", latencyMicros(99), 1);
    latencyMicros.field("p999", latencyMicros(99.9), 1);
    latencyMicros.field("max", maxLatencyMicros(), 1);
    latencyMicros.field("mean", meanLatencyMicros(), 1);
    json.field("latencyMicros", latencyMicros);
    json.field("latencySamples", latency.getTotalCount());
    json.field("connectPerSec", connectPerSec(), 1);
    json.field("connectMillis", connectMillis(), 1);
    json.field("errors", errors());
    json.field("connectErrors", connectFailures);
    json.field("unexpectedCloses", unexpectedCloses);
    json.field("otherErrors", otherErrors);
    json.field("unanswered", unanswered);
    json.field("firstError", firstError);
    json.field("cpuPercent", cpuPercent(), 1);
    json.field("threads", threads);
    json.field("rssKb", rssKb);
    return json.toString();
  }

  /** The readable report, one line per figure. */
  String toTable() {
    StringBuilder out = new StringBuilder();
    row(
        out,
        "target",
        settings.url()
            + (settings.sourceAddresses().isEmpty()
                ? ""
                : " from " + String.join(",", settings.sourceAddresses())));
    if (settings.connectRateOnly()) {
      row(out, "scenario", "connection storm: " + settings.connections() + " connections");
    } else {
      row(
          out,
          "scenario",
          String.format(
              Locale.ROOT,
              "%d connections x %d in flight, %d-byte %s messages, warmup %d s, duration %d s",
              settings.connections(),
              settings.inFlight(),
              settings.size(),
              settings.binary() ? "binary" : "text",
              settings.warmupSecs(),
              settings.durationSecs()));
      row(
          out,
          "messages",
          String.format(
              Locale.ROOT,
              "%,d in %.2f s = %,.0f msg/s",
              messages,
              measuredNanos / 1e9,
              messagesPerSec()));
      row(
          out,
          "throughput",
          String.format(
              Locale.ROOT,
              "%,.2f MB/s (payload bytes sent + received, 1 MB = 10^6 bytes)",
              mbPerSec()));
      row(
          out,
          "wire",
          String.format(
              Locale.ROOT,
              "%.3f wire bytes per payload byte, frame headers included (%s)",
              wireRatio(),
              settings.deflate() ? "per-message deflate offered" : "no compression offered"));
      row(
          out,
          "latency (us)",
          String.format(
              Locale.ROOT,
              "p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f  mean %.1f  (%,d round trips)",
              latencyMicros(50),
              latencyMicros(90),
              latencyMicros(99),
              latencyMicros(99.9),
              maxLatencyMicros(),
              meanLatencyMicros(),
              latency.getTotalCount()));
    }
    row(
        out,
        "connect",
        String.format(
            Locale.ROOT,
            "%,d of %,d opened in %.1f ms = %,.0f handshakes/s",
            connected,
            settings.connections(),
            connectMillis(),
            connectPerSec()));
    row(
        out,
        "errors",
        String.format(
            Locale.ROOT,
            "%d (failed connects %d, unexpected closes %d, other %d)%s",
            errors(),
            connectFailures,
            unexpectedCloses,
            otherErrors,
            firstError == null ? "" : "; first: " + firstError));
    if (unanswered > 0) {
      row(out, "unanswered", unanswered + " messages without an echo after the drain");
    }
    row(
        out,
        "client",
        String.format(
            Locale.ROOT,
            "%d threads, RSS %s%s",
            threads,
            rssKb < 0 ? "unknown" : String.format(Locale.ROOT, "%,d kB", rssKb),
            cpuPercent() < 0
                ? ""
                : String.format(
                    Locale.ROOT,
                    ", CPU %.0f%% of one core while measuring (%d available)",
                    cpuPercent(),
                    Runtime.getRuntime().availableProcessors())));
    return out.toString();
  }

  private static void row(StringBuilder out, String name, String value) {
    out.append(String.format(Locale.ROOT, "%-13s %s%n", name, value));
  }

  /** Collects the figures as the run goes, then makes the result. */
  static final class Builder {
    private final BenchRun.Settings settings;
    private int connected;
    private long connectNanos;
    private long connectFailures;
    private long messages;
    private long measuredNanos;
    private Histogram latency = new Histogram(3);
    private long unanswered;
    private long unexpectedCloses;
    private long otherErrors;
    private String firstError;
    private long cpuNanos = -1;
    private int threads;
    private long rssKb = -1;
    private long payloadBytes;
    private long wireBytes;

    Builder(BenchRun.Settings settings) {
      this.settings = settings;
    }

    Builder connected(int value) {
      connected = value;
      return this;
    }

    Builder connectNanos(long value) {
      connectNanos = value;
      return this;
    }

    Builder connectFailures(long value) {
      connectFailures = value;
      return this;
    }

    Builder measured(long count, long nanos, Histogram histogram) {
      messages = count;
      measuredNanos = nanos;
      latency = histogram;
      return this;
    }

    Builder unanswered(long value) {
      unanswered = value;
      return this;
    }

    Builder unexpectedCloses(long value) {
      unexpectedCloses = value;
      return this;
    }

    Builder otherErrors(long value) {
      otherErrors = value;
      return this;
    }

    Builder firstError(String value) {
      firstError = value;
      return this;
    }

    Builder cpuNanos(long value) {
      cpuNanos = value;
      return this;
    }

    Builder threads(int value) {
      threads = value;
      return this;
    }

    Builder rssKb(long value) {
      rssKb = value;
      return this;
    }

    Builder traffic(long payload, long wire) {
      payloadBytes = payload;
      wireBytes = wire;
      return this;
    }

    BenchResult build() {
      return new BenchResult(
          settings,
          connected,
          connectNanos,
          connectFailures,
          messages,
          measuredNanos,
          latency,
          unanswered,
          unexpectedCloses,
          otherErrors,
          firstError,
          cpuNanos,
          threads,
          rssKb,
          payloadBytes,
          wireBytes);
    }
  }
}
