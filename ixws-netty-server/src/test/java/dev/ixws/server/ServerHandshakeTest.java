package dev.ixws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.EventRecorder;
import dev.ixws.testkit.HttpHead;
import dev.ixws.testkit.RawWebSocketClient;
import dev.ixws.testkit.WsFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's side of the opening handshake (RFC 6455 section 4.2), driven by a hand-written
 * client over a real loopback socket.
 */
@Timeout(value = 15, unit = TimeUnit.SECONDS)
class ServerHandshakeTest {

  private WebSocketServer server;
  private final EventRecorder<WebSocketMessage> serverEvents = new EventRecorder<>();

  private int start(String... subprotocols) {
    server = TestServers.echo(serverEvents::accept).subprotocols(subprotocols).start();
    return server.getPort();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  /** Sends {@code request}, reads the answer, and checks that the server then closes TCP. */
  private static HttpHead refused(int port, String request) throws IOException {
    try (RawWebSocketClient client = RawWebSocketClient.connect(port)) {
      client.write(request);
      HttpHead response = client.readHead();
      String length = response.header("Content-Length");
      if (length != null) {
        String body =
            new String(client.readBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
        assertTrue(!body.isBlank(), "the error response explains itself");
      }
      assertTrue(client.awaitPeerClose(Duration.ofSeconds(5)), "the server closes after refusing");
      return response;
    }
  }

  @Test
  void validHandshakeGetsTheRfcAcceptKey() throws IOException {
    int port = start();
    String key = "dGhlIHNhbXBsZSBub25jZQ==";
    // RFC 6455 section 1.3's example, checked against our own SHA-1 computation too.
    assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", RawWebSocketClient.acceptFor(key));
    try (RawWebSocketClient client = RawWebSocketClient.connect(port)) {
      client.write(RawWebSocketClient.request(port).path("/chat?room=1").key(key).build());
      HttpHead response = client.readHead();
      assertEquals(101, response.status(), response.startLine());
      assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", response.header("Sec-WebSocket-Accept"));
      assertEquals("websocket", response.header("Upgrade").toLowerCase(java.util.Locale.ROOT));
      assertTrue(response.header("Connection").equalsIgnoreCase("upgrade"));
      assertNull(response.header("Sec-WebSocket-Protocol"), "none offered, none chosen");
      WebSocketMessage open = next(WebSocketMessageType.OPEN);
      assertEquals("/chat?room=1", open.openInfo().uri());
      assertEquals(key, open.openInfo().headers().get("sec-websocket-key"));
      client.sendText("ping me back");
      assertEquals("ping me back", client.readFrame().text());
      assertEquals("ping me back", next(WebSocketMessageType.MESSAGE).str());
    }
    assertVanished();
  }

  @Test
  void handshakeWithRandomKeysAndOddHeaderCaseSucceeds() throws IOException {
    int port = start();
    for (int i = 0; i < 5; i++) {
      String key = RawWebSocketClient.newKey();
      try (RawWebSocketClient client = RawWebSocketClient.connect(port)) {
        client.write(
            RawWebSocketClient.request(port)
                .remove("Upgrade")
                .remove("Connection")
                .header("upgrade", "WebSocket")
                .header("connection", "keep-alive, Upgrade")
                .key(key)
                .build());
        HttpHead response = client.readHead();
        assertEquals(101, response.status(), response.startLine());
        assertEquals(RawWebSocketClient.acceptFor(key), response.header("sec-websocket-accept"));
        WebSocketMessage open = next(WebSocketMessageType.OPEN);
        assertEquals(key, open.openInfo().headers().get("sec-websocket-key"));
      }
      assertVanished();
    }
  }

  @Test
  void missingUpgradeHeaderGets426WithVersion13() throws IOException {
    int port = start();
    HttpHead response = refused(port, RawWebSocketClient.request(port).remove("Upgrade").build());
    assertEquals(426, response.status(), response.startLine());
    assertEquals("13", response.header("Sec-WebSocket-Version"));
  }

  @Test
  void plainHttpGetGets426() throws IOException {
    int port = start();
    HttpHead response = refused(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assertEquals(426, response.status(), response.startLine());
    assertEquals("13", response.header("Sec-WebSocket-Version"));
  }

  @Test
  void version8Gets426WithVersion13() throws IOException {
    int port = start();
    HttpHead response =
        refused(
            port, RawWebSocketClient.request(port).header("Sec-WebSocket-Version", "8").build());
    assertEquals(426, response.status(), response.startLine());
    assertEquals("13", response.header("Sec-WebSocket-Version"));
  }

  @Test
  void missingVersionGets426() throws IOException {
    int port = start();
    HttpHead response =
        refused(port, RawWebSocketClient.request(port).remove("Sec-WebSocket-Version").build());
    assertEquals(426, response.status(), response.startLine());
  }

  @Test
  void keyThatIsNotSixteenBytesOfBase64Gets400() throws IOException {
    int port = start();
    for (String key :
        new String[] {"c2hvcnQ=", "not base64 at all!!", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", ""}) {
      HttpHead response = refused(port, RawWebSocketClient.request(port).key(key).build());
      assertEquals(400, response.status(), "key '" + key + "': " + response.startLine());
    }
  }

  @Test
  void missingKeyGets400() throws IOException {
    int port = start();
    HttpHead response =
        refused(port, RawWebSocketClient.request(port).remove("Sec-WebSocket-Key").build());
    assertEquals(400, response.status(), response.startLine());
  }

  @Test
  void twoKeysGet400() throws IOException {
    int port = start();
    String request = RawWebSocketClient.request(port).build();
    String twoKeys =
        request.substring(0, request.length() - 2)
            + "Sec-WebSocket-Key: "
            + RawWebSocketClient.newKey()
            + "\r\n\r\n";
    HttpHead response = refused(port, twoKeys);
    assertEquals(400, response.status(), response.startLine());
  }

  @Test
  void connectionHeaderWithoutUpgradeGets400() throws IOException {
    int port = start();
    HttpHead response =
        refused(port, RawWebSocketClient.request(port).header("Connection", "keep-alive").build());
    assertEquals(400, response.status(), response.startLine());
  }

  @Test
  void postGets405WithAllowGet() throws IOException {
    int port = start();
    HttpHead response =
        refused(
            port,
            RawWebSocketClient.request(port).method("POST").header("Content-Length", "0").build());
    assertEquals(405, response.status(), response.startLine());
    assertEquals("GET", response.header("Allow"));
  }

  @Test
  void missingHostGets400() throws IOException {
    int port = start();
    HttpHead response = refused(port, RawWebSocketClient.request(port).remove("Host").build());
    assertEquals(400, response.status(), response.startLine());
  }

  @Test
  void headersLargerThan8KbGet431() throws IOException {
    int port = start();
    HttpHead response =
        refused(port, RawWebSocketClient.request(port).header("X-Big", "a".repeat(9000)).build());
    assertEquals(431, response.status(), response.startLine());
  }

  @Test
  void requestLineLongerThan8KbGets414() throws IOException {
    int port = start();
    HttpHead response =
        refused(port, RawWebSocketClient.request(port).path("/" + "p".repeat(9000)).build());
    assertEquals(414, response.status(), response.startLine());
  }

  @Test
  void requestBodyOver8KbGets413() throws IOException {
    int port = start();
    String body = "b".repeat(9000);
    HttpHead response =
        refused(
            port, RawWebSocketClient.request(port).header("Content-Length", "9000").build() + body);
    assertEquals(413, response.status(), response.startLine());
  }

  @Test
  void smallRequestBodyIsSkippedNotReadAsFrames() throws IOException {
    int port = start();
    try (RawWebSocketClient client = RawWebSocketClient.connect(port)) {
      client.write(
          RawWebSocketClient.request(port).header("Content-Length", "5").build() + "\u0081body");
      HttpHead response = client.readHead();
      assertEquals(101, response.status(), response.startLine());
      client.sendText("after the body");
      assertEquals("after the body", client.readFrame().text());
      next(WebSocketMessageType.OPEN);
      assertEquals("after the body", next(WebSocketMessageType.MESSAGE).str(), "the body is not");
    }
    assertVanished();
  }

  @Test
  void garbageGets400() throws IOException {
    int port = start();
    HttpHead response = refused(port, "\u0016\u0003\u0001 not http at all\r\n\r\n");
    assertEquals(400, response.status(), response.startLine());
  }

  @Test
  void firstClientOfferedSubprotocolThatTheServerSupportsIsChosen() throws IOException {
    int port = start("b", "c");
    try (RawWebSocketClient client = RawWebSocketClient.connect(port)) {
      client.write(
          RawWebSocketClient.request(port).header("Sec-WebSocket-Protocol", "a, c, b").build());
      HttpHead response = client.readHead();
      assertEquals(101, response.status(), response.startLine());
      assertEquals("c", response.header("Sec-WebSocket-Protocol"));
      assertEquals("c", next(WebSocketMessageType.OPEN).openInfo().protocol());
    }
    assertVanished();
  }

  @Test
  void subprotocolsOfferedInSeveralHeadersAreAllConsidered() throws IOException {
    int port = start("c");
    try (RawWebSocketClient client = RawWebSocketClient.connect(port)) {
      String request =
          RawWebSocketClient.request(port).header("Sec-WebSocket-Protocol", "a").build();
      client.write(
          request.substring(0, request.length() - 2) + "Sec-WebSocket-Protocol: b, c\r\n\r\n");
      HttpHead response = client.readHead();
      assertEquals(101, response.status(), response.startLine());
      assertEquals("c", response.header("Sec-WebSocket-Protocol"));
      assertEquals("c", next(WebSocketMessageType.OPEN).openInfo().protocol());
    }
    assertVanished();
  }

  @Test
  void noSubprotocolInCommonMeansNoProtocolHeader() throws IOException {
    int port = start("b", "c");
    try (RawWebSocketClient client = RawWebSocketClient.connect(port)) {
      client.write(
          RawWebSocketClient.request(port).header("Sec-WebSocket-Protocol", "x, y").build());
      HttpHead response = client.readHead();
      assertEquals(101, response.status(), response.startLine());
      assertNull(response.header("Sec-WebSocket-Protocol"));
      assertEquals("", next(WebSocketMessageType.OPEN).openInfo().protocol());
    }
    assertVanished();
  }

  @Test
  void requestAndFirstFrameInOneWriteAreBothHandled() throws IOException {
    int port = start();
    try (RawWebSocketClient client = RawWebSocketClient.connect(port)) {
      String key = RawWebSocketClient.newKey();
      byte[] request =
          RawWebSocketClient.request(port).key(key).build().getBytes(StandardCharsets.ISO_8859_1);
      byte[] frame = dev.ixws.testkit.RawFrames.encode(WsFrame.text("eager", true));
      byte[] both = new byte[request.length + frame.length];
      System.arraycopy(request, 0, both, 0, request.length);
      System.arraycopy(frame, 0, both, request.length, frame.length);
      client.write(both);
      HttpHead response = client.readHead();
      assertEquals(101, response.status());
      assertEquals("eager", client.readFrame().text());
      next(WebSocketMessageType.OPEN);
      assertEquals("eager", next(WebSocketMessageType.MESSAGE).str());
    }
    assertVanished();
  }

  /** The server's next event, which must be of {@code type}. */
  private WebSocketMessage next(WebSocketMessageType type) {
    WebSocketMessage event = serverEvents.next();
    assertEquals(type, event.type(), "event " + event);
    return event;
  }

  /** The server's next event is the CLOSE 1006 of a client that hung up without a close frame. */
  private void assertVanished() {
    WebSocketMessage closed = next(WebSocketMessageType.CLOSE);
    assertEquals(1006, closed.closeInfo().code());
    assertTrue(closed.closeInfo().remote());
  }
}
