package dev.ixws.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.ReadyState;
import dev.ixws.WebSocketErrorInfo;
import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.WebSocketInitResult;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.WebSocketSendInfo;
import dev.ixws.internal.transport.EventLoops;
import dev.ixws.testkit.HttpHead;
import dev.ixws.testkit.RawConnection;
import dev.ixws.testkit.RawHttpServer;
import dev.ixws.testkit.WsFrame;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Automatic reconnection, the send queue, the headers supplier and stopping, with a server played
 * by hand: the raw server sees every connection attempt, so "no reconnection" is observable as no
 * new TCP connection.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ClientReconnectionTest extends RawServerClientBase {

  /** Long enough to see a reconnection that should not happen (every wait here is shorter). */
  private static final Duration QUIET = Duration.ofMillis(1500);

  /** stop() must return well within this. */
  private static final long PROMPT_MILLIS = 2000;

  private Set<Thread> threadsBefore;

  /** Takes the thread snapshot before the base class makes the raw server and the client. */
  @BeforeEach
  @Override
  void setUp() throws IOException {
    // Start the shared event loops first so that their threads are not counted as new ones.
    EventLoops.group();
    threadsBefore = Set.copyOf(Thread.getAllStackTraces().keySet());
    super.setUp();
  }

  /** Accepts the next attempt and answers its handshake with 503. */
  private HttpHead rejectNextAttempt() throws IOException {
    try (RawConnection conn = raw.accept(WAIT)) {
      HttpHead request = conn.readHead();
      conn.write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
      assertTrue(conn.awaitPeerClose(WAIT), "the client hangs up after a rejection");
      return request;
    }
  }

  private void assertErrorInfo(
      WebSocketMessage error, int retries, long waitTime, int httpStatus, String what) {
    WebSocketErrorInfo info = error.errorInfo();
    assertEquals(retries, info.retries(), what + ": retries; " + info);
    assertEquals(waitTime, info.waitTime(), what + ": waitTime; " + info);
    assertEquals(httpStatus, info.httpStatus(), what + ": httpStatus; " + info);
  }

  /** No new TCP connection reaches the raw server for {@link #QUIET}. */
  private void assertNoReconnection() {
    assertThrows(
        SocketTimeoutException.class,
        () -> raw.accept(QUIET).close(),
        "the client must not connect again");
  }

  /** stop() returns within {@link #PROMPT_MILLIS}. */
  private void stopPromptly() {
    long started = System.nanoTime();
    client.stop();
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertTrue(millis < PROMPT_MILLIS, "stop() took " + millis + " ms");
    assertEquals(ReadyState.CLOSED, client.getReadyState());
  }

  /** No I/O thread beyond the configured count, and no new non-daemon thread. */
  private void assertNoThreadLeftBehind() {
    Set<Thread> now = new HashSet<>(Thread.getAllStackTraces().keySet());
    long ioThreads = now.stream().filter(t -> t.getName().startsWith("ixws-io")).count();
    assertTrue(
        ioThreads <= EventLoops.DEFAULT_THREADS,
        ioThreads + " I/O threads, configured " + EventLoops.DEFAULT_THREADS);
    now.removeAll(threadsBefore);
    now.removeIf(t -> t.isDaemon() || !t.isAlive());
    assertTrue(now.isEmpty(), "new non-daemon threads: " + now);
  }

  // ------------------------------------------------------------------ sending while disconnected

  @Test
  void sendWhileDisconnectedFailsAtOnceWithoutASendQueue() throws IOException {
    assertFalse(client.send("before start").success());
    client.start();
    rejectNextAttempt();
    assertErrorInfo(next(WebSocketMessageType.ERROR), 1, 100, 503, "first failure");
    assertEquals(ReadyState.CONNECTING, client.getReadyState(), "waiting to reconnect");
    WebSocketSendInfo info = client.send("while reconnecting");
    assertFalse(info.success(), "nothing is queued by default");
    assertTrue(info.error().contains("not open"), info.error());
    assertFalse(client.sendBinary(new byte[] {1, 2}).success());
  }

  @Test
  void messagesQueuedWhileReconnectingAreSentInOrderOnceOpen() throws IOException {
    client.setMaxQueuedMessagesWhileReconnecting(3);
    client.start();
    rejectNextAttempt();
    assertErrorInfo(next(WebSocketMessageType.ERROR), 1, 100, 503, "first failure");
    try (RawConnection conn = raw.accept(WAIT)) {
      HttpHead request = conn.readHead();
      assertEquals(ReadyState.CONNECTING, client.getReadyState(), "second attempt in progress");
      for (String text : new String[] {"one", "two", "three"}) {
        WebSocketSendInfo queued = client.send(text);
        assertTrue(queued.success(), "queued: " + queued);
      }
      WebSocketSendInfo refused = client.send("four");
      assertFalse(refused.success(), "the queue holds 3");
      assertTrue(refused.error().contains("queue is full"), refused.error());

      conn.write(RawHttpServer.switchingProtocols(request.header("Sec-WebSocket-Key")));
      next(WebSocketMessageType.OPEN);
      for (String text : new String[] {"one", "two", "three"}) {
        WsFrame frame = conn.readFrame();
        assertEquals(WsFrame.OP_TEXT, frame.opcode(), "got " + frame);
        assertEquals(text, frame.text());
      }
      assertTrue(client.send("after open").success());
      assertEquals("after open", conn.readFrame().text(), "the refused message never went out");
    }
    nextAbnormalClose();
  }

  @Test
  void queuedMessagesAreDroppedAndReportedOnStop() throws IOException {
    client.setMaxQueuedMessagesWhileReconnecting(3);
    client.setMinWaitBetweenReconnectionRetries(1000);
    client.start();
    rejectNextAttempt();
    assertErrorInfo(next(WebSocketMessageType.ERROR), 1, 1000, 503, "first failure");
    assertTrue(client.send("a").success());
    assertTrue(client.sendBinary(new byte[] {1}).success());
    stopPromptly();
    WebSocketMessage dropped = next(WebSocketMessageType.ERROR);
    assertErrorInfo(dropped, 0, 0, 0, "dropped report");
    assertEquals(
        "2 queued message(s) were dropped: the WebSocket was stopped",
        dropped.errorInfo().reason());
    assertNoReconnection();
    events.assertNoMoreEvents(Duration.ofMillis(50));
  }

  // ------------------------------------------------------------------ attempts

  @Test
  void extraHeadersSupplierIsCalledForEveryAttempt() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    client.setExtraHeadersSupplier(
        () -> WebSocketHttpHeaders.of(Map.of("X-Attempt", "" + calls.incrementAndGet())));
    client.start();
    assertEquals("1", rejectNextAttempt().header("X-Attempt"));
    assertErrorInfo(next(WebSocketMessageType.ERROR), 1, 100, 503, "first failure");
    assertEquals("2", rejectNextAttempt().header("X-Attempt"));
    assertErrorInfo(next(WebSocketMessageType.ERROR), 2, 200, 503, "second failure");
  }

  @Test
  void withReconnectionDisabledAFailedStartGivesOneErrorAndStaysClosed() throws IOException {
    assertTrue(client.isAutomaticReconnectionEnabled(), "on by default, as IXWebSocket");
    client.disableAutomaticReconnection();
    assertFalse(client.isAutomaticReconnectionEnabled());
    client.setMaxQueuedMessagesWhileReconnecting(3);
    client.start();
    rejectNextAttempt();
    WebSocketMessage error = next(WebSocketMessageType.ERROR);
    assertErrorInfo(error, 1, 0, 503, "the only failure");
    assertEquals(ReadyState.CLOSED, client.getReadyState());
    assertFalse(client.send("into the void").success(), "no reconnection follows: not queued");
    assertNoReconnection();
    events.assertNoMoreEvents(Duration.ofMillis(50));
  }

  @Test
  void disablingReconnectionWhileWaitingCancelsTheScheduledAttempt() throws IOException {
    client.setMinWaitBetweenReconnectionRetries(500);
    client.setMaxQueuedMessagesWhileReconnecting(3);
    client.start();
    rejectNextAttempt();
    assertErrorInfo(next(WebSocketMessageType.ERROR), 1, 500, 503, "first failure");
    assertTrue(client.send("queued").success());
    client.disableAutomaticReconnection(); // takes effect at once, as documented
    WebSocketMessage dropped = next(WebSocketMessageType.ERROR);
    assertEquals(
        "1 queued message(s) were dropped: automatic reconnection was turned off",
        dropped.errorInfo().reason());
    assertEquals(ReadyState.CLOSED, client.getReadyState());
    assertFalse(client.send("now").success(), "nothing is queued once reconnection is off");
    assertNoReconnection();
    events.assertNoMoreEvents(Duration.ofMillis(50));
  }

  @Test
  void withReconnectionDisabledAServerCloseIsFinal() throws IOException {
    client.disableAutomaticReconnection();
    client.setMaxQueuedMessagesWhileReconnecting(3);
    client.start();
    try (RawConnection conn = acceptUpgrade()) {
      next(WebSocketMessageType.OPEN);
      conn.writeFrame(WsFrame.close(1001, "restarting", false));
      assertEquals(1001, conn.readFrame().closeCode());
      conn.hangUp();
    }
    WebSocketMessage closed = next(WebSocketMessageType.CLOSE);
    assertEquals(1001, closed.closeInfo().code());
    assertTrue(closed.closeInfo().remote());
    assertEquals(ReadyState.CLOSED, client.getReadyState());
    assertNoReconnection();
    assertFalse(client.send("into the void").success(), "no reconnection follows: not queued");
  }

  @Test
  void startAfterStopConnectsAgainWithTheCountFromOne() throws IOException {
    client.setMinWaitBetweenReconnectionRetries(1000);
    client.start();
    rejectNextAttempt();
    assertErrorInfo(next(WebSocketMessageType.ERROR), 1, 1000, 503, "first run");
    stopPromptly();
    client.start();
    rejectNextAttempt();
    assertErrorInfo(next(WebSocketMessageType.ERROR), 1, 1000, 503, "second run starts over");
  }

  @Test
  void connectReplacesAReconnectionWaitAndItsFailureIsNotRetried() throws Exception {
    client.setMinWaitBetweenReconnectionRetries(1000);
    client.start();
    rejectNextAttempt();
    assertErrorInfo(next(WebSocketMessageType.ERROR), 1, 1000, 503, "start() failure");
    CompletableFuture<WebSocketInitResult> connecting =
        CompletableFuture.supplyAsync(() -> client.connect(5));
    rejectNextAttempt();
    WebSocketInitResult result = connecting.get(5, TimeUnit.SECONDS);
    assertFalse(result.success());
    assertEquals(503, result.httpStatus());
    assertEquals(ReadyState.CLOSED, client.getReadyState());
    // connect() reports its failure in the result only, and never retries on its own.
    assertNoReconnection();
    events.assertNoMoreEvents(Duration.ofMillis(50));
  }

  // ------------------------------------------------------------------ stopping

  @Test
  void stopWhileWaitingToReconnectCancelsTheWait() throws IOException {
    client.setMinWaitBetweenReconnectionRetries(1000);
    client.start();
    rejectNextAttempt();
    assertErrorInfo(next(WebSocketMessageType.ERROR), 1, 1000, 503, "first failure");
    assertEquals(ReadyState.CONNECTING, client.getReadyState(), "waiting 1 s");
    stopPromptly();
    assertNoReconnection();
    events.assertNoMoreEvents(Duration.ofMillis(50));
    assertNoThreadLeftBehind();
  }

  @Test
  void stopFromTheErrorCallbackEndsTheRetries() throws IOException {
    client.setOnMessageCallback(
        msg -> {
          events.accept(msg);
          if (msg.type() == WebSocketMessageType.ERROR && msg.errorInfo().retries() >= 2) {
            client.stop(); // on the event loop: returns at once
          }
        });
    client.start();
    rejectNextAttempt();
    assertErrorInfo(next(WebSocketMessageType.ERROR), 1, 100, 503, "first failure");
    rejectNextAttempt();
    assertErrorInfo(next(WebSocketMessageType.ERROR), 2, 200, 503, "second failure, then stop");
    assertNoReconnection();
    assertEquals(ReadyState.CLOSED, client.getReadyState());
    events.assertNoMoreEvents(Duration.ofMillis(50));
  }

  @Test
  void stopWhileConnectingAbandonsTheHandshake() throws IOException {
    client.start();
    try (RawConnection conn = raw.accept(WAIT)) {
      conn.readHead(); // and never answer
      assertEquals(ReadyState.CONNECTING, client.getReadyState());
      stopPromptly();
      assertTrue(conn.awaitPeerClose(WAIT), "the client hangs up");
    }
    assertNoReconnection();
    events.assertNoMoreEvents(Duration.ofMillis(50));
    assertNoThreadLeftBehind();
  }

  @Test
  void stopWhileOpenClosesWith1000AndNeverReconnects() throws Exception {
    client.start();
    try (RawConnection conn = acceptUpgrade()) {
      next(WebSocketMessageType.OPEN);
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(this::stopPromptly);
      WsFrame close = conn.readFrame();
      assertEquals(1000, close.closeCode(), "got " + close);
      conn.writeFrame(WsFrame.close(1000, "", false));
      conn.hangUp();
      stopping.get(5, TimeUnit.SECONDS);
    }
    WebSocketMessage closed = next(WebSocketMessageType.CLOSE);
    assertEquals(1000, closed.closeInfo().code());
    assertFalse(closed.closeInfo().remote());
    assertNoReconnection();
    events.assertNoMoreEvents(Duration.ofMillis(50));
    assertNoThreadLeftBehind();
  }

  @Test
  void closeByTheApplicationNeverReconnects() throws IOException {
    client.start();
    try (RawConnection conn = acceptUpgrade()) {
      next(WebSocketMessageType.OPEN);
      client.close(4001, "done here");
      WsFrame close = conn.readFrame();
      assertEquals(4001, close.closeCode());
      assertEquals("done here", close.closeReason());
      conn.writeFrame(WsFrame.close(4001, "", false));
      conn.hangUp();
    }
    WebSocketMessage closed = next(WebSocketMessageType.CLOSE);
    assertEquals(4001, closed.closeInfo().code());
    assertFalse(closed.closeInfo().remote());
    assertEquals(ReadyState.CLOSED, client.getReadyState());
    assertNoReconnection();
    assertNoThreadLeftBehind();
  }

  @Test
  void droppedConnectionIsRetriedAtOnceAndAFailureAfterItStartsTheScheduleOver()
      throws IOException {
    client.start();
    rejectNextAttempt();
    assertErrorInfo(next(WebSocketMessageType.ERROR), 1, 100, 503, "first failure");
    rejectNextAttempt();
    assertErrorInfo(next(WebSocketMessageType.ERROR), 2, 200, 503, "second failure");
    try (RawConnection conn = acceptUpgrade()) {
      next(WebSocketMessageType.OPEN);
      conn.hangUp(); // cut without a closing handshake
    }
    WebSocketMessage closed = next(WebSocketMessageType.CLOSE);
    assertEquals(1006, closed.closeInfo().code());
    long cut = System.nanoTime();
    // IXWebSocket's rule: the first attempt after a lost connection waits for nothing.
    rejectNextAttempt();
    long millis = (System.nanoTime() - cut) / 1_000_000;
    assertTrue(millis < 1000, "reconnected after " + millis + " ms");
    assertErrorInfo(
        next(WebSocketMessageType.ERROR), 1, 100, 503, "the count restarts after an open");
  }
}
