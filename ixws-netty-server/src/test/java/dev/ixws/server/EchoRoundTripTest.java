package dev.ixws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.ReadyState;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.EventRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EchoRoundTripTest {

  private WebSocketServer server;

  @BeforeEach
  void startServer() {
    server = TestServers.echo().start();
  }

  @AfterEach
  void stopServer() {
    server.stop();
  }

  @Test
  void clientReceivesEchoOfTextAndBinary() {
    EventRecorder<WebSocketMessage> events = new EventRecorder<>();
    WebSocket client = new WebSocket();
    client.setUrl("ws://127.0.0.1:" + server.getPort() + "/echo");
    client.setOnMessageCallback(events::accept);
    client.start();
    WebSocketMessage open = events.next();
    assertEquals(WebSocketMessageType.OPEN, open.type());
    assertEquals("/echo", open.openInfo().uri());
    assertEquals(ReadyState.OPEN, client.getReadyState());

    assertTrue(client.send("hello world").success());
    WebSocketMessage text = events.next();
    assertEquals("hello world", text.str());
    assertEquals(false, text.binary());

    assertTrue(client.sendBinary(new byte[] {0, (byte) 0xFF, 7}).success());
    WebSocketMessage binary = events.next();
    assertTrue(binary.binary());
    assertEquals("\u0000\u00FF\u0007", binary.str());

    client.stop();
    WebSocketMessage close = events.next();
    assertEquals(WebSocketMessageType.CLOSE, close.type());
    assertEquals(1000, close.closeInfo().code());
    assertEquals(ReadyState.CLOSED, client.getReadyState());
  }
}
