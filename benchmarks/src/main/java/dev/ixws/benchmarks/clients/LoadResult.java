package dev.ixws.benchmarks.clients;

import java.util.Locale;

/** What a client driver measured; {@link #toJson()} uses {@code ixws bench}'s field names. */
public record LoadResult(
    String client,
    LoadOptions options,
    long messages,
    double messagesPerSec,
    double mbPerSec,
    double p50,
    double p90,
    double p99,
    double p999,
    double max,
    double mean,
    double connectPerSec,
    long connectMillis,
    long errors,
    int threads,
    long rssKb) {

  /** One JSON object on one line. */
  public String toJson() {
    return String.format(
        Locale.ROOT,
        "{\"client\":\"%s\",\"url\":\"%s\",\"connections\":%d,\"inFlight\":%d,\"size\":%d,"
            + "\"binary\":%b,\"durationSecs\":%s,\"warmupSecs\":%s,\"messages\":%d,"
            + "\"messagesPerSec\":%.1f,\"mbPerSec\":%.3f,\"latencyMicros\":{\"p50\":%.1f,"
            + "\"p90\":%.1f,\"p99\":%.1f,\"p999\":%.1f,\"max\":%.1f,\"mean\":%.1f},"
            + "\"connectPerSec\":%.1f,\"connectMillis\":%d,\"errors\":%d,\"threads\":%d,"
            + "\"rssKb\":%d}",
        client,
        options.url(),
        options.connections(),
        options.inFlight(),
        options.size(),
        options.binary(),
        options.durationSecs(),
        options.warmupSecs(),
        messages,
        messagesPerSec,
        mbPerSec,
        p50,
        p90,
        p99,
        p999,
        max,
        mean,
        connectPerSec,
        connectMillis,
        errors,
        threads,
        rssKb);
  }
}
