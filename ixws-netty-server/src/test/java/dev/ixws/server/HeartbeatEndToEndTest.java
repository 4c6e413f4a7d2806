package dev.ixws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.ReadyState;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.Await;
import dev.ixws.testkit.EventRecorder;
import dev.ixws.testkit.RawWebSocketClient;
import dev.ixws.testkit.WsFrame;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Heartbeats and pongs between our client and our server, and our server against a raw client. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HeartbeatEndToEndTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private WebSocketServer server;
  private WebSocket client;
  private final EventRecorder<WebSocketMessage> clientEvents = new EventRecorder<>();
  private final EventRecorder<WebSocketMessage> serverEvents = new EventRecorder<>();

  @BeforeEach
  void setUp() {
    client = new WebSocket();
    client.setOnMessageCallback(clientEvents::accept);
  }

  @AfterEach
  void tearDown() {
    client.stop();
    if (server != null) {
      server.stop();
    }
  }

  /** Starts {@code newServer}, whose connections report every event to {@code sink}. */
  private int listen(WebSocketServer newServer, Consumer<WebSocketMessage> sink) {
    server = newServer;
    server.setOnConnectionCallback(
        (webSocket, state) -> webSocket.setOnMessageCallback(sink::accept));
    TestServers.started(server);
    return server.getPort();
  }

  private void connectClient(int port) {
    client.setUrl("ws://127.0.0.1:" + port + "/");
    client.start();
    assertEquals(WebSocketMessageType.OPEN, clientEvents.next().type());
  }

  private static boolean is(WebSocketMessage message, WebSocketMessageType type) {
    return message.type() == type;
  }

  @Test
  void busyConnectionSendsNoPings() throws InterruptedException {
    AtomicInteger pings = new AtomicInteger();
    AtomicInteger messages = new AtomicInteger();
    int port =
        listen(
            new WebSocketServer(0),
            msg -> {
              if (is(msg, WebSocketMessageType.PING)) {
                pings.incrementAndGet();
              } else if (is(msg, WebSocketMessageType.MESSAGE)) {
                messages.incrementAndGet();
              }
            });
    client.setPingInterval(1);
    connectClient(port);
    // Traffic every 200 ms for 3 s: the connection is never idle for the 1 s interval.
    for (int i = 0; i < 15; i++) {
      assertTrue(client.send("tick " + i).success());
      Thread.sleep(200); // pacing the traffic, not waiting for an event
    }
    Await.untilEquals(15, WAIT, messages::get);
    assertEquals(0, pings.get(), "a busy connection needs no heartbeat");
    assertEquals(ReadyState.OPEN, client.getReadyState());
  }

  @Test
  void idleConnectionIsPingedAndStaysOpenBecauseOurServerAnswers() {
    int port = listen(new WebSocketServer(0), serverEvents);
    client.setPingInterval(1);
    connectClient(port);
    assertEquals(WebSocketMessageType.OPEN, serverEvents.next().type());
    long connected = System.nanoTime();
    for (int i = 0; i < 2; i++) {
      WebSocketMessage ping = serverEvents.next(WAIT);
      assertEquals(WebSocketMessageType.PING, ping.type(), "server event " + ping);
      assertTrue(ping.str().startsWith("ixws::heartbeat::"), ping.str());
      assertEquals(WebSocketMessageType.PONG, clientEvents.next(WAIT).type(), "answered");
    }
    long millis = (System.nanoTime() - connected) / 1_000_000;
    assertTrue(millis >= 1800, "two 1 s heartbeats took only " + millis + " ms");
    assertEquals(ReadyState.OPEN, client.getReadyState());
    assertTrue(client.getLastPingRoundTripTime().isPresent(), "round trip measured");
    clientEvents.assertEmpty();
  }

  @Test
  void serverHeartbeatClosesARawClientThatNeverAnswersWith1011() throws IOException {
    WebSocketServer beating = new WebSocketServer(0);
    beating.setPingInterval(1);
    int port = listen(beating, serverEvents);
    try (RawWebSocketClient raw = RawWebSocketClient.open(port, "/")) {
      assertEquals(WebSocketMessageType.OPEN, serverEvents.next().type());
      WsFrame ping = raw.readFrame();
      assertEquals(WsFrame.OP_PING, ping.opcode(), "got " + ping);
      assertFalse(ping.masked(), "a server does not mask");
      WsFrame close = raw.readFrame();
      assertTrue(close.isClose(), "got " + close);
      assertEquals(1011, close.closeCode());
      assertEquals("Ping timeout", close.closeReason());
      assertTrue(raw.awaitPeerClose(WAIT), "the server drops TCP at once");
    }
    WebSocketMessage closed = serverEvents.next();
    assertEquals(WebSocketMessageType.CLOSE, closed.type());
    assertEquals(1011, closed.closeInfo().code());
    assertFalse(closed.closeInfo().remote());
  }

  @Test
  void serverHeartbeatIsAnsweredByOurClient() {
    WebSocketServer beating = new WebSocketServer(0);
    beating.setPingInterval(1);
    int port = listen(beating, serverEvents);
    connectClient(port);
    for (int i = 0; i < 2; i++) {
      assertEquals(WebSocketMessageType.PING, clientEvents.next(WAIT).type());
    }
    assertEquals(ReadyState.OPEN, client.getReadyState());
    assertEquals(WebSocketMessageType.OPEN, serverEvents.next().type());
    for (int i = 0; i < 2; i++) {
      WebSocketMessage pong = serverEvents.next(WAIT);
      assertEquals(WebSocketMessageType.PONG, pong.type(), "server event " + pong);
      assertTrue(pong.str().startsWith("ixws::heartbeat::"), "the server got its pong: " + pong);
    }
  }

  @Test
  void withPongDisabledTheServerSeesThePingAndSendsNoPong() {
    WebSocketServer silent = new WebSocketServer(0);
    silent.disablePong();
    int port = listen(silent, serverEvents);
    connectClient(port);
    assertEquals(WebSocketMessageType.OPEN, serverEvents.next().type());
    assertTrue(client.ping("are you there").success());
    WebSocketMessage ping = serverEvents.next();
    assertEquals(WebSocketMessageType.PING, ping.type());
    assertEquals("are you there", ping.str());
    clientEvents.assertNoMoreEvents(Duration.ofMillis(300));
  }

  @Test
  void withPongEnabledByDefaultThePongCarriesThePingPayload() {
    int port = listen(new WebSocketServer(0), serverEvents);
    connectClient(port);
    assertTrue(client.ping("are you there").success());
    WebSocketMessage pong = clientEvents.next();
    assertEquals(WebSocketMessageType.PONG, pong.type());
    assertEquals("are you there", pong.str());
    assertEquals(WebSocketMessageType.OPEN, serverEvents.next().type());
    assertEquals("are you there", serverEvents.next().str(), "the server is told of the ping");
  }
}
