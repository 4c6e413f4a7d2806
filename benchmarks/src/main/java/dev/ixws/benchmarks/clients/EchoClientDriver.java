package dev.ixws.benchmarks.clients;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The measurement shared by every client driver: opens N connections to an echo server, keeps K
 * messages in flight on each (a new message is sent when an echo comes back), and records the round
 * trip of each from the send timestamp the message carries (first 8 bytes big-endian for binary,
 * first 16 hex digits for text). A subclass only says how its library connects, sends and receives,
 * as a typical user of that library would write it.
 */
public abstract class EchoClientDriver implements AutoCloseable {

  /** An open connection of the library under test. */
  protected interface Connection {
    /** Sends one binary message (the array is not reused by the driver). */
    void sendBinary(byte[] payload);

    /** Sends one text message. */
    void sendText(String payload);
  }

  /** Where the library delivers echoes and failures; callable from any thread. */
  protected interface Receiver {
    /** One binary echo. */
    void onBinary(ByteBuffer payload);

    /** One text echo. */
    void onText(CharSequence payload);

    /** The connection failed or closed. */
    void onError(Throwable cause);
  }

  private static final int MAX_PENDING_CONNECTS = 256;

  private final Recorder recorder = new Recorder(3);
  private final LongAdder echoes = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private volatile boolean running = true;
  private LoadOptions options;

  /** Releases the library's threads and connections (in-process use; the mains just exit). */
  @Override
  public void close() {}

  /** The name written in the JSON {@code client} field. */
  protected abstract String name();

  /** Opens one connection; {@code receiver} gets its echoes. */
  protected abstract CompletableFuture<Connection> connect(
      URI url, LoadOptions options, Receiver receiver) throws Exception;

  /** Runs and prints the JSON result. */
  protected final void runMain(String[] args) throws Exception {
    LoadOptions opts;
    try {
      opts = LoadOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(name() + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    LoadResult result = run(opts);
    String json = result.toJson();
    if (opts.json() == null || !opts.json().equals("-")) {
      if (!opts.quiet()) {
        System.err.println(json);
      }
      if (opts.json() != null) {
        Files.writeString(Path.of(opts.json()), json + "\n");
      }
    } else {
      System.out.println(json);
    }
    System.out.flush();
    // The connections die with the process: closing 10,000 of them one by one is not measured.
    Runtime.getRuntime().halt(0);
  }

  /** Runs the load and returns what was measured; connections are left open. */
  public final LoadResult run(LoadOptions opts) throws Exception {
    this.options = opts;
    List<PerConnection> conns = new ArrayList<>(opts.connections());
    Semaphore pending = new Semaphore(MAX_PENDING_CONNECTS);
    List<CompletableFuture<?>> all = new ArrayList<>();
    long connectStart = System.nanoTime();
    for (int i = 0; i < opts.connections(); i++) {
      pending.acquire();
      PerConnection pc = new PerConnection();
      CompletableFuture<Connection> f;
      try {
        f = connect(opts.url(), opts, pc);
      } catch (Exception e) {
        f = CompletableFuture.failedFuture(e);
      }
      all.add(
          f.whenComplete(
              (c, e) -> {
                pending.release();
                if (e != null) {
                  errors.increment();
                } else {
                  pc.connection = c;
                  synchronized (conns) {
                    conns.add(pc);
                  }
                }
              }));
    }
    try {
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .handle((v, e) -> null)
          .get(120, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      errors.increment();
    }
    long connectNanos = System.nanoTime() - connectStart;
    long connected;
    synchronized (conns) {
      connected = conns.size();
    }
    double connectPerSec = connected / (connectNanos / 1e9);
    long messages = 0;
    Histogram h = new Histogram(3);
    double seconds = 0;
    if (!opts.connectRateOnly() && connected > 0) {
      List<PerConnection> snapshot;
      synchronized (conns) {
        snapshot = new ArrayList<>(conns);
      }
      for (PerConnection pc : snapshot) {
        for (int k = 0; k < opts.inFlight(); k++) {
          pc.sendOne();
        }
      }
      sleepSecs(opts.warmupSecs());
      recorder.getIntervalHistogram(); // drop the warm-up
      long before = echoes.sum();
      long start = System.nanoTime();
      sleepSecs(opts.durationSecs());
      messages = echoes.sum() - before;
      seconds = (System.nanoTime() - start) / 1e9;
      h = recorder.getIntervalHistogram();
      running = false;
    }
    int threads = ManagementFactory.getThreadMXBean().getThreadCount();
    double mps = seconds > 0 ? messages / seconds : 0;
    return new LoadResult(
        name(),
        opts,
        messages,
        mps,
        2 * mps * opts.size() / 1e6, // payload bytes sent + received, as ixws bench
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(90) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getValueAtPercentile(99.9) / 1000.0,
        h.getMaxValue() / 1000.0,
        h.getTotalCount() == 0 ? 0 : h.getMean() / 1000.0,
        connectPerSec,
        TimeUnit.NANOSECONDS.toMillis(connectNanos),
        errors.sum(),
        threads,
        rssKb());
  }

  private static void sleepSecs(double secs) throws InterruptedException {
    Thread.sleep((long) (secs * 1000));
  }

  /** Resident set size of this process from /proc (0 where there is no /proc). */
  static long rssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux: report 0
    }
    return 0;
  }

  private final class PerConnection implements Receiver {
    volatile Connection connection;

    void sendOne() {
      long now = System.nanoTime();
      if (options.binary()) {
        byte[] payload = new byte[options.size()];
        ByteBuffer.wrap(payload).putLong(now);
        connection.sendBinary(payload);
      } else {
        char[] text = new char[options.size()];
        Arrays.fill(text, 'x');
        String hex = String.format("%016x", now);
        hex.getChars(0, 16, text, 0);
        connection.sendText(new String(text));
      }
    }

    @Override
    public void onBinary(ByteBuffer payload) {
      record(payload.getLong(payload.position()));
    }

    @Override
    public void onText(CharSequence payload) {
      record(Long.parseUnsignedLong(payload.subSequence(0, 16).toString(), 16));
    }

    private void record(long sentNanos) {
      long rtt = System.nanoTime() - sentNanos;
      if (rtt >= 0) {
        recorder.recordValue(rtt);
      }
      echoes.increment();
      if (running) {
        sendOne();
      }
    }

    @Override
    public void onError(Throwable cause) {
      if (running) {
        errors.increment();
      }
    }
  }

  /** The bytes of a text message as UTF-8 (for libraries that hand text out as bytes). */
  static String utf8(ByteBuffer buf) {
    return StandardCharsets.UTF_8.decode(buf).toString();
  }
}
