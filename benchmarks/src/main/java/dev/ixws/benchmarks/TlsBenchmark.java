package dev.ixws.benchmarks;

import dev.ixws.ListenResult;
import dev.ixws.SocketTLSOptions;
import dev.ixws.WebSocketInitResult;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import dev.ixws.server.WebSocketServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * TLS figures of our client and server in one JVM, BoringSSL against the JDK's engine, run
 * alternately (A B A B ...) so the machine's drift hits both: connections per second (TCP, TLS
 * handshake, WebSocket upgrade and close, from 4 threads), 64-byte echo messages per second (one
 * connection, 16 in flight) and 1 MB echo throughput (one connection, 2 in flight), all over {@code
 * wss://127.0.0.1}. A self-signed EC P-256 certificate is made with {@code openssl}.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.ixws.benchmarks.TlsBenchmark
 * [SECONDS] [ROUNDS]} (defaults 5 and 3), after a warm-up round. Prints one line per measurement
 * and the medians.
 */
public final class TlsBenchmark {

  private static final String ENGINE_PROPERTY = "dev.ixws.tls.engine";
  private static final List<String> ENGINES = List.of("boringssl", "jdk");
  private static final int HANDSHAKE_THREADS = 4;

  private TlsBenchmark() {}

  /** Runs the comparison. */
  public static void main(String[] args) throws Exception {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 5;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path dir = Files.createTempDirectory("ixws-tls-bench");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    makeCertificate(cert, key);
    SocketTLSOptions serverOptions =
        SocketTLSOptions.builder()
            .tls(true)
            .certFile(cert.toString())
            .keyFile(key.toString())
            .build();
    SocketTLSOptions clientOptions = SocketTLSOptions.builder().caFile(cert.toString()).build();

    List<String> lines = new ArrayList<>();
    double[][][] results = new double[ENGINES.size()][3][rounds + 1];
    // Round 0 warms the JIT up for both engines (2 s per figure) and is not reported.
    for (int round = 0; round <= rounds; round++) {
      long window = round == 0 ? 2 : seconds;
      for (int i = 0; i < ENGINES.size(); i++) {
        int e = (round % 2 == 0) ? i : ENGINES.size() - 1 - i;
        String engine = ENGINES.get(e);
        System.setProperty(ENGINE_PROPERTY, engine);
        WebSocketServer server = new WebSocketServer(0, "127.0.0.1", 1024, 100_000, 10);
        server.setMaxMessageSize(4 << 20);
        server.setTLSOptions(serverOptions);
        server.setOnConnectionCallback(
            (webSocket, state) ->
                webSocket.setOnMessageCallback(
                    msg -> {
                      if (msg.type() == WebSocketMessageType.MESSAGE) {
                        webSocket.send(msg);
                      }
                    }));
        ListenResult listen = server.listen();
        if (!listen.ok()) {
          throw new IllegalStateException(listen.errorMessage());
        }
        server.start();
        String url = "wss://127.0.0.1:" + server.getPort() + "/";
        try {
          results[e][0][round] = handshakesPerSecond(url, clientOptions, window);
          results[e][1][round] = echoPerSecond(url, clientOptions, 64, 16, window);
          results[e][2][round] =
              echoPerSecond(url, clientOptions, 1 << 20, 2, window) * (1 << 20) / 1e6;
        } finally {
          server.stop();
        }
        String line =
            String.format(
                Locale.ROOT,
                "round %d %-9s connections/s %8.0f   64 B msgs/s %9.0f   1 MB echo MB/s %7.1f",
                round,
                engine,
                results[e][0][round],
                results[e][1][round],
                results[e][2][round]);
        System.out.println(round == 0 ? line + "   (warm-up)" : line);
        lines.add(line);
      }
    }
    System.out.println();
    for (int e = 0; e < ENGINES.size(); e++) {
      System.out.printf(
          Locale.ROOT,
          "median %-9s connections/s %8.0f   64 B msgs/s %9.0f   1 MB echo MB/s %7.1f%n",
          ENGINES.get(e),
          median(results[e][0]),
          median(results[e][1]),
          median(results[e][2]));
    }
    System.out.printf(
        Locale.ROOT,
        "BoringSSL / JDK: connections %.2fx, 64 B %.2fx, 1 MB %.2fx%n",
        median(results[0][0]) / median(results[1][0]),
        median(results[0][1]) / median(results[1][1]),
        median(results[0][2]) / median(results[1][2]));
    System.exit(0);
  }

  private static double handshakesPerSecond(String url, SocketTLSOptions options, long seconds)
      throws InterruptedException {
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < HANDSHAKE_THREADS; t++) {
      Thread thread =
          new Thread(
              () -> {
                while (System.nanoTime() < end) {
                  WebSocket ws = new WebSocket();
                  ws.setUrl(url);
                  ws.setTLSOptions(options);
                  ws.disableAutomaticReconnection();
                  WebSocketInitResult result = ws.connect(10);
                  if (result.success()) {
                    done.incrementAndGet();
                  } else {
                    failed.incrementAndGet();
                  }
                  ws.stop();
                }
              });
      thread.start();
      threads.add(thread);
    }
    long started = System.nanoTime();
    for (Thread thread : threads) {
      thread.join();
    }
    if (failed.get() > 0) {
      System.out.println("  (" + failed.get() + " connections failed)");
    }
    return done.get() / ((System.nanoTime() - started) / 1e9);
  }

  private static double echoPerSecond(
      String url, SocketTLSOptions options, int size, int inFlight, long seconds) throws Exception {
    byte[] payload = new byte[size];
    AtomicLong received = new AtomicLong();
    CompletableFuture<Void> open = new CompletableFuture<>();
    WebSocket ws = new WebSocket();
    ws.setUrl(url);
    ws.setTLSOptions(options);
    ws.setMaxMessageSize(4 << 20);
    ws.disableAutomaticReconnection();
    ws.setOnMessageCallback(
        msg -> {
          if (msg.type() == WebSocketMessageType.OPEN) {
            open.complete(null);
          } else if (msg.type() == WebSocketMessageType.MESSAGE) {
            received.incrementAndGet();
            ws.sendBinary(payload);
          } else if (msg.type() == WebSocketMessageType.ERROR) {
            open.completeExceptionally(new IllegalStateException(msg.errorInfo().reason()));
          }
        });
    ws.start();
    open.get(10, TimeUnit.SECONDS);
    for (int i = 0; i < inFlight; i++) {
      ws.sendBinary(payload);
    }
    // One second of warm-up, then the measurement.
    Thread.sleep(1000);
    long before = received.get();
    long started = System.nanoTime();
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    long count = received.get() - before;
    double elapsed = (System.nanoTime() - started) / 1e9;
    ws.stop();
    return count / elapsed;
  }

  /** The median of the measured rounds (index 0, the warm-up, left out). */
  private static double median(double[] values) {
    double[] sorted = java.util.Arrays.copyOfRange(values, 1, values.length);
    java.util.Arrays.sort(sorted);
    return sorted.length % 2 == 1
        ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  }

  private static void makeCertificate(Path cert, Path key)
      throws IOException, InterruptedException {
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(openssl.getInputStream().readAllBytes());
    if (openssl.waitFor() != 0) {
      throw new IllegalStateException("openssl failed: " + output);
    }
  }
}
