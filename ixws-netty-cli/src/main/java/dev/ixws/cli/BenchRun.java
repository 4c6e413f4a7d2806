package dev.ixws.cli;

import dev.ixws.SocketTLSOptions;
import dev.ixws.WebSocketInitResult;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketSendInfo;
import dev.ixws.WebSocketTrafficStats;
import dev.ixws.client.WebSocket;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * One run of {@code ixws bench}: opens the connections, drives the echo load through its phases
 * (warm-up, measurement, drain), closes everything and returns the figures.
 *
 * <p>Threading: {@link #run} runs on the caller's thread, which opens and closes the connections,
 * sends the first {@code inFlight} messages of each connection and prints the progress. Every echo
 * is handled on its connection's event-loop thread (no callback executor), where it records the
 * round trip and sends the next message. Counters are {@link LongAdder}s; each event-loop thread
 * records latencies into its own HdrHistogram recorder, so the hot path takes no lock.
 *
 * <p>Round trips are measured from a timestamp carried in the payload ({@link System#nanoTime()} at
 * the send): a binary message starts with it as 8 big-endian bytes, a text message as 16 lowercase
 * hex digits; the rest of the payload is constant.
 */
final class BenchRun {

  /** Smallest binary payload: room for the 8-byte timestamp. */
  static final int MIN_BINARY_SIZE = 8;

  /** Smallest text payload: room for the timestamp as 16 hex digits. */
  static final int MIN_TEXT_SIZE = 16;

  /** How long the echoes still in flight at the end of the measurement are waited for. */
  private static final long DRAIN_MILLIS = 2_000;

  /** How long connections are held idle after a connection storm before they are closed. */
  private static final long HOLD_MILLIS = 1_000;

  /** How long the closing handshakes of all connections may take together. */
  private static final long CLOSE_WAIT_MILLIS = 5_000;

  private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** The settings of a run, validated by the command. */
  record Settings(
      String url,
      int connections,
      int inFlight,
      int size,
      boolean binary,
      int durationSecs,
      int warmupSecs,
      List<String> sourceAddresses,
      boolean connectRateOnly,
      int connectConcurrency,
      int handshakeTimeoutSecs,
      boolean deflate) {

    Settings {
      sourceAddresses = List.copyOf(sourceAddresses);
    }
  }

  /** Where the run is; read by every echo to decide whether to record and send on. */
  private enum Phase {
    CONNECTING,
    WARMUP,
    MEASURING,
    DRAINING,
    CLOSING
  }

  private final Settings settings;
  // The TLS options of wss:// connections (the --tls flags); IX's defaults unless set.
  private SocketTLSOptions tls = SocketTLSOptions.defaults();
  private final PrintStream progress;
  private final List<Connection> connections = new ArrayList<>();

  private volatile Phase phase = Phase.CONNECTING;

  // Written by the event loops, read by the progress and the report.
  private final LongAdder sent = new LongAdder();
  private final LongAdder received = new LongAdder();
  private final LongAdder connectFailures = new LongAdder();
  private final LongAdder unexpectedCloses = new LongAdder();
  private final LongAdder otherErrors = new LongAdder();
  private final AtomicReference<String> firstConnectError = new AtomicReference<>();
  private final AtomicReference<String> firstOtherError = new AtomicReference<>();

  // Connection outcomes: one count-down per connection (OPEN or connect ERROR).
  private final CountDownLatch outcomes;
  private final Semaphore pendingConnects;

  // Open connections, guarded by openLock; waited on while closing.
  private final Object openLock = new Object();
  private int openNow;
  private int openedTotal;

  // One latency recorder per event-loop thread: a recorder has exactly one writer.
  private final List<SingleWriterRecorder> recorders = new CopyOnWriteArrayList<>();
  private final ThreadLocal<SingleWriterRecorder> recorder =
      ThreadLocal.withInitial(
          () -> {
            SingleWriterRecorder created = new SingleWriterRecorder(3);
            recorders.add(created);
            return created;
          });

  // The constant part of every payload; each sending thread has its own copy to stamp.
  private final byte[] template;
  private final String textTail;
  private final ThreadLocal<ByteBuffer> binaryScratch;

  /**
   * @param progress where the live progress line goes, once per second; null for none
   */
  BenchRun(Settings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
    this.outcomes = new CountDownLatch(settings.connections());
    this.pendingConnects = new Semaphore(settings.connectConcurrency());
    this.template = new byte[settings.size()];
    Arrays.fill(template, (byte) 'x');
    this.textTail = "x".repeat(Math.max(0, settings.size() - MIN_TEXT_SIZE));
    this.binaryScratch = ThreadLocal.withInitial(() -> ByteBuffer.wrap(template.clone()));
  }

  /** Uses {@code options} for {@code wss://} connections; call before {@link #prepare()}. */
  void useTls(SocketTLSOptions options) {
    tls = options;
  }

  /**
   * Configures the connections without opening any.
   *
   * @throws IllegalArgumentException when the URL or a source address is invalid
   */
  void prepare() {
    List<String> sources = settings.sourceAddresses();
    for (int i = 0; i < settings.connections(); i++) {
      WebSocket webSocket = new WebSocket();
      webSocket.setUrl(settings.url());
      if (!settings.deflate()) {
        webSocket.disablePerMessageDeflate();
      }
      webSocket.setTLSOptions(tls);
      if (!sources.isEmpty()) {
        webSocket.setLocalAddress(sources.get(i % sources.size()));
      }
      webSocket.setHandshakeTimeout(settings.handshakeTimeoutSecs());
      // A failed connection is an error to count, never a retry that would skew the figures.
      webSocket.disableAutomaticReconnection();
      Connection connection = new Connection(webSocket);
      webSocket.setOnMessageCallback(connection::onMessage);
      connections.add(connection);
    }
  }

  /**
   * Runs every phase and returns the figures; the connections are closed when it returns, also when
   * it throws or is interrupted.
   *
   * @throws BenchException when no connection could be opened
   */
  BenchResult run() throws InterruptedException {
    try {
      return runPhases();
    } finally {
      closeAll();
    }
  }

  private BenchResult runPhases() throws InterruptedException {
    probe();
    long connectStart = System.nanoTime();
    openAll(connectStart);
    long connectNanos = System.nanoTime() - connectStart;
    int opened;
    synchronized (openLock) {
      opened = openedTotal;
    }
    if (opened == 0) {
      String reason = firstConnectError.get();
      throw new BenchException(
          "could not open any connection to "
              + settings.url()
              + (reason == null ? "" : ": " + reason));
    }
    BenchResult.Builder result =
        new BenchResult.Builder(settings)
            .connected(opened)
            .connectNanos(connectNanos)
            .connectFailures(connectFailures.sum());
    if (settings.connectRateOnly()) {
      hold();
    } else {
      load(result);
    }
    ProcessStatus status = ProcessStatus.read();
    long[] traffic = traffic();
    return result
        .traffic(traffic[0], traffic[1])
        .threads(status.threads())
        .rssKb(status.rssKb())
        .unexpectedCloses(unexpectedCloses.sum())
        .otherErrors(otherErrors.sum())
        .firstError(
            firstConnectError.get() != null ? firstConnectError.get() : firstOtherError.get())
        .build();
  }

  /**
   * Opens and closes one connection before anything is measured: a server that is not there fails
   * the run at once with the reason, and the first connection's one-time costs (event loops, class
   * loading) stay out of the connect rate.
   */
  private void probe() {
    WebSocket probe = new WebSocket();
    probe.setUrl(settings.url());
    if (!settings.deflate()) {
      probe.disablePerMessageDeflate();
    }
    probe.setTLSOptions(tls);
    if (!settings.sourceAddresses().isEmpty()) {
      probe.setLocalAddress(settings.sourceAddresses().get(0));
    }
    WebSocketInitResult result = probe.connect(settings.handshakeTimeoutSecs());
    if (!result.success()) {
      throw new BenchException(
          "cannot connect to "
              + settings.url()
              + ": "
              + result.errorStr()
              + (result.httpStatus() == 0 ? "" : " (http status " + result.httpStatus() + ")"));
    }
    probe.stop();
  }

  /** Starts every connection, at most {@code connectConcurrency} handshakes at a time. */
  private void openAll(long start) throws InterruptedException {
    long patienceMillis = TimeUnit.SECONDS.toMillis(settings.handshakeTimeoutSecs()) + 5_000;
    long nextTick = start + TICK_NANOS;
    // Stalled means no handshake ended for a whole handshake timeout, however long the storm.
    long lastEnded = start;
    for (Connection connection : connections) {
      while (!pendingConnects.tryAcquire(untilMillis(nextTick), TimeUnit.MILLISECONDS)) {
        if (System.nanoTime() - lastEnded > TimeUnit.MILLISECONDS.toNanos(patienceMillis)) {
          throw new BenchException("connection attempts stalled: no handshake ended in time");
        }
        nextTick = printConnectProgress(start, nextTick);
      }
      lastEnded = System.nanoTime();
      connection.webSocket.start();
      if (System.nanoTime() >= nextTick) {
        nextTick = printConnectProgress(start, nextTick);
      }
    }
    // Every attempt ends within the handshake timeout; the margin covers a loaded machine.
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(patienceMillis);
    while (!outcomes.await(untilMillis(Math.min(nextTick, deadline)), TimeUnit.MILLISECONDS)) {
      if (System.nanoTime() >= deadline) {
        throw new BenchException("connection attempts stalled: not all handshakes ended in time");
      }
      nextTick = printConnectProgress(start, nextTick);
    }
  }

  private long printConnectProgress(long start, long tick) {
    int opened;
    synchronized (openLock) {
      opened = openedTotal;
    }
    progress(
        String.format(
            Locale.ROOT,
            "[%5.1fs] connecting  %,d/%d open  %,d failed",
            (System.nanoTime() - start) / 1e9,
            opened,
            settings.connections(),
            connectFailures.sum()));
    return nextTickAfterNow(tick);
  }

  /** The first tick after now: a late tick is skipped, never printed twice. */
  private static long nextTickAfterNow(long tick) {
    long now = System.nanoTime();
    long next = tick + TICK_NANOS;
    while (next <= now) {
      next += TICK_NANOS;
    }
    return next;
  }

  /** Connection storm only: keeps the connections idle for a moment before they are closed. */
  private void hold() throws InterruptedException {
    phase = Phase.DRAINING;
    TimeUnit.MILLISECONDS.sleep(HOLD_MILLIS);
  }

  /** Warm-up, measurement and drain. */
  private void load(BenchResult.Builder result) throws InterruptedException {
    long start = System.nanoTime();
    long warmupEnd = start + TimeUnit.SECONDS.toNanos(settings.warmupSecs());
    long end = warmupEnd + TimeUnit.SECONDS.toNanos(settings.durationSecs());
    phase = settings.warmupSecs() == 0 ? Phase.MEASURING : Phase.WARMUP;
    long windowStart = start;
    long receivedAtWindowStart = 0;
    long cpuAtWindowStart = ProcessStatus.cpuNanos();
    Histogram total = new Histogram(3);
    for (Connection connection : connections) {
      if (connection.open) {
        for (int i = 0; i < settings.inFlight(); i++) {
          connection.sendNext();
        }
      }
    }
    long nextTick = start + TICK_NANOS;
    long lastTick = start;
    long lastReceived = 0;
    while (true) {
      long now = System.nanoTime();
      if (phase == Phase.WARMUP && now >= warmupEnd) {
        // Whatever was recorded during the warm-up is discarded.
        intervalHistogram();
        receivedAtWindowStart = received.sum();
        cpuAtWindowStart = ProcessStatus.cpuNanos();
        windowStart = now;
        phase = Phase.MEASURING;
      }
      if (now >= end) {
        break;
      }
      if (now >= nextTick) {
        long count = received.sum();
        Histogram interval = intervalHistogram();
        if (phase == Phase.MEASURING) {
          total.add(interval);
        }
        printLoadProgress(now - start, (count - lastReceived) * 1e9 / (now - lastTick), interval);
        lastReceived = count;
        lastTick = now;
        nextTick = nextTickAfterNow(nextTick);
      }
      long wake = phase == Phase.WARMUP ? Math.min(warmupEnd, nextTick) : Math.min(end, nextTick);
      sleepUntil(wake);
    }
    phase = Phase.DRAINING;
    long windowEnd = System.nanoTime();
    long measured = received.sum() - receivedAtWindowStart;
    long cpuAtWindowEnd = ProcessStatus.cpuNanos();
    total.add(intervalHistogram());
    result.measured(measured, windowEnd - windowStart, total);
    if (cpuAtWindowStart >= 0 && cpuAtWindowEnd >= 0) {
      result.cpuNanos(cpuAtWindowEnd - cpuAtWindowStart);
    }
    drain();
    result.unanswered(sent.sum() - received.sum());
  }

  /** Waits, at most {@link #DRAIN_MILLIS}, for the echoes of the messages still in flight. */
  private void drain() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
    while (received.sum() < sent.sum() && System.nanoTime() < deadline) {
      // A short poll: the drain lasts one round trip or so, and the hot path stays lock-free.
      TimeUnit.MILLISECONDS.sleep(5);
    }
  }

  private void printLoadProgress(long elapsedNanos, double rate, Histogram interval) {
    boolean any = interval.getTotalCount() > 0;
    progress(
        String.format(
            Locale.ROOT,
            "[%5.1fs] %-9s %,11.0f msg/s  p50 %s  p99 %s  max %s  open %d/%d  errors %d",
            elapsedNanos / 1e9,
            phase == Phase.WARMUP ? "warmup" : "measuring",
            rate,
            any ? BenchResult.micros(interval.getValueAtPercentile(50)) : "-",
            any ? BenchResult.micros(interval.getValueAtPercentile(99)) : "-",
            any ? BenchResult.micros(interval.getMaxValue()) : "-",
            currentlyOpen(),
            settings.connections(),
            connectFailures.sum() + unexpectedCloses.sum() + otherErrors.sum()));
  }

  /** The latencies recorded by every event loop since the last call. */
  private Histogram intervalHistogram() {
    Histogram sum = new Histogram(3);
    for (SingleWriterRecorder each : recorders) {
      sum.add(each.getIntervalHistogram());
    }
    return sum;
  }

  private int currentlyOpen() {
    synchronized (openLock) {
      return openNow;
    }
  }

  /**
   * The payload and wire bytes of every connection's messages, both ways, over the whole run
   * (warm-up included): their ratio is what per-message deflate saved.
   */
  private long[] traffic() {
    long payload = 0;
    long wire = 0;
    for (Connection connection : connections) {
      WebSocketTrafficStats stats = connection.webSocket.getTrafficStats();
      payload += stats.payloadBytesSent() + stats.payloadBytesReceived();
      wire += stats.wireBytesSent() + stats.wireBytesReceived();
    }
    return new long[] {payload, wire};
  }

  /** Closes every open connection with 1000 and waits, bounded, for the closing handshakes. */
  private void closeAll() throws InterruptedException {
    phase = Phase.CLOSING;
    for (Connection connection : connections) {
      // close() also cancels an attempt still in progress; it never blocks.
      connection.webSocket.close();
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
    synchronized (openLock) {
      long left;
      while (openNow > 0 && (left = deadline - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.timedWait(openLock, left);
      }
    }
  }

  private void progress(String line) {
    if (progress != null) {
      progress.println(line);
    }
  }

  private static long untilMillis(long deadlineNanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  private static void sleepUntil(long deadlineNanos) throws InterruptedException {
    long left = deadlineNanos - System.nanoTime();
    if (left > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  /** Reads the send timestamp from a text payload's first 16 bytes (hex digits). */
  static long textTimestamp(ByteBuffer data) {
    long value = 0;
    for (int i = 0; i < MIN_TEXT_SIZE; i++) {
      int digit = Character.digit(data.get(i), 16);
      if (digit < 0) {
        throw new IllegalArgumentException("not a hex digit at " + i);
      }
      value = value << 4 | digit;
    }
    return value;
  }

  /** One connection; its callback runs on its event-loop thread. */
  private final class Connection {
    final WebSocket webSocket;

    /** Set by OPEN, cleared by CLOSE. */
    volatile boolean open;

    /** Whether this connection's attempt ended (OPEN or its ERROR); event loop only. */
    private boolean attemptEnded;

    Connection(WebSocket webSocket) {
      this.webSocket = webSocket;
    }

    void onMessage(WebSocketMessage msg) {
      switch (msg.type()) {
        case MESSAGE -> onEcho(msg);
        case OPEN -> {
          open = true;
          synchronized (openLock) {
            openNow++;
            openedTotal++;
          }
          endAttempt();
        }
        case CLOSE -> {
          if (phase != Phase.CLOSING) {
            unexpectedCloses.increment();
            firstOtherError.compareAndSet(
                null, "connection closed by the server: " + Messages.describe(msg.closeInfo()));
          }
          open = false;
          synchronized (openLock) {
            openNow--;
            if (openNow == 0) {
              openLock.notifyAll();
            }
          }
        }
        case ERROR -> {
          if (!attemptEnded) {
            connectFailures.increment();
            firstConnectError.compareAndSet(null, Messages.describe(msg.errorInfo()));
            endAttempt();
          } else if (phase != Phase.CLOSING) {
            otherErrors.increment();
            firstOtherError.compareAndSet(null, Messages.describe(msg.errorInfo()));
          }
        }
        default -> {
          // Pings are answered by the library; pongs and fragments need nothing.
        }
      }
    }

    private void endAttempt() {
      if (!attemptEnded) {
        attemptEnded = true;
        pendingConnects.release();
        outcomes.countDown();
      }
    }

    private void onEcho(WebSocketMessage msg) {
      long now = System.nanoTime();
      received.increment();
      Phase current = phase;
      if (msg.size() != settings.size() || msg.binary() != settings.binary()) {
        otherErrors.increment();
        firstOtherError.compareAndSet(
            null,
            "unexpected echo: "
                + (msg.binary() ? "binary" : "text")
                + " message of "
                + msg.size()
                + " bytes");
      } else if (current == Phase.WARMUP || current == Phase.MEASURING) {
        ByteBuffer data = msg.data();
        long sentAt = settings.binary() ? data.getLong(0) : textTimestamp(data);
        recorder.get().recordValue(Math.max(0, now - sentAt));
      }
      if (current == Phase.WARMUP || current == Phase.MEASURING) {
        sendNext();
      }
    }

    /** Sends one message stamped with the current time; any thread. */
    void sendNext() {
      long now = System.nanoTime();
      WebSocketSendInfo info;
      if (settings.binary()) {
        ByteBuffer buffer = binaryScratch.get();
        buffer.putLong(0, now);
        info = webSocket.sendBinary(buffer); // copies the bytes
      } else {
        info = webSocket.sendText(HexFormat.of().toHexDigits(now) + textTail);
      }
      if (info.success()) {
        sent.increment();
      } else if (phase != Phase.CLOSING) {
        otherErrors.increment();
        firstOtherError.compareAndSet(null, "send failed: " + info.error());
      }
    }
  }

  /** A run that cannot go on: nothing to measure. */
  static final class BenchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BenchException(String message) {
      super(message);
    }
  }
}
