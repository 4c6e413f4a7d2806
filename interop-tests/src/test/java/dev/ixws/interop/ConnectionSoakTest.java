package dev.ixws.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ixws.WebSocketMessage;
import dev.ixws.client.WebSocket;
import dev.ixws.server.WebSocketServer;
import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.Await;
import dev.ixws.testkit.FaultProxy;
import dev.ixws.testkit.FaultProxy.Cut;
import dev.ixws.testkit.FaultProxy.Direction;
import dev.ixws.testkit.ProcessResources;
import dev.ixws.testkit.RawConnection;
import dev.ixws.testkit.RawWebSocketClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A soak of our server and client: rounds of many connections that open, exchange messages and
 * close normally, mixed with peers that vanish abruptly (raw peers hanging up, our clients whose
 * connections a {@link FaultProxy} cuts with RST or FIN, and our clients whose connections it
 * stalls silently until the heartbeats of both ends give up), after which the process must be back
 * where it started: heap (after GC), threads and open file descriptors. The heartbeat is on at both
 * ends (1 s). Netty's leak detector (paranoid, see the testkit's internal LeakDetectionExtension)
 * fails the class on any leaked buffer.
 *
 * <p>By default it runs {@link #DEFAULT_ROUNDS} rounds (a few seconds, in every {@code mvn
 * verify}). {@code -Dixws.soak.seconds=300} runs rounds for that long instead, with {@code
 * -Dixws.soak.clients} clean clients per round (default 200 then): thousands of connections.
 *
 * <p>It lives here rather than in ixws-netty-server because it measures the whole process: the
 * interop JVM runs few other classes, all of which clean up after themselves, and the suite's
 * robustness checks stay together in the module CI runs with the real peers.
 */
class ConnectionSoakTest {

  /** How long to soak, in seconds; 0 (the default): {@link #DEFAULT_ROUNDS} rounds. */
  private static final long SOAK_SECONDS = Long.getLong("ixws.soak.seconds", 0);

  private static final int DEFAULT_ROUNDS = 4;
  private static final int CLIENTS_PER_ROUND =
      Integer.getInteger("ixws.soak.clients", SOAK_SECONDS > 0 ? 200 : 50);
  private static final int MESSAGES_PER_CLIENT = 10;

  /** Raw peers per round for each kind of abrupt disconnect. */
  private static final int ABRUPT_PER_KIND = 5;

  /** Our clients per round whose connection the proxy cuts mid-traffic (RST, FIN in turn). */
  private static final int CUT_PER_ROUND = 10;

  /** Our clients per round whose connection the proxy stalls until both heartbeats give up. */
  private static final int STALLED_PER_ROUND = 4;

  private static final int PING_INTERVAL_SECS = 1;

  private static final int THREAD_TOLERANCE = 2;
  private static final int FD_TOLERANCE = 4;
  private static final long HEAP_TOLERANCE_BYTES = 16L * 1024 * 1024;
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(15);

  private final Map<String, AtomicInteger> serverCloses = new ConcurrentHashMap<>();
  private final AtomicInteger serverOpens = new AtomicInteger();

  @Test
  void manyConnectionsAndAbruptDisconnectsLeaveHeapThreadsAndFileDescriptorsAsTheyWere() {
    Duration limit = Duration.ofSeconds(120 + 2 * SOAK_SECONDS);
    assertTimeoutPreemptively(limit, this::soak);
  }

  private void soak() throws Exception {
    // Warm-up: the shared event loops, the allocator's caches and the classes all exist after it.
    runServer(1, 10, false);
    serverCloses.clear();
    serverOpens.set(0);
    ProcessResources.Snapshot before = ProcessResources.take();

    long started = System.nanoTime();
    int rounds =
        runServer(SOAK_SECONDS > 0 ? Integer.MAX_VALUE : DEFAULT_ROUNDS, CLIENTS_PER_ROUND, true);
    long soakMillis = (System.nanoTime() - started) / 1_000_000;

    int ourAbrupt = CUT_PER_ROUND + STALLED_PER_ROUND;
    int handshaked = rounds * (CLIENTS_PER_ROUND + 3 * ABRUPT_PER_KIND + ourAbrupt);
    assertEquals(handshaked, serverOpens.get(), "connections our server opened");
    assertEquals(
        Map.of(
            "1000 remote=true",
            rounds * CLIENTS_PER_ROUND,
            "1006 remote=true",
            rounds * (3 * ABRUPT_PER_KIND + CUT_PER_ROUND),
            "1011 remote=false",
            rounds * STALLED_PER_ROUND),
        closeTally(),
        "close events of our server (1011: its heartbeat closed a stalled connection)");

    ProcessResources.Snapshot after =
        ProcessResources.assertBackTo(
            before, THREAD_TOLERANCE, FD_TOLERANCE, HEAP_TOLERANCE_BYTES, SETTLE_TIMEOUT);
    System.out.printf(
        "soak: %d rounds, %d connections (%d clean, %d abrupt handshaked, %d cut by the proxy, %d"
            + " stalled, %d abrupt before the handshake) in %d ms; before %s, after %s%n",
        rounds,
        handshaked + rounds * 2 * ABRUPT_PER_KIND,
        rounds * CLIENTS_PER_ROUND,
        rounds * 3 * ABRUPT_PER_KIND,
        rounds * CUT_PER_ROUND,
        rounds * STALLED_PER_ROUND,
        rounds * 2 * ABRUPT_PER_KIND,
        soakMillis,
        before,
        after);
  }

  /**
   * Starts an echo server (heartbeat on) and two fault proxies in front of it, runs rounds against
   * it, and stops them all; {@code maxRounds} rounds, or fewer when the soak's time is up. Returns
   * the number of rounds run.
   */
  private int runServer(int maxRounds, int clientsPerRound, boolean abrupt) throws Exception {
    WebSocketServer server = new WebSocketServer(0, "127.0.0.1", 64, 4 * clientsPerRound + 100, 2);
    server.setPingInterval(PING_INTERVAL_SECS);
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
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SOAK_SECONDS);
    int rounds = 0;
    try (FaultProxy cutting = FaultProxy.start(server.getPort());
        FaultProxy stalling = FaultProxy.start(server.getPort())) {
      while (rounds < maxRounds && (SOAK_SECONDS <= 0 || System.nanoTime() - deadline < 0)) {
        int round = rounds;
        runRound(
            server.getPort(),
            clientsPerRound,
            abrupt ? new Proxies(cutting, stalling, round) : null);
        Await.until(
            "our server has no clients left after round " + round,
            SETTLE_TIMEOUT,
            () -> server.getClients().isEmpty());
        rounds++;
      }
    } finally {
      server.stop();
    }
    return rounds;
  }

  /** The proxies of one round, and which cut it uses. */
  private record Proxies(FaultProxy cutting, FaultProxy stalling, int round) {
    Cut cut() {
      return round % 2 == 0 ? Cut.RST : Cut.FIN;
    }
  }

  /**
   * One round: {@code clients} of our clients each echo {@link #MESSAGES_PER_CLIENT} messages and
   * close with 1000, while raw peers disconnect abruptly in five ways and, with {@code proxies},
   * our clients' connections are cut or stalled.
   */
  private void runRound(int port, int clients, Proxies proxies) throws Exception {
    CountDownLatch closed = new CountDownLatch(clients);
    List<String> failures = new ArrayList<>();
    List<WebSocket> webSockets = new ArrayList<>();
    // Stalled first: their heartbeats need two intervals, which the rest of the round overlaps.
    CountDownLatch stalledClosed = new CountDownLatch(proxies == null ? 0 : STALLED_PER_ROUND);
    CountDownLatch cutClosed = new CountDownLatch(proxies == null ? 0 : CUT_PER_ROUND);
    List<WebSocket> ours = new ArrayList<>();
    if (proxies != null) {
      CountDownLatch stalledOpen = new CountDownLatch(STALLED_PER_ROUND);
      for (int i = 0; i < STALLED_PER_ROUND; i++) {
        ours.add(
            faultedClient(
                proxies.stalling().wsUrl("/stalled/" + i),
                1011,
                stalledOpen,
                stalledClosed,
                failures));
      }
      ours.forEach(WebSocket::start);
      await(stalledOpen, "stalled clients open");
      proxies.stalling().awaitConnections(STALLED_PER_ROUND, SETTLE_TIMEOUT);
      proxies.stalling().stallAll(Direction.BOTH);
    }
    for (int i = 0; i < clients; i++) {
      webSockets.add(echoClient(port, i, closed, failures));
    }
    webSockets.forEach(WebSocket::start);
    if (proxies != null) {
      CountDownLatch echoing = new CountDownLatch(CUT_PER_ROUND);
      List<WebSocket> cut = new ArrayList<>();
      for (int i = 0; i < CUT_PER_ROUND; i++) {
        cut.add(
            faultedClient(
                proxies.cutting().wsUrl("/cut/" + i), 1006, echoing, cutClosed, failures));
      }
      cut.forEach(WebSocket::start);
      ours.addAll(cut);
      await(echoing, "proxied clients echoing");
      proxies.cutting().awaitConnections(CUT_PER_ROUND, SETTLE_TIMEOUT);
      proxies.cutting().cutAll(proxies.cut());
      disconnectAbruptly(port);
    }
    boolean allClosed = closed.await(SETTLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    await(cutClosed, "cut clients closed");
    await(stalledClosed, "stalled clients closed by their heartbeat");
    if (proxies != null) {
      // Both ends of each stalled connection have given up; the proxy lets go of its sockets.
      proxies.stalling().cutAll(Cut.RST);
      proxies.stalling().awaitNoConnections(SETTLE_TIMEOUT);
      proxies.cutting().awaitNoConnections(SETTLE_TIMEOUT);
    }
    webSockets.forEach(WebSocket::stop);
    ours.forEach(WebSocket::stop);
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

  private static void await(CountDownLatch latch, String what) throws InterruptedException {
    if (!latch.await(SETTLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      fail(what + ": " + latch.getCount() + " missing after " + SETTLE_TIMEOUT);
    }
  }

  /**
   * One of our clients behind a fault proxy, heartbeat on, reconnection off: it echoes without end
   * (a message out for each one back) until the proxy breaks its connection, which must then close
   * with {@code expectedCode} (1006 for a cut, 1011 for its own heartbeat's timeout). {@code ready}
   * counts down at its first echo.
   */
  private static WebSocket faultedClient(
      String url,
      int expectedCode,
      CountDownLatch ready,
      CountDownLatch closed,
      List<String> failures) {
    WebSocket webSocket = new WebSocket();
    webSocket.setUrl(url);
    webSocket.disableAutomaticReconnection();
    webSocket.setPingInterval(PING_INTERVAL_SECS);
    AtomicInteger echoed = new AtomicInteger();
    webSocket.setOnMessageCallback(
        (WebSocketMessage message) -> {
          switch (message.type()) {
            case OPEN -> webSocket.send("echo 0");
            case MESSAGE -> {
              if (echoed.incrementAndGet() == 1) {
                ready.countDown();
              }
              if (expectedCode == 1006) {
                webSocket.send("echo " + echoed.get());
              }
            }
            case CLOSE -> {
              if (message.closeInfo().code() != expectedCode) {
                synchronized (failures) {
                  failures.add(url + ": " + message.closeInfo() + ", expected " + expectedCode);
                }
              }
              closed.countDown();
            }
            case ERROR -> {
              synchronized (failures) {
                failures.add(url + ": " + message.errorInfo());
              }
              closed.countDown();
            }
            default -> {}
          }
        });
    return webSocket;
  }

  /** A client that sends text and binary messages in turn and closes once all came back. */
  private static WebSocket echoClient(
      int port, int index, CountDownLatch closed, List<String> failures) {
    WebSocket webSocket = new WebSocket();
    webSocket.setUrl("ws://127.0.0.1:" + port + "/soak/" + index);
    webSocket.disableAutomaticReconnection();
    webSocket.setPingInterval(PING_INTERVAL_SECS);
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
}
