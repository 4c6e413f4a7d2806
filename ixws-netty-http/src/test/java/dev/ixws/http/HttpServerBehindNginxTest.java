package dev.ixws.http;

import static dev.ixws.http.ServerFixture.started;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** nginx as a reverse proxy in front of the server: keep-alive upstream, WebSocket pass-through. */
class HttpServerBehindNginxTest {

  @Test
  void nginxReusesItsUpstreamConnectionsAndPassesWebSocketsThrough() throws Exception {
    HttpServer server = new HttpServer(0);
    server.setOnConnectionCallback(
        (request, state) -> HttpResponse.ok(state.getId() + " " + request.path()));
    server.setOnClientMessageCallback(
        (state, webSocket, message) -> {
          if (message.type() == WebSocketMessageType.MESSAGE) {
            webSocket.sendText("echo " + message.str());
          }
        });
    started(server);
    try (NginxPeer nginx = NginxPeer.start(server.getPort());
        HttpClient client = new HttpClient()) {
      Set<String> upstreamConnections = new HashSet<>();
      for (int i = 0; i < 10; i++) {
        HttpResponse response = client.get(nginx.url("/app/item" + i), client.createRequest());
        assertEquals(200, response.statusCode(), response.errorMsg() + response.body());
        String[] parts = response.body().split(" ");
        assertEquals("/item" + i, parts[1]);
        upstreamConnections.add(parts[0]);
      }
      // One nginx worker, sequential requests: its kept-alive upstream connection is reused.
      assertEquals(1, upstreamConnections.size(), upstreamConnections.toString());

      BlockingQueue<WebSocketMessage> events = new LinkedBlockingQueue<>();
      WebSocket webSocket = new WebSocket();
      webSocket.setUrl(nginx.url("/ws").replace("http://", "ws://"));
      webSocket.setOnMessageCallback(events::add);
      webSocket.start();
      try {
        WebSocketMessage open = events.poll(5, TimeUnit.SECONDS);
        assertNotNull(open);
        assertEquals(WebSocketMessageType.OPEN, open.type(), String.valueOf(open));
        webSocket.sendText("through nginx");
        WebSocketMessage echo = events.poll(5, TimeUnit.SECONDS);
        assertNotNull(echo);
        assertEquals("echo through nginx", echo.str());
      } finally {
        webSocket.stop();
      }
      assertTrue(nginx.accessLog().size() >= 11, nginx.accessLog().toString());
    } finally {
      server.stop();
    }
  }
}
