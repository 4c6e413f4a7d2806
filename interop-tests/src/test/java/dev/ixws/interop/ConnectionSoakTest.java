package dev.ixws.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ixws.WebSocketMessage;
import dev.ixws.client.WebSocket;
import dev.ixws.server.WebSocketServer;
import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.Await;
import dev.ixws.testkit.RawConnection;
import dev.ixws.testkit.RawWebSocketClient;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A short soak of our server and client: rounds of many connections that open, exchange messages
 * and close normally, mixed with peers that vanish abruptly, after which the process must be back
 * where it started: heap (after GC), threads and open file descriptors. Netty's leak detector
 * (paranoid, see the testkit's internal LeakDetectionExtension) fails the class on any leaked
 * buffer.
 *
 * <p>It lives here rather than in ixws-netty-server because it measures the whole process: the
 * interop JVM runs few other classes, all of which clean up after themselves, and the suite's
 * robustness checks stay together in the module CI runs with the real peers.
 */
@Timeout(90)
class ConnectionSoakTest {

  private static final int ROUNDS = 4;
  private static final int CLIENTS_PER_ROUND = 50;
  private static final int MESSAGES_PER_CLIENT = 10;

  /** Raw peers per round for each kind of abrupt disconnect. */
  private static final int ABRUPT_PER_KIND = 5;

  private static final int THREAD_TOLERANCE = 2;
  private static final int FD_TOLERANCE = 4;
  private static final long HEAP_TOLERANCE_BYTES = 16L * 1024 * 1024;
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(15);

  private final Map<String, AtomicInteger> serverCloses = new ConcurrentHashMap<>();
  private final AtomicInteger serverOpens = new AtomicInteger();

  @Test
  void manyConnectionsAndAbruptDisconnectsLeaveHeapThreadsAndFileDescriptorsAsTheyWere()
      throws Exception {
    // Warm-up: the shared event loops, the allocator's caches and the classes all exist after it.
    runServer(1, 10, false);
    serverCloses.clear();
    serverOpens.set(0);
    Snapshot before = Snapshot.take();

    long started = System.nanoTime();
    runServer(ROUNDS, CLIENTS_PER_ROUND, true);
    long soakMillis = (System.nanoTime() - started) / 1_000_000;

    int handshaked = ROUNDS * (CLIENTS_PER_ROUND + 3 * ABRUPT_PER_KIND);
    assertEquals(handshaked, serverOpens.get(), "connections our server opened");
    assertEquals(
        Map.of(
            "1000 remote=true",
            ROUNDS * CLIENTS_PER_ROUND,
            "1006 remote=true",
            ROUNDS * 3 * ABRUPT_PER_KIND),
        closeTally(),
        "close events of our server");

    Await.until(
        "threads back to " + before.threads + " (+" + THREAD_TOLERANCE + ")",
        SETTLE_TIMEOUT,
        () -> Snapshot.liveThreads() <= before.threads + THREAD_TOLERANCE);
    Await.until(
        "open file descriptors back to " + before.fds + " (+" + FD_TOLERANCE + ")",
        SETTLE_TIMEOUT,
        () -> Snapshot.openFds() <= before.fds + FD_TOLERANCE);
    Snapshot after = Snapshot.take();
    assertTrue(
        after.heap <= before.heap + HEAP_TOLERANCE_BYTES,
        () -> "heap after GC grew from " + before + " to " + after);
    System.out.printf(
        "soak: %d connections (%d clean, %d abrupt handshaked, %d abrupt before the handshake) in"
            + " %d ms; before %s, after %s%n",
        handshaked + ROUNDS * 2 * ABRUPT_PER_KIND,
        ROUNDS * CLIENTS_PER_ROUND,
        ROUNDS * 3 * ABRUPT_PER_KIND,
        ROUNDS * 2 * ABRUPT_PER_KIND,
        soakMillis,
        before,
        after);
  }

  /** Starts an echo server, runs {@code rounds} rounds against it, and stops it. */
  private void runServer(int rounds, int clientsPerRound, boolean abrupt) throws Exception {
    WebSocketServer server = new WebSocketServer(0, "127.0.0.1", 64, 4 * clientsPerRound, 2);
    server.setOnConnectionCallback(
        (webSocket, state) ->
            webSocket.setOnMessageCallback(
                message -> {
                  switch (message.type()) {
                    case OPEN -> serverOpens.incrementAndGet();
                    case MESSAGE -> webSocket.send(message.bytes(), message.binary());
                    case CLOSE ->
                        serverCloses
                            .computeIfAbsent(
                                message.closeInfo().code()
                                    + " remote="
                                    + message.closeInfo().remote(),
                                key -> new AtomicInteger())
                            .incrementAndGet();
                    default -> {}
                  }
                }));
    TestServers.started(server);
    try {
      for (int round = 0; round < rounds; round++) {
        runRound(server.getPort(), clientsPerRound, abrupt);
        Await.until(
            "our server has no clients left after round " + round,
            SETTLE_TIMEOUT,
            () -> server.getClients().isEmpty());
      }
    } finally {
      server.stop();
    }
  }

  /**
   * One round: {@code clients} of our clients each echo {@link #MESSAGES_PER_CLIENT} messages and
   * close with 1000, while raw peers disconnect abruptly in five ways.
   */
  private void runRound(int port, int clients, boolean abrupt) throws Exception {
    CountDownLatch closed = new CountDownLatch(clients);
    List<String> failures = new ArrayList<>();
    List<WebSocket> webSockets = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      webSockets.add(echoClient(port, i, closed, failures));
    }
    webSockets.forEach(WebSocket::start);
    if (abrupt) {
      disconnectAbruptly(port);
    }
    boolean allClosed = closed.await(SETTLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    webSockets.forEach(WebSocket::stop);
    synchronized (failures) {
      assertEquals(List.of(), failures, "client failures");
    }
    if (!allClosed) {
      fail(
          closed.getCount()
              + " of "
              + clients
              + " clients did not finish within "
              + SETTLE_TIMEOUT);
    }
  }

  /** A client that sends text and binary messages in turn and closes once all came back. */
  private static WebSocket echoClient(
      int port, int index, CountDownLatch closed, List<String> failures) {
    WebSocket webSocket = new WebSocket();
    webSocket.setUrl("ws://127.0.0.1:" + port + "/soak/" + index);
    webSocket.disableAutomaticReconnection();
    AtomicInteger echoed = new AtomicInteger();
    webSocket.setOnMessageCallback(
        (WebSocketMessage message) -> {
          switch (message.type()) {
            case OPEN -> {
              for (int m = 0; m < MESSAGES_PER_CLIENT; m++) {
                String payload = "client " + index + " message " + m;
                if (m % 2 == 0) {
                  webSocket.send(payload);
                } else {
                  webSocket.sendBinary(payload.getBytes(StandardCharsets.UTF_8));
                }
              }
            }
            case MESSAGE -> {
              if (echoed.incrementAndGet() == MESSAGES_PER_CLIENT) {
                webSocket.close(1000, "soak done");
              }
            }
            case CLOSE -> {
              if (message.closeInfo().code() != 1000 || echoed.get() != MESSAGES_PER_CLIENT) {
                synchronized (failures) {
                  failures.add(index + ": " + message.closeInfo() + " after " + echoed + " echoes");
                }
              }
              closed.countDown();
            }
            case ERROR -> {
              synchronized (failures) {
                failures.add(index + ": " + message.errorInfo());
              }
              closed.countDown();
            }
            default -> {}
          }
        });
    return webSocket;
  }

  /**
   * Peers that go away without a closing handshake: after the handshake (mid-frame, right after it,
   * or after sending a message without reading the echo) and before it (half a request, or
   * nothing).
   */
  private static void disconnectAbruptly(int port) throws IOException {
    for (int i = 0; i < ABRUPT_PER_KIND; i++) {
      try (RawWebSocketClient midFrame = RawWebSocketClient.open(port, "/abrupt/mid-frame")) {
        // A masked binary frame header announcing 100 bytes, then only 10 of them.
        byte[] partial = new byte[2 + 4 + 10];
        partial[0] = (byte) 0x82;
        partial[1] = (byte) (0x80 | 100);
        midFrame.write(partial);
        midFrame.hangUp();
      }
      try (RawWebSocketClient vanishing = RawWebSocketClient.open(port, "/abrupt/vanish")) {
        vanishing.hangUp();
      }
      try (RawWebSocketClient unread = RawWebSocketClient.open(port, "/abrupt/unread")) {
        unread.sendText("nobody reads the echo");
        unread.hangUp();
      }
      try (RawConnection halfRequest =
          new RawConnection(new Socket(InetAddress.getLoopbackAddress(), port))) {
        halfRequest.write("GET /abrupt/half-request HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgr");
        halfRequest.hangUp();
      }
      try (RawConnection silent =
          new RawConnection(new Socket(InetAddress.getLoopbackAddress(), port))) {
        silent.hangUp();
      }
    }
  }

  private Map<String, Integer> closeTally() {
    Map<String, Integer> tally = new TreeMap<>();
    serverCloses.forEach((key, count) -> tally.put(key, count.get()));
    return tally;
  }

  /** Heap in use after GC, live threads and open file descriptors of this process. */
  private record Snapshot(long heap, int threads, long fds) {

    static Snapshot take() {
      return new Snapshot(heapAfterGc(), liveThreads(), openFds());
    }

    static int liveThreads() {
      return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    static long openFds() {
      try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
        return entries.count();
      } catch (IOException e) {
        throw new AssertionError("cannot list /proc/self/fd", e);
      }
    }

    /** The smallest heap use seen over a few full collections (GC timing varies). */
    static long heapAfterGc() {
      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      long smallest = Long.MAX_VALUE;
      for (int i = 0; i < 3; i++) {
        System.gc();
        smallest = Math.min(smallest, memory.getHeapMemoryUsage().getUsed());
      }
      return smallest;
    }

    @Override
    public String toString() {
      return String.format(
          "heap %.1f MB, %d threads, %d fds", heap / (1024.0 * 1024.0), threads, fds);
    }
  }
}
