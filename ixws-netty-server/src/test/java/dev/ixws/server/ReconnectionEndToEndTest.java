package dev.ixws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.ReadyState;
import dev.ixws.WebSocketErrorInfo;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.WebSocketSendInfo;
import dev.ixws.client.WebSocket;
import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.EventRecorder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Our client reconnecting to our server: a port that refuses, server restarts, server closes. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReconnectionEndToEndTest {

  /** The schedule reaches 6.4 s at the 7th failure: a reconnection within this is on time. */
  private static final Duration RECONNECTED = Duration.ofSeconds(15);

  private final List<WebSocketServer> servers = new ArrayList<>();
  private final EventRecorder<WebSocketMessage> events = new EventRecorder<>();
  private WebSocket client;

  @BeforeEach
  void setUp() {
    client = new WebSocket();
    client.setOnMessageCallback(events::accept);
  }

  @AfterEach
  void tearDown() {
    client.stop();
    servers.forEach(WebSocketServer::stop);
  }

  /** A port that nothing listens on (bound once, then freed). */
  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  /** An echo server on {@code port} (0: any), listening and started. */
  private WebSocketServer startEchoServer(int port) {
    WebSocketServer server = TestServers.echo().port(port).start();
    servers.add(server);
    return server;
  }

  private WebSocketMessage next(WebSocketMessageType type) {
    WebSocketMessage message = events.next();
    assertEquals(type, message.type(), "event " + message);
    return message;
  }

  /** The next event is a refused-connection ERROR with {@code retries} and {@code waitTime}. */
  private void nextRefusal(int port, int retries, long waitTime) {
    WebSocketErrorInfo info = next(WebSocketMessageType.ERROR).errorInfo();
    assertEquals(retries, info.retries(), "retries; " + info);
    assertEquals(waitTime, info.waitTime(), "waitTime; " + info);
    assertEquals(0, info.httpStatus(), "no HTTP status for a refused connection");
    assertTrue(
        info.reason().startsWith("Unable to connect to 127.0.0.1 on port " + port), info.reason());
    assertEquals(ReadyState.CONNECTING, client.getReadyState(), "waiting after " + retries);
  }

  /**
   * Skips ERRORs until the OPEN, checking that each one continues the schedule from {@code
   * nextRetries}: the server came up later than the test hoped, but the client is still on time.
   */
  private void awaitOpen(int nextRetries, long nextWait) {
    long deadline = System.nanoTime() + RECONNECTED.toNanos();
    int retries = nextRetries;
    long wait = nextWait;
    while (true) {
      WebSocketMessage message = events.next(Duration.ofNanos(deadline - System.nanoTime()));
      if (message.type() == WebSocketMessageType.OPEN) {
        return;
      }
      assertEquals(WebSocketMessageType.ERROR, message.type(), "event " + message);
      assertEquals(retries, message.errorInfo().retries(), message.toString());
      assertEquals(wait, message.errorInfo().waitTime(), message.toString());
      retries++;
      wait = Math.min(wait * 2, WebSocket.DEFAULT_MAX_WAIT_BETWEEN_RECONNECTION_RETRIES_MILLIS);
    }
  }

  private void assertEchoes(String text) {
    assertTrue(client.send(text).success());
    WebSocketMessage echo = next(WebSocketMessageType.MESSAGE);
    assertEquals(text, echo.str());
  }

  @Test
  void refusedPortIsRetriedOnScheduleUntilAServerListensThenTheCountStartsOver()
      throws IOException {
    int port = freePort();
    client.setUrl("ws://127.0.0.1:" + port + "/");
    client.start();
    nextRefusal(port, 1, 100);
    nextRefusal(port, 2, 200);
    nextRefusal(port, 3, 400);

    WebSocketServer server = startEchoServer(port);
    awaitOpen(4, 800);
    assertEquals(ReadyState.OPEN, client.getReadyState());
    assertEchoes("up");

    // The server goes away: the connection drops, and the failures that follow count from 1.
    server.stop();
    WebSocketMessage closed = next(WebSocketMessageType.CLOSE);
    assertEquals(1001, closed.closeInfo().code());
    assertTrue(closed.closeInfo().remote());
    nextRefusal(port, 1, 100);
    nextRefusal(port, 2, 200);
  }

  @Test
  void clientReconnectsToARestartedServerAndDeliversWhatItQueuedMeanwhile() {
    client.setMaxQueuedMessagesWhileReconnecting(3);
    WebSocketServer first = startEchoServer(0);
    int port = first.getPort();
    client.setUrl("ws://127.0.0.1:" + port + "/");
    client.start();
    next(WebSocketMessageType.OPEN);
    assertEchoes("before");

    first.stop();
    assertEquals(1001, next(WebSocketMessageType.CLOSE).closeInfo().code());
    for (String text : new String[] {"q1", "q2", "q3"}) {
      assertTrue(client.send(text).success(), "queued while the server is down");
    }
    WebSocketSendInfo refused = client.send("q4");
    assertFalse(refused.success(), "the queue holds 3");

    startEchoServer(port);
    long restarted = System.nanoTime();
    WebSocketMessage message;
    do {
      message = events.next(RECONNECTED);
      assertTrue(
          message.type() == WebSocketMessageType.ERROR
              || message.type() == WebSocketMessageType.OPEN,
          "event " + message);
    } while (message.type() != WebSocketMessageType.OPEN);
    long millis = (System.nanoTime() - restarted) / 1_000_000;
    assertTrue(millis < RECONNECTED.toMillis(), "reopened after " + millis + " ms");
    for (String text : new String[] {"q1", "q2", "q3"}) {
      assertEquals(text, next(WebSocketMessageType.MESSAGE).str(), "queued messages in order");
    }
    assertEchoes("after");
  }

  @Test
  void serverSideCloseIsFollowedByAnImmediateReconnection() {
    EventRecorder<WebSocket> accepted = new EventRecorder<>();
    WebSocketServer server =
        TestServers.serving((webSocket, state) -> accepted.accept(webSocket)).start();
    servers.add(server);
    client.setUrl("ws://127.0.0.1:" + server.getPort() + "/");
    client.start();
    WebSocket first = accepted.next();
    next(WebSocketMessageType.OPEN);

    first.close(4000, "kicked");
    WebSocketMessage closed = next(WebSocketMessageType.CLOSE);
    assertEquals(4000, closed.closeInfo().code());
    assertEquals("kicked", closed.closeInfo().reason());
    assertTrue(closed.closeInfo().remote());
    // No ERROR in between: the first attempt after a lost connection does not wait.
    next(WebSocketMessageType.OPEN);
    accepted.next();
    assertEquals(ReadyState.OPEN, client.getReadyState());
  }
}
