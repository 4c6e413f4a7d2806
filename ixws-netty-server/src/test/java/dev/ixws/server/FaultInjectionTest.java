package dev.ixws.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.ReadyState;
import dev.ixws.WebSocketCloseInfo;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.WebSocketSendInfo;
import dev.ixws.client.WebSocket;
import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.Await;
import dev.ixws.testkit.EventRecorder;
import dev.ixws.testkit.FaultProxy;
import dev.ixws.testkit.FaultProxy.Connection;
import dev.ixws.testkit.FaultProxy.Cut;
import dev.ixws.testkit.FaultProxy.Direction;
import dev.ixws.testkit.FaultProxy.Side;
import dev.ixws.testkit.ProcessResources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our client against our server over real loopback sockets with a {@link FaultProxy} between them:
 * cut connections, silent half-open stalls, 1-byte segments, throttling, and a server whose clients
 * all vanish at once. What each scenario proves is written up in docs/conformance.md ("Fault
 * injection").
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FaultInjectionTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  /** The heartbeat interval the tests use (the smallest there is). */
  private static final int PING_INTERVAL_SECS = 1;

  /**
   * When a silent peer is noticed, after the last traffic (docs/lifecycle.md, "Heartbeat"): a ping
   * once the connection has been idle for the interval, and the close with 1011 at the next
   * heartbeat when no pong came, so two intervals; the connection is then dropped at once, without
   * waiting for a close answer. Plus a second of scheduling slack on a shared 2-core machine.
   */
  private static final Duration STALL_DETECTED = Duration.ofMillis(2 * 1000 + 1000);

  /**
   * When the client is open again after the heartbeat closed the connection: "the first attempt
   * after a lost connection is immediate" (no backoff), so one loopback handshake; a second of
   * slack.
   */
  private static final Duration REOPENED = Duration.ofSeconds(1);

  private final EventRecorder<WebSocketMessage> events = new EventRecorder<>();
  private final List<WebSocket> clients = new ArrayList<>();
  private WebSocketServer server;
  private FaultProxy proxy;

  @AfterEach
  void tearDown() {
    if (proxy != null) {
      proxy.close(); // resets what is left, so no stop() below waits on a stalled connection
    }
    clients.forEach(WebSocket::stop);
    if (server != null) {
      server.stop();
    }
  }

  // ------------------------------------------------------------ fixtures

  /** Our echo server, every event of its connections to {@code recorder}, behind a new proxy. */
  private void startEchoServerBehindProxy(Consumer<WebSocketMessage> recorder) {
    server = TestServers.echo(recorder).maxConnections(256).start();
    proxy = FaultProxy.start(server.getPort());
  }

  /** A client of the proxy whose events go to {@link #events}; stopped after the test. */
  private WebSocket client(String path) {
    WebSocket client = new WebSocket();
    client.setUrl(proxy.wsUrl(path));
    client.setOnMessageCallback(events::accept);
    clients.add(client);
    return client;
  }

  private WebSocketMessage next(WebSocketMessageType type) {
    WebSocketMessage message = events.next();
    assertEquals(type, message.type(), "event " + message);
    return message;
  }

  /** The next event that is not a PONG (heartbeat answers may come at any time). */
  private WebSocketMessage nextNonPong(Duration timeout) {
    return events.nextMatching(m -> m.type() != WebSocketMessageType.PONG, timeout);
  }

  /** Skips the ERRORs of refused attempts until the client is open again. */
  private void awaitReopen(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    WebSocketMessage message;
    do {
      message = events.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      assertTrue(
          message.type() == WebSocketMessageType.ERROR
              || message.type() == WebSocketMessageType.OPEN,
          "event " + message);
    } while (message.type() != WebSocketMessageType.OPEN);
  }

  private void assertEchoes(WebSocket client, String text) {
    assertTrue(client.send(text).success(), "sent " + text);
    WebSocketMessage echo = nextNonPong(WAIT);
    assertEquals(WebSocketMessageType.MESSAGE, echo.type(), "event " + echo);
    assertEquals(text, echo.str());
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  // ------------------------------------------------------------ silent stall

  @Test
  void silentStallIsDetectedByTheClientHeartbeatAndTheClientReconnectsWithinTheDocumentedBound() {
    EventRecorder<WebSocketMessage> serverEvents = new EventRecorder<>();
    startEchoServerBehindProxy(serverEvents);
    WebSocket client = client("/stall");
    client.setPingInterval(PING_INTERVAL_SECS);
    client.start();
    next(WebSocketMessageType.OPEN);
    assertEchoes(client, "before");
    Connection first = proxy.awaitConnections(1, WAIT).get(0);

    // Half-open both ways: no FIN, no RST, the bytes just stop.
    first.stall(Direction.BOTH);
    long stalled = System.nanoTime();
    WebSocketMessage closed = nextNonPong(STALL_DETECTED);
    long detected = millisSince(stalled);
    assertEquals(WebSocketMessageType.CLOSE, closed.type(), "event " + closed);
    assertEquals(1011, closed.closeInfo().code());
    assertEquals("Ping timeout", closed.closeInfo().reason());
    assertFalse(closed.closeInfo().remote(), "the client gave up, not the server");
    assertTrue(
        detected >= 1500, "a silent peer is given two 1 s heartbeats, not " + detected + " ms");

    long lost = System.nanoTime();
    WebSocketMessage reopened = nextNonPong(REOPENED);
    assertEquals(WebSocketMessageType.OPEN, reopened.type(), "event " + reopened);
    long reopenMillis = millisSince(lost);
    assertEchoes(client, "after");
    assertEquals(2, proxy.acceptedCount(), "one new connection");
    System.out.printf(
        "stall: heartbeat closed after %d ms, reopened %d ms later%n", detected, reopenMillis);

    // Meanwhile our server still holds the half-open first connection (no server heartbeat);
    // once the stall ends it reads the client's close and frees it.
    assertEquals(2, server.getClients().size());
    first.resume();
    Await.untilEquals(1, WAIT, () -> server.getClients().size());
    first.awaitClosed(WAIT);

    // The server saw both connections open and echo; then, the stall over, what the client sent
    // into it: the heartbeat's unanswered ping and the close with 1011.
    assertServerEvent(serverEvents.next(), WebSocketMessageType.OPEN, "/stall");
    assertServerEvent(serverEvents.next(), WebSocketMessageType.MESSAGE, "before");
    assertServerEvent(serverEvents.next(), WebSocketMessageType.OPEN, "/stall");
    assertServerEvent(serverEvents.next(), WebSocketMessageType.MESSAGE, "after");
    WebSocketMessage stalledPing = serverEvents.next();
    assertEquals(WebSocketMessageType.PING, stalledPing.type(), "event " + stalledPing);
    assertTrue(stalledPing.str().startsWith("ixws::heartbeat::"), stalledPing.str());
    WebSocketMessage serverClosed =
        serverEvents.nextMatching(m -> m.type() != WebSocketMessageType.PING, WAIT);
    assertEquals(WebSocketMessageType.CLOSE, serverClosed.type(), "event " + serverClosed);
    assertEquals(1011, serverClosed.closeInfo().code());
    assertEquals("Ping timeout", serverClosed.closeInfo().reason());
    assertTrue(serverClosed.closeInfo().remote());
    // On a slow run the second connection may already be idle for a heartbeat interval: its
    // pings (server side) and pongs (client side) are not this test's subject.
    assertOnly(WebSocketMessageType.PING, serverEvents.skipRemaining());
    assertOnly(WebSocketMessageType.PONG, events.skipRemaining());
  }

  private static void assertServerEvent(
      WebSocketMessage event, WebSocketMessageType type, String uriOrText) {
    assertEquals(type, event.type(), "event " + event);
    assertEquals(
        uriOrText, type == WebSocketMessageType.OPEN ? event.openInfo().uri() : event.str());
  }

  private static void assertOnly(WebSocketMessageType type, List<WebSocketMessage> events) {
    assertTrue(events.stream().allMatch(m -> m.type() == type), type + " only: " + events);
  }

  @Test
  void silentStallIsDetectedEvenWhileTheClientHasUnsentDataStuckInTheConnection() {
    startEchoServerBehindProxy(msg -> {});
    WebSocket client = client("/stall-busy");
    client.setPingInterval(PING_INTERVAL_SECS);
    client.start();
    next(WebSocketMessageType.OPEN);
    Connection first = proxy.awaitConnections(1, WAIT).get(0);
    first.stall(Direction.BOTH);
    // Far more than the socket buffers and the proxy's cap hold: writes stay pending in the client.
    byte[] chunk = new byte[256 * 1024];
    new Random(7).nextBytes(chunk); // incompressible: per-message deflate must not shrink it
    for (int i = 0; i < 40; i++) {
      assertTrue(client.sendBinary(chunk).success());
    }
    long stalled = System.nanoTime();
    Await.until(
        "the client has unsent bytes", WAIT, () -> client.getBufferedAmount() > chunk.length);
    // Write completions count as traffic while the socket buffers still take bytes, so the
    // heartbeat starts later here (about 7 s in our runs); then the close must not wait for them.
    WebSocketMessage closed = nextNonPong(Duration.ofSeconds(15));
    assertEquals(WebSocketMessageType.CLOSE, closed.type(), "event " + closed);
    assertEquals(1011, closed.closeInfo().code(), "closed " + closed.closeInfo());
    System.out.printf("stall with unsent data: closed after %d ms%n", millisSince(stalled));
    assertEquals(WebSocketMessageType.OPEN, nextNonPong(REOPENED).type());
  }

  @Test
  void serverHeartbeatFreesAStalledClientEvenWithUnsentDataForIt() {
    WebSocketServer beating = new WebSocketServer(0);
    beating.setPingInterval(PING_INTERVAL_SECS);
    byte[] chunk = new byte[256 * 1024];
    new Random(8).nextBytes(chunk); // incompressible: per-message deflate must not shrink it
    beating.setOnConnectionCallback(
        (webSocket, state) ->
            webSocket.setOnMessageCallback(
                msg -> {
                  if (msg.type() == WebSocketMessageType.MESSAGE) {
                    for (int i = 0; i < 40; i++) {
                      webSocket.sendBinary(chunk);
                    }
                  }
                }));
    server = TestServers.started(beating);
    proxy = FaultProxy.start(server.getPort());
    WebSocket client = client("/stall-server");
    client.disableAutomaticReconnection();
    client.start();
    next(WebSocketMessageType.OPEN);
    Connection connection = proxy.awaitConnections(1, WAIT).get(0);
    assertTrue(client.send("flood me").success());
    next(WebSocketMessageType.MESSAGE); // the flood has started
    connection.stall(Direction.BOTH); // 10 MB the server cannot send now
    Await.until(
        "the server frees the silent client",
        Duration.ofSeconds(15),
        () -> server.getClients().isEmpty());
    // Some more chunks of the flood may have crossed before the stall; nothing else reaches the
    // client, whose side hears nothing (no FIN, no RST) until the proxy is closed after the test.
    List<WebSocketMessage> crossed = events.skipRemaining();
    assertTrue(crossed.size() < 40, crossed.size() + " chunks");
    for (WebSocketMessage message : crossed) {
      assertEquals(WebSocketMessageType.MESSAGE, message.type(), "event " + message);
      assertTrue(message.binary());
      assertEquals(chunk.length, message.size());
    }
  }

  // ------------------------------------------------------------ cut mid-message

  /** Message {@code index}: "#index:" then padding; every fifth one large, to be mid-flight. */
  private static byte[] numbered(int index) {
    int size = index % 5 == 2 ? 150_000 : 40;
    byte[] bytes = new byte[size];
    // Random letters, so per-message deflate shrinks what the throttle carries by a third at most.
    Random random = new Random(index);
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) ('a' + random.nextInt(26));
    }
    byte[] prefix = ("#" + index + ":").getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(prefix, 0, bytes, 0, prefix.length);
    return bytes;
  }

  private static int indexOf(WebSocketMessage message) {
    String head = new String(message.bytes(), 0, 12, StandardCharsets.US_ASCII);
    return Integer.parseInt(head.substring(1, head.indexOf(':')));
  }

  private static void send(WebSocket client, int index) {
    byte[] bytes = numbered(index);
    WebSocketSendInfo info =
        index % 2 == 0
            ? client.send(new String(bytes, StandardCharsets.US_ASCII))
            : client.sendBinary(bytes);
    assertTrue(info.success(), "send #" + index + ": " + info);
  }

  @ParameterizedTest
  @EnumSource(Cut.class)
  void cutMidMessageLosesNothingReportedDeliveredAndNothingArrivesTwiceOrOutOfOrder(Cut how) {
    int total = 40;
    int cutAfterEchoes = 10;
    // Per server-side connection, in the order they opened: the indices it received.
    List<List<Integer>> serverReceived = new CopyOnWriteArrayList<>();
    EventRecorder<WebSocketCloseInfo> serverCloses = new EventRecorder<>();
    server =
        TestServers.serving(
                (webSocket, state) -> {
                  List<Integer> received = new CopyOnWriteArrayList<>();
                  serverReceived.add(received);
                  webSocket.setOnMessageCallback(
                      msg -> {
                        if (msg.type() == WebSocketMessageType.MESSAGE) {
                          received.add(indexOf(msg));
                          webSocket.send(msg);
                        } else if (msg.type() == WebSocketMessageType.CLOSE) {
                          serverCloses.accept(msg.closeInfo());
                        }
                      });
                })
            .start();
    proxy = FaultProxy.start(server.getPort());
    // 1 MB/s each way: the 150 KB messages take 150 ms to cross, so a cut lands inside one.
    proxy.setThrottle(1_000_000);
    WebSocket client = client("/cut");
    client.start();
    next(WebSocketMessageType.OPEN);
    for (int i = 0; i < total; i++) {
      send(client, i);
    }

    // Echoes are what the client knows was delivered. Cut after a few, while more are in flight.
    List<Integer> echoedFirst = new ArrayList<>();
    WebSocketMessage message;
    while ((message = events.next()).type() == WebSocketMessageType.MESSAGE) {
      assertArrayEquals(numbered(indexOf(message)), message.bytes(), "echo intact");
      echoedFirst.add(indexOf(message));
      if (echoedFirst.size() == cutAfterEchoes) {
        proxy.cutAll(how);
        proxy.setThrottle(0);
      }
    }
    assertEquals(WebSocketMessageType.CLOSE, message.type(), "event " + message);
    assertEquals(1006, message.closeInfo().code(), "a cut is an abnormal closure");
    int delivered = echoedFirst.size();
    assertTrue(delivered < total, "the cut came before the end: " + delivered);
    assertEquals(IntStream.range(0, delivered).boxed().toList(), echoedFirst, "echoes in order");
    assertEquals(1006, serverCloses.next().code(), "the server saw the cut too");
    List<Integer> firstConnection = serverReceived.get(0);
    assertTrue(
        firstConnection.size() >= delivered && firstConnection.size() <= total,
        "server got " + firstConnection.size() + ", the client saw " + delivered + " echoed");
    assertEquals(
        IntStream.range(0, firstConnection.size()).boxed().toList(),
        firstConnection,
        "the server received a prefix of what was sent on the first connection");

    // Reconnected at once; the application resends what it did not see delivered.
    next(WebSocketMessageType.OPEN);
    for (int i = delivered; i < total; i++) {
      send(client, i);
    }
    List<Integer> echoedSecond = new ArrayList<>();
    while (echoedSecond.size() < total - delivered) {
      WebSocketMessage echo = next(WebSocketMessageType.MESSAGE);
      assertArrayEquals(numbered(indexOf(echo)), echo.bytes(), "echo intact");
      echoedSecond.add(indexOf(echo));
    }
    assertEquals(IntStream.range(delivered, total).boxed().toList(), echoedSecond);
    assertEquals(2, serverReceived.size());
    assertEquals(echoedSecond, serverReceived.get(1), "second connection: exactly the resent");
  }

  // ------------------------------------------------------------ sending while disconnected

  @Test
  void sendWhileDisconnectedFailsClearlyAndIsNeverDeliveredLater() {
    startEchoServerBehindProxy(msg -> {});
    WebSocket client = client("/disconnected");
    client.setMaxWaitBetweenReconnectionRetries(200);
    client.start();
    next(WebSocketMessageType.OPEN);
    proxy.refuseNewConnections();
    proxy.cutAll(Cut.RST);
    assertEquals(1006, next(WebSocketMessageType.CLOSE).closeInfo().code());

    WebSocketSendInfo info = client.send("into the void");
    assertFalse(info.success(), "nothing is queued silently");
    assertTrue(info.error().contains("not open"), info.error());
    WebSocketMessage refused = next(WebSocketMessageType.ERROR);
    assertEquals(1, refused.errorInfo().retries(), refused.toString());

    proxy.acceptNewConnections();
    awaitReopen(WAIT);
    assertEchoes(client, "after"); // the first message back: "into the void" was never sent
    events.assertNoMoreEvents(Duration.ofMillis(200));
  }

  @Test
  void readyStateIsConnectingWhenALostConnectionIsReportedAndReconnectionFollows() {
    startEchoServerBehindProxy(msg -> {});
    WebSocket client = new WebSocket();
    client.setUrl(proxy.wsUrl("/state"));
    clients.add(client);
    EventRecorder<ReadyState> stateAtClose = new EventRecorder<>();
    client.setOnMessageCallback(
        msg -> {
          events.accept(msg);
          if (msg.type() == WebSocketMessageType.CLOSE) {
            stateAtClose.accept(client.getReadyState());
          }
        });
    client.start();
    next(WebSocketMessageType.OPEN);
    proxy.cutAll(Cut.RST);
    assertEquals(1006, next(WebSocketMessageType.CLOSE).closeInfo().code());
    assertEquals(
        ReadyState.CONNECTING,
        stateAtClose.next(),
        "docs/lifecycle.md: CLOSED only before start(), after stop()/close(), or after a failure"
            + " when reconnection is off");
    next(WebSocketMessageType.OPEN);
  }

  @Test
  void withASendQueueMessagesSentWhileDisconnectedAreDeliveredInOrderAfterReconnecting() {
    EventRecorder<WebSocketMessage> serverEvents = new EventRecorder<>();
    startEchoServerBehindProxy(serverEvents);
    WebSocket client = client("/queued");
    client.setMaxWaitBetweenReconnectionRetries(200);
    client.setMaxQueuedMessagesWhileReconnecting(3);
    client.start();
    next(WebSocketMessageType.OPEN);
    proxy.refuseNewConnections();
    proxy.cutAll(Cut.FIN);
    assertEquals(1006, next(WebSocketMessageType.CLOSE).closeInfo().code());

    for (String text : List.of("q1", "q2", "q3")) {
      assertTrue(client.send(text).success(), "queued: " + text);
    }
    WebSocketSendInfo full = client.send("q4");
    assertFalse(full.success(), "the queue holds 3");
    assertEquals(WebSocketMessageType.ERROR, next(WebSocketMessageType.ERROR).type());

    proxy.acceptNewConnections();
    awaitReopen(WAIT);
    for (String text : List.of("q1", "q2", "q3")) {
      assertEquals(text, next(WebSocketMessageType.MESSAGE).str(), "in order, once");
    }
    assertEchoes(client, "after");
    List<String> serverGot = new ArrayList<>();
    while (serverGot.size() < 4) {
      WebSocketMessage msg = serverEvents.next();
      if (msg.type() == WebSocketMessageType.MESSAGE) {
        serverGot.add(msg.str());
      }
    }
    assertEquals(List.of("q1", "q2", "q3", "after"), serverGot);
  }

  // ------------------------------------------------------------ segments and throttling

  private static final String UTF8_TEXT = "héllo wörld — ✓ 日本語 😀 ∑ 🎉";

  /** The messages both shaping tests send: multi-byte UTF-8, all byte values, length forms. */
  private static List<WebSocketMessage> shapedMessages(int largeSize) {
    byte[] allBytes = new byte[256];
    for (int i = 0; i < 256; i++) {
      allBytes[i] = (byte) i;
    }
    byte[] large = new byte[largeSize];
    new Random(42).nextBytes(large);
    byte[] exactly126 = new byte[126];
    Arrays.fill(exactly126, (byte) 0x7e);
    return List.of(
        WebSocketMessage.text(UTF8_TEXT),
        WebSocketMessage.message(allBytes, true, 0),
        WebSocketMessage.text(""),
        WebSocketMessage.message(exactly126, true, 0),
        WebSocketMessage.text(UTF8_TEXT.repeat(largeSize / 60 + 1)),
        WebSocketMessage.message(large, true, 0),
        WebSocketMessage.text("last"));
  }

  private void assertShapedRoundTrip(WebSocket client, List<WebSocketMessage> messages) {
    for (WebSocketMessage message : messages) {
      assertTrue(
          message.binary()
              ? client.sendBinary(message.bytes()).success()
              : client.send(message.str()).success());
    }
    for (WebSocketMessage sent : messages) {
      WebSocketMessage echo = next(WebSocketMessageType.MESSAGE);
      assertEquals(sent.binary(), echo.binary(), "kind of " + echo);
      assertArrayEquals(sent.bytes(), echo.bytes(), "content of " + echo);
    }
  }

  @Test
  void oneByteSegmentsCarryTheHandshakeAndEveryMessageIntactAndInOrder() {
    startEchoServerBehindProxy(msg -> {});
    proxy.setOneByteSegments(true); // from the first byte of the handshake
    WebSocket client = client("/segments?q=1");
    client.start();
    WebSocketMessage open = next(WebSocketMessageType.OPEN);
    assertEquals("/segments?q=1", open.openInfo().uri());
    long started = System.nanoTime();
    assertShapedRoundTrip(client, shapedMessages(2_000));
    Connection connection = proxy.awaitConnections(1, WAIT).get(0);
    for (Direction direction : List.of(Direction.UPSTREAM, Direction.DOWNSTREAM)) {
      assertEquals(
          connection.forwardedBytes(direction),
          connection.writes(direction),
          direction + ": one write per byte");
    }
    System.out.printf(
        "1-byte segments: %d bytes up, %d down in %d ms%n",
        connection.forwardedBytes(Direction.UPSTREAM),
        connection.forwardedBytes(Direction.DOWNSTREAM),
        millisSince(started));
  }

  @Test
  void throttledAndDelayedConnectionCarriesLargeMessagesIntactAndInOrder() {
    startEchoServerBehindProxy(msg -> {});
    proxy.setThrottle(400_000);
    proxy.setDelay(Duration.ofMillis(20));
    WebSocket client = client("/throttled");
    long started = System.nanoTime();
    client.start();
    next(WebSocketMessageType.OPEN);
    assertTrue(millisSince(started) >= 40, "request and response each delayed 20 ms");
    // 70,000 bytes: the 64-bit length form; the text is about 200 KB of multi-byte UTF-8.
    assertShapedRoundTrip(client, shapedMessages(70_000));
    long millis = millisSince(started);
    Connection connection = proxy.awaitConnections(1, WAIT).get(0);
    long up = connection.forwardedBytes(Direction.UPSTREAM);
    assertTrue(
        millis >= up * 1000 / 400_000 * 8 / 10,
        up + " bytes at 400 KB/s went through in only " + millis + " ms");
    System.out.printf("throttled: %d bytes up in %d ms%n", up, millis);
  }

  // ------------------------------------------------------------ all clients vanish

  /** How the clients of one round go away. */
  private enum Vanish {
    /** The proxy resets both sides of every connection. */
    RESET,
    /** The proxy closes both sides of every connection normally (FIN). */
    FIN,
    /** The clients' sockets are reset; the server's side stays open and hears nothing. */
    CLIENTS_GONE_SERVER_HALF_OPEN,
    /** Every connection goes silent both ways; the heartbeats of both ends must notice. */
    STALL
  }

  @Test
  void serverFreesEveryConnectionWhenAllItsClientsVanishAtOnce() {
    Map<String, AtomicInteger> serverCloses = new ConcurrentHashMap<>();
    WebSocketServer beating =
        new WebSocketServer(0, WebSocketServer.DEFAULT_HOST, 64, 256, 3); // 3 s handshake
    beating.setPingInterval(PING_INTERVAL_SECS);
    beating.setOnConnectionCallback(
        (webSocket, state) ->
            webSocket.setOnMessageCallback(
                msg -> {
                  if (msg.type() == WebSocketMessageType.CLOSE) {
                    String key = msg.closeInfo().code() + " remote=" + msg.closeInfo().remote();
                    serverCloses.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                  }
                }));
    server = TestServers.started(beating);
    proxy = FaultProxy.start(server.getPort());

    // Warm-up: event loops, allocator caches and classes exist before the baseline.
    vanishRound(10, Vanish.RESET);
    serverCloses.clear();
    ProcessResources.Snapshot before = ProcessResources.take();

    int perRound = 40;
    for (Vanish vanish : Vanish.values()) {
      vanishRound(perRound, vanish);
    }
    Map<String, Integer> tally = new TreeMap<>();
    serverCloses.forEach((key, count) -> tally.put(key, count.get()));
    assertEquals(
        Map.of("1006 remote=true", 2 * perRound, "1011 remote=false", 2 * perRound),
        tally,
        "cuts are abnormal closures; silent clients are closed by the server's heartbeat");
    ProcessResources.Snapshot after =
        ProcessResources.assertBackTo(before, 2, 4, 16L * 1024 * 1024, Duration.ofSeconds(10));
    System.out.printf("vanish: before %s, after %s%n", before, after);
  }

  /** {@code count} clients connect through the proxy, then all vanish at once in one way. */
  private void vanishRound(int count, Vanish vanish) {
    CountDownLatch opened = new CountDownLatch(count);
    CountDownLatch closed = new CountDownLatch(count);
    List<WebSocket> round = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      WebSocket client = new WebSocket();
      client.setUrl(proxy.wsUrl("/vanish/" + vanish + "/" + i));
      client.disableAutomaticReconnection();
      client.setPingInterval(PING_INTERVAL_SECS);
      client.setOnMessageCallback(
          msg -> {
            if (msg.type() == WebSocketMessageType.OPEN) {
              opened.countDown();
            } else if (msg.type() == WebSocketMessageType.CLOSE) {
              closed.countDown();
            }
          });
      round.add(client);
      clients.add(client);
    }
    round.forEach(WebSocket::start);
    await(opened, "clients open");
    Await.untilEquals(count, WAIT, () -> server.getClients().size());
    proxy.awaitConnections(count, WAIT);

    switch (vanish) {
      case RESET -> proxy.cutAll(Cut.RST);
      case FIN -> proxy.cutAll(Cut.FIN);
      case CLIENTS_GONE_SERVER_HALF_OPEN ->
          proxy.connections().forEach(c -> c.cut(Cut.RST, Side.CLIENT));
      case STALL -> proxy.stallAll(Direction.BOTH);
    }
    await(closed, "clients closed");
    Await.until(
        "our server frees every connection after "
            + vanish
            + " ("
            + server.getClients().size()
            + ")",
        STALL_DETECTED.plus(WAIT),
        () -> server.getClients().isEmpty());
    if (vanish == Vanish.STALL) {
      proxy.resumeAll(); // both ends have closed; the proxy reads their FINs and lets go
    }
    proxy.awaitNoConnections(WAIT);
    round.forEach(WebSocket::stop);
    clients.removeAll(round);
  }

  private static void await(CountDownLatch latch, String what) {
    try {
      assertTrue(
          latch.await(STALL_DETECTED.plus(WAIT).toMillis(), TimeUnit.MILLISECONDS),
          what + ": " + latch.getCount() + " missing");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
