package dev.ixws.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.ReadyState;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.internal.ClientRole;
import dev.ixws.client.internal.OutgoingMessage;
import dev.ixws.client.internal.ReconnectPolicy;
import dev.ixws.internal.session.HeartbeatConfig;
import dev.ixws.internal.session.SessionConfig;
import dev.ixws.server.testing.InMemoryNetwork;
import dev.ixws.testkit.EventRecorder;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Our client against our server joined in memory, on a clock that moves only when the test says:
 * the handshake, its timeout, reconnection backoff and the heartbeat, with no socket and no waiting
 * (a 60 s timeout takes microseconds).
 */
class InMemoryConnectionTest {

  private final InMemoryNetwork network = new InMemoryNetwork();
  private final EventRecorder<WebSocketMessage> clientEvents = new EventRecorder<>();
  private final EventRecorder<WebSocketMessage> serverEvents = new EventRecorder<>();
  private final ClientRole client = network.client(clientEvents);

  @AfterEach
  void closeNetwork() {
    network.close();
  }

  private InMemoryNetwork.Server echoServer(SessionConfig session) {
    return network.server(
        InMemoryNetwork.spec(session),
        (webSocket, role) ->
            webSocket.setOnMessageCallback(
                message -> {
                  serverEvents.accept(message);
                  if (message.type() == WebSocketMessageType.MESSAGE) {
                    webSocket.send(message);
                  }
                }));
  }

  private static SessionConfig serverSession(boolean autoPong) {
    return new SessionConfig(false, 1 << 20, 1000, autoPong, HeartbeatConfig.OFF);
  }

  private void noReconnection() {
    client.updatePolicy(p -> new ReconnectPolicy(false, p.minWaitMillis(), p.maxWaitMillis(), 0));
  }

  @Test
  void clientOpensEchoesAndClosesAgainstOurServerInMemory() {
    InMemoryNetwork.Server server = echoServer(serverSession(true));
    client.setUrl(server.url("/chat?room=1"));
    client.start();
    network.settle();

    WebSocketMessage open = clientEvents.next();
    assertEquals(WebSocketMessageType.OPEN, open.type());
    assertEquals("/chat?room=1", open.openInfo().uri());
    assertEquals(ReadyState.OPEN, client.readyState());
    assertEquals("/chat?room=1", serverEvents.next().openInfo().uri());

    client.send(OutgoingMessage.text("héllo"));
    network.settle();
    assertEquals("héllo", serverEvents.next().str());
    assertEquals("héllo", clientEvents.next().str());

    client.close(1000, "done");
    network.settle();
    WebSocketMessage close = clientEvents.next();
    assertEquals(WebSocketMessageType.CLOSE, close.type());
    assertEquals(1000, close.closeInfo().code());
    assertEquals(WebSocketMessageType.CLOSE, serverEvents.next().type());
    assertEquals(ReadyState.CLOSED, client.readyState());
  }

  @Test
  void handshakeTimeoutFiresWhenTheClockReachesItNotBefore() {
    String host = network.silentServer();
    noReconnection();
    client.setUrl("ws://" + host + ":1/");
    client.start();
    network.settle();
    assertEquals(ReadyState.CONNECTING, client.readyState());

    network.advance(Duration.ofSeconds(59));
    clientEvents.assertEmpty();

    network.advance(Duration.ofSeconds(1));
    WebSocketMessage error = clientEvents.next();
    assertEquals(WebSocketMessageType.ERROR, error.type());
    assertTrue(error.errorInfo().reason().contains("timed out after 60000 ms"), error.toString());
    assertEquals(ReadyState.CLOSED, client.readyState());
  }

  @Test
  void reconnectionAttemptsFollowIxBackoffOnTheClock() {
    client.setUrl("ws://nobody-listens:1/");
    client.start();
    network.settle();

    long expectedWait = 100;
    for (int retries = 1; retries <= 4; retries++) {
      WebSocketMessage error = clientEvents.next();
      assertEquals(WebSocketMessageType.ERROR, error.type());
      assertEquals(retries, error.errorInfo().retries());
      assertEquals(expectedWait, error.errorInfo().waitTime());
      // Not one attempt before the wait is over.
      network.advance(Duration.ofMillis(expectedWait - 1));
      clientEvents.assertEmpty();
      network.advance(Duration.ofMillis(1));
      expectedWait *= 2;
    }
    assertEquals(5, clientEvents.next().errorInfo().retries());
    // Stopping during a wait cancels the attempt it was waiting for.
    client.close(1000, "enough");
    network.settle();
    network.advance(Duration.ofSeconds(10));
    clientEvents.assertEmpty();
    assertEquals(ReadyState.CLOSED, client.readyState());
  }

  @Test
  void aServerThatStopsAnsweringPingsIsClosedWith1011AfterTwoPingIntervals() {
    InMemoryNetwork.Server server = echoServer(serverSession(false));
    noReconnection();
    client.settings().setPingInterval(30);
    client.setUrl(server.url("/"));
    client.start();
    network.settle();
    assertEquals(WebSocketMessageType.OPEN, clientEvents.next().type());
    assertEquals(WebSocketMessageType.OPEN, serverEvents.next().type());

    network.advance(Duration.ofSeconds(30));
    assertEquals(WebSocketMessageType.PING, serverEvents.next().type());
    clientEvents.assertEmpty();

    network.advance(Duration.ofSeconds(30));
    WebSocketMessage close = clientEvents.next();
    assertEquals(WebSocketMessageType.CLOSE, close.type());
    assertEquals(1011, close.closeInfo().code());
    assertEquals("Ping timeout", close.closeInfo().reason());
    assertFalse(close.closeInfo().remote());
    assertEquals(WebSocketMessageType.CLOSE, serverEvents.next().type());
  }

  @Test
  void aPeerThatAnswersPingsKeepsTheConnectionOpenForHours() {
    InMemoryNetwork.Server server = echoServer(serverSession(true));
    client.settings().setPingInterval(30);
    client.setUrl(server.url("/"));
    client.start();
    network.settle();
    assertEquals(WebSocketMessageType.OPEN, clientEvents.next().type());
    assertEquals(WebSocketMessageType.OPEN, serverEvents.next().type());

    for (int i = 0; i < 240; i++) {
      network.advance(Duration.ofSeconds(30));
      assertEquals(
          WebSocketMessageType.PING, serverEvents.next(Duration.ofSeconds(1)).type(), "ping " + i);
      assertEquals(
          WebSocketMessageType.PONG, clientEvents.next(Duration.ofSeconds(1)).type(), "pong " + i);
    }
    assertEquals(ReadyState.OPEN, client.readyState());
    client.close(1000, "bye");
    network.settle();
    assertEquals(WebSocketMessageType.CLOSE, clientEvents.next().type());
    assertEquals(WebSocketMessageType.CLOSE, serverEvents.next().type());
  }
}
