package dev.ixws.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.EventRecorder;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code WebSocket.send(WebSocketMessage)}: a received message sent on as it arrived. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SendReceivedMessageTest {

  private WebSocketServer server;
  private WebSocket client;

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.stop();
    }
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void receivedMessagesAreSentBackInTheirOwnModeWithTheirExactBytes() {
    server =
        TestServers.serving(
                (webSocket, state) ->
                    webSocket.setOnMessageCallback(
                        msg -> {
                          if (msg.type() == WebSocketMessageType.MESSAGE) {
                            assertTrue(webSocket.send(msg).success());
                          }
                        }))
            .start();
    EventRecorder<WebSocketMessage> events = new EventRecorder<>();
    client = new WebSocket();
    client.setUrl("ws://127.0.0.1:" + server.getPort() + "/");
    client.setOnMessageCallback(events::accept);
    assertTrue(client.connect(5).success());
    assertEquals(WebSocketMessageType.OPEN, events.next().type());

    byte[] allBytes = new byte[256];
    for (int i = 0; i < allBytes.length; i++) {
      allBytes[i] = (byte) i;
    }
    client.sendBinary(allBytes);
    WebSocketMessage binary = events.next();
    assertTrue(binary.binary());
    assertArrayEquals(allBytes, binary.bytes());

    client.sendText("héllo wörld €");
    WebSocketMessage text = events.next();
    assertFalse(text.binary());
    assertEquals("héllo wörld €", text.str());

    // The client can send a received message on too.
    assertTrue(client.send(text).success());
    assertEquals("héllo wörld €", events.next().str());
  }

  @Test
  void onlyMessagesCanBeSentAndNotWhileClosed() {
    WebSocket closed = new WebSocket();
    WebSocketMessage message = WebSocketMessage.text("x");
    assertFalse(closed.send(message).success());
    assertThrows(
        IllegalArgumentException.class, () -> closed.send(WebSocketMessage.ping(new byte[] {1})));
  }
}
