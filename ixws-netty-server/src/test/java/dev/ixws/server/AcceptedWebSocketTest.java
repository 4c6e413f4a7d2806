package dev.ixws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.ReadyState;
import dev.ixws.WebSocketInitResult;
import dev.ixws.client.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code WebSocket} a server hands out has the accepted role: its getters tell the truth about
 * the accepted connection, and the client-only methods are refused on the caller's thread.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AcceptedWebSocketTest {

  @Test
  void acceptedWebSocketReportsItsConnectionAndRefusesClientOnlyMethods() throws Exception {
    CompletableFuture<WebSocket> accepted = new CompletableFuture<>();
    WebSocketServer server = new WebSocketServer(0);
    server.addSubprotocol("v2");
    server.setMaxMessageSize(4096);
    server.setPingInterval(30);
    server.setOnConnectionCallback((webSocket, state) -> accepted.complete(webSocket));
    assertTrue(server.listen().ok());
    server.start();
    WebSocket client = new WebSocket();
    try {
      client.setUrl("ws://127.0.0.1:" + server.getPort() + "/room/7?x=1");
      client.addSubprotocol("v2");
      WebSocketInitResult result = client.connect(5);
      assertTrue(result.success(), result.errorStr());

      WebSocket webSocket = accepted.get(5, TimeUnit.SECONDS);
      assertEquals("/room/7?x=1", webSocket.getUrl());
      assertEquals(List.of("v2"), webSocket.getSubprotocols());
      assertEquals(4096, webSocket.getMaxMessageSize());
      assertEquals(30, webSocket.getPingInterval());
      assertEquals(ReadyState.OPEN, webSocket.getReadyState());

      IllegalStateException refused =
          assertThrows(IllegalStateException.class, () -> webSocket.setUrl("ws://127.0.0.1:1/"));
      assertTrue(refused.getMessage().contains("setUrl()"), refused.getMessage());
      assertThrows(IllegalStateException.class, webSocket::start);
      assertThrows(IllegalStateException.class, () -> webSocket.connect(1));
      assertThrows(IllegalStateException.class, () -> webSocket.setMaxMessageSize(1));
      assertThrows(IllegalStateException.class, webSocket::getHandshakeTimeout);
      assertThrows(IllegalStateException.class, webSocket::isAutomaticReconnectionEnabled);
      assertEquals(ReadyState.OPEN, webSocket.getReadyState(), "refusals change nothing");
    } finally {
      client.stop();
      server.stop();
    }
  }
}
