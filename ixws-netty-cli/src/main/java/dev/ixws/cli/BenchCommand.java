package dev.ixws.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ixws bench}: the load generator of the benchmarks. Opens {@code --connections} WebSocket
 * connections to an echo server, keeps {@code --in-flight} messages of {@code --size} bytes in
 * flight on each (each echo triggers the next send), and measures during {@code --duration} seconds
 * after {@code --warmup}: messages/s, MB/s, round-trip latency percentiles (HdrHistogram), connect
 * rate, errors, and the client's own threads and RSS.
 *
 * <p>Prints a table on stdout at the end and a progress line on stderr once per second (unless
 * {@code --quiet}); {@code --json FILE} also writes the figures as one JSON object ({@code --json
 * -}: on stdout, the table then going to stderr). The run ends by itself after warm-up, duration
 * and a drain of at most 2 s, closes every connection and exits with {@link Ixws#EXIT_OK}, errors
 * included (they are counted); it exits with {@link Ixws#EXIT_FAILURE} only when no connection
 * could be opened, and {@link Ixws#EXIT_USAGE} on invalid options.
 *
 * <p>{@code --connect-rate-only}: opens the connections as fast as {@code --connect-concurrency}
 * allows, reports handshakes/s, threads and RSS after holding them idle for a second, then closes.
 *
 * <p>Uses only the library's public API: one {@code WebSocket} per connection, callbacks on the
 * event loops, automatic reconnection off.
 */
@Command(
    name = "bench",
    header = "Load-test a WebSocket echo server.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Load-test a WebSocket echo server: N connections with K messages in flight each.",
      "Reports messages/s, MB/s (payload bytes sent + received), round-trip latency percentiles,"
          + " connect rate, errors, and this client's threads and RSS."
    })
final class BenchCommand implements Callable<Integer> {

  private final Terminal terminal;

  @Option(
      names = "--url",
      required = true,
      paramLabel = "URL",
      description = "Echo server to load, e.g. ws://127.0.0.1:8008/")
  private String url;

  @Option(
      names = "--connections",
      defaultValue = "100",
      paramLabel = "N",
      description = "Connections to open (default: ${DEFAULT-VALUE}).")
  private int connections;

  @Option(
      names = "--in-flight",
      defaultValue = "16",
      paramLabel = "K",
      description = "Messages in flight per connection (default: ${DEFAULT-VALUE}).")
  private int inFlight;

  @Option(
      names = "--size",
      defaultValue = "64",
      paramLabel = "BYTES",
      description =
          "Payload size; at least 8 (binary) or 16 (text) for the timestamp (default:"
              + " ${DEFAULT-VALUE}).")
  private int size;

  @Option(names = "--text", description = "Send text messages.")
  private boolean text;

  @Option(names = "--binary", description = "Send binary messages (the default).")
  private boolean binary;

  @Option(
      names = "--duration",
      defaultValue = "10",
      paramLabel = "SECS",
      description = "Measurement time after the warm-up (default: ${DEFAULT-VALUE}).")
  private int durationSecs;

  @Option(
      names = "--warmup",
      defaultValue = "2",
      paramLabel = "SECS",
      description = "Load before measuring, not counted (default: ${DEFAULT-VALUE}).")
  private int warmupSecs;

  @Option(
      names = "--source-addresses",
      split = ",",
      paramLabel = "IP",
      description =
          "Local addresses the connections are bound to, round-robin (e.g."
              + " 127.0.0.1,127.0.0.2), for more connections than one address has ports.")
  private List<String> sourceAddresses = new ArrayList<>();

  @Option(
      names = "--deflate",
      description =
          "Offer per-message deflate (off by default, so that the figures measure framing, not"
              + " zlib); the table's wire line shows what it saved.")
  private boolean deflate;

  @Option(
      names = "--connect-rate-only",
      description = "Only open the connections, report handshakes/s, threads and RSS, then close.")
  private boolean connectRateOnly;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description =
          "Also write the figures as a JSON object to FILE ('-': stdout, the table then going to stderr).")
  private String json;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress line.")
  private boolean quiet;

  @Option(
      names = "--connect-concurrency",
      defaultValue = "256",
      paramLabel = "N",
      description =
          "Handshakes in progress at once while connecting; more overflows the server's listen"
              + " backlog (default: ${DEFAULT-VALUE}).")
  private int connectConcurrency;

  @Option(
      names = "--handshake-timeout",
      defaultValue = "10",
      paramLabel = "SECS",
      description =
          "Time allowed for each connection's TCP connect and handshake (default:"
              + " ${DEFAULT-VALUE}).")
  private int handshakeTimeoutSecs;

  BenchCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Mixin private TlsFlags tls = new TlsFlags();

  @Override
  public Integer call() {
    BenchRun.Settings settings;
    BenchRun run;
    try {
      settings = settings();
      run = new BenchRun(settings, quiet ? null : terminal.err());
      run.useTls(tls.options());
      run.prepare();
    } catch (IllegalArgumentException e) {
      terminal.err().println("Error: " + e.getMessage());
      return Ixws.EXIT_USAGE;
    }
    BenchResult result;
    try {
      result = run.run();
    } catch (BenchRun.BenchException e) {
      terminal.err().println("Error: " + e.getMessage());
      return Ixws.EXIT_FAILURE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Ixws.EXIT_INTERRUPTED;
    }
    boolean jsonOnStdout = "-".equals(json);
    PrintStream tableOut = jsonOnStdout ? terminal.err() : terminal.out();
    tableOut.print(result.toTable());
    tableOut.flush();
    if (jsonOnStdout) {
      terminal.out().println(result.toJson());
      terminal.out().flush();
    } else if (json != null) {
      try {
        Files.writeString(Path.of(json), result.toJson() + "\n", StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        terminal.err().println("Error: cannot write " + json + ": " + e);
        return Ixws.EXIT_FAILURE;
      }
    }
    return Ixws.EXIT_OK;
  }

  /** The validated settings; throws IllegalArgumentException with the reason. */
  private BenchRun.Settings settings() {
    if (text && binary) {
      throw new IllegalArgumentException("--text and --binary exclude each other");
    }
    require(connections >= 1, "--connections must be at least 1");
    require(inFlight >= 1, "--in-flight must be at least 1");
    int minSize = text ? BenchRun.MIN_TEXT_SIZE : BenchRun.MIN_BINARY_SIZE;
    require(
        size >= minSize,
        "--size must be at least "
            + minSize
            + " for "
            + (text ? "text" : "binary")
            + " messages (the payload carries the send time)");
    require(durationSecs >= 1, "--duration must be at least 1 s");
    require(warmupSecs >= 0, "--warmup must not be negative");
    require(connectConcurrency >= 1, "--connect-concurrency must be at least 1");
    require(handshakeTimeoutSecs >= 1, "--handshake-timeout must be at least 1 s");
    for (String address : sourceAddresses) {
      require(!address.isBlank(), "--source-addresses has an empty address");
    }
    return new BenchRun.Settings(
        url,
        connections,
        inFlight,
        size,
        !text,
        durationSecs,
        warmupSecs,
        sourceAddresses.stream().map(String::trim).toList(),
        connectRateOnly,
        connectConcurrency,
        handshakeTimeoutSecs,
        deflate);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
