package dev.ixws.benchmarks.clients;

import java.net.URI;

/**
 * The options of a client driver, the same as {@code ixws bench}'s: {@code --url ws://... } {@code
 * [--connections N=100] [--in-flight K=16] [--size S=64] [--text|--binary] [--duration SECS=10]
 * [--warmup SECS=2] [--connect-rate-only] [--json FILE|-] [--quiet]}.
 */
public record LoadOptions(
    URI url,
    int connections,
    int inFlight,
    int size,
    boolean binary,
    double durationSecs,
    double warmupSecs,
    boolean connectRateOnly,
    String json,
    boolean quiet) {

  /** Parses the command line; throws {@link IllegalArgumentException} on a bad option. */
  public static LoadOptions parse(String[] args) {
    URI url = null;
    int connections = 100;
    int inFlight = 16;
    int size = 64;
    boolean binary = true;
    double duration = 10;
    double warmup = 2;
    boolean connectOnly = false;
    String json = null;
    boolean quiet = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--url" -> url = URI.create(args[++i]);
        case "--connections" -> connections = Integer.parseInt(args[++i]);
        case "--in-flight" -> inFlight = Integer.parseInt(args[++i]);
        case "--size" -> size = Integer.parseInt(args[++i]);
        case "--text" -> binary = false;
        case "--binary" -> binary = true;
        case "--duration" -> duration = Double.parseDouble(args[++i]);
        case "--warmup" -> warmup = Double.parseDouble(args[++i]);
        case "--connect-rate-only" -> connectOnly = true;
        case "--json" -> json = args[++i];
        case "--quiet" -> quiet = true;
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (url == null) {
      throw new IllegalArgumentException("--url ws://host:port/ is required");
    }
    if (size < 16) {
      throw new IllegalArgumentException("--size must be at least 16 (the send timestamp)");
    }
    return new LoadOptions(
        url, connections, inFlight, size, binary, duration, warmup, connectOnly, json, quiet);
  }
}
