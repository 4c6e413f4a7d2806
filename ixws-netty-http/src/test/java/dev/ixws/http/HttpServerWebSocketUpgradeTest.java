package dev.ixws.http;

import static dev.ixws.http.ServerFixture.connect;
import static dev.ixws.http.ServerFixture.readUntilClose;
import static dev.ixws.http.ServerFixture.run;
import static dev.ixws.http.ServerFixture.send;
import static dev.ixws.http.ServerFixture.started;
import static dev.ixws.http.ServerFixture.statuses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP and WebSocket on one port: upgrades go to WebSocketServer's engine, the rest to HTTP. */
class HttpServerWebSocketUpgradeTest {

  private HttpServer server;

  @BeforeEach
  void start() {
    server = new HttpServer(0);
    server.setOnConnectionCallback((request, state) -> HttpResponse.ok("http " + request.path()));
    server.setOnClientMessageCallback(
        (state, webSocket, message) -> {
          if (message.type() == WebSocketMessageType.MESSAGE) {
            webSocket.sendText("echo " + message.str());
          }
        });
    started(server);
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void ourWebSocketClientAndHttpShareThePort() throws Exception {
    BlockingQueue<WebSocketMessage> events = new LinkedBlockingQueue<>();
    WebSocket client = new WebSocket();
    client.setUrl("ws://127.0.0.1:" + server.getPort() + "/live");
    client.setOnMessageCallback(events::add);
    client.start();
    try {
      WebSocketMessage open = events.poll(5, TimeUnit.SECONDS);
      assertNotNull(open, "no OPEN");
      assertEquals(WebSocketMessageType.OPEN, open.type(), String.valueOf(open));
      client.sendText("hi");
      WebSocketMessage echo = events.poll(5, TimeUnit.SECONDS);
      assertNotNull(echo);
      assertEquals("echo hi", echo.str());
      assertEquals(1, server.getWebSocketClients().size());
      try (HttpClient http = new HttpClient()) {
        HttpResponse response =
            http.get("http://127.0.0.1:" + server.getPort() + "/health", http.createRequest());
        assertEquals("http /health", response.body(), response.errorMsg());
      }
    } finally {
      client.stop();
    }
  }

  @Test
  void anUpgradeAfterAKeepAliveRequestOnTheSameConnectionWorks() throws Exception {
    try (Socket socket = connect(server.getPort())) {
      send(socket, "GET /first HTTP/1.1\r\nHost: x\r\n\r\n");
      String first = ServerFixture.readResponse(socket);
      assertTrue(first.endsWith("http /first"), first);
      // The upgrade request and a first masked text frame "ok" in one write: the frame must
      // reach the WebSocket session, not the HTTP side.
      byte[] request =
          ("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
              .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      byte[] mask = {1, 2, 3, 4};
      byte[] payload = "ok".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      byte[] both = new byte[request.length + 6 + payload.length];
      System.arraycopy(request, 0, both, 0, request.length);
      both[request.length] = (byte) 0x81;
      both[request.length + 1] = (byte) (0x80 | payload.length);
      System.arraycopy(mask, 0, both, request.length + 2, 4);
      for (int i = 0; i < payload.length; i++) {
        both[request.length + 6 + i] = (byte) (payload[i] ^ mask[i % 4]);
      }
      socket.getOutputStream().write(both);
      String switched = ServerFixture.readHeadOnly(socket);
      assertTrue(switched.startsWith("HTTP/1.1 101"), switched);
      assertTrue(switched.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), switched);
      byte[] head = socket.getInputStream().readNBytes(2);
      assertEquals((byte) 0x81, head[0]);
      byte[] text = socket.getInputStream().readNBytes(head[1]);
      assertEquals("echo ok", new String(text, java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  @Test
  void aBadUpgradeGetsTheWebSocketServersRefusal() throws Exception {
    try (Socket socket = connect(server.getPort())) {
      send(
          socket,
          "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Version: 13\r\n\r\n");
      assertEquals(List.of(400), statuses(readUntilClose(socket)));
    }
    try (Socket socket = connect(server.getPort())) {
      send(
          socket,
          "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
      assertEquals(List.of(426), statuses(readUntilClose(socket)));
    }
  }

  @Test
  void pythonWebsocketsClientTalksToTheHttpPort() throws Exception {
    String script =
        String.join(
            "\n",
            "import asyncio, sys, websockets",
            "async def main():",
            "    async with websockets.connect('ws://127.0.0.1:' + sys.argv[1] + '/py') as ws:",
            "        await ws.send('from python')",
            "        print(await ws.recv())",
            "asyncio.run(main())");
    String out = run(List.of("/usr/bin/python3", "-c", script, String.valueOf(server.getPort())));
    assertTrue(out.contains("echo from python"), out);
  }
}
