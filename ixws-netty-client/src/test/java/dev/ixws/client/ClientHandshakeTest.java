package dev.ixws.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.ReadyState;
import dev.ixws.WebSocketInitResult;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.WebSocketSendInfo;
import dev.ixws.testkit.HttpHead;
import dev.ixws.testkit.RawConnection;
import dev.ixws.testkit.RawFrames;
import dev.ixws.testkit.RawHttpServer;
import dev.ixws.testkit.WsFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Our client against a server played by hand over a raw socket. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ClientHandshakeTest extends RawServerClientBase {

  @Override
  String path() {
    return "/chat?room=1";
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"301, Moved Permanently", "403, Forbidden", "500, Internal Server Error"})
  void badStatusIsReportedByStartWithStatusAndReason(int status, String phrase) throws IOException {
    client.start();
    try (RawConnection conn = raw.accept(WAIT)) {
      conn.readHead();
      conn.write("HTTP/1.1 " + status + " " + phrase + "\r\nContent-Length: 0\r\n\r\n");
      WebSocketMessage error = next(WebSocketMessageType.ERROR);
      assertEquals(status, error.errorInfo().httpStatus());
      assertEquals(
          "Got bad status connecting to 127.0.0.1:"
              + raw.port()
              + ", status: "
              + status
              + ", HTTP Status line: HTTP/1.1 "
              + status
              + " "
              + phrase,
          error.errorInfo().reason());
      assertEquals(1, error.errorInfo().retries());
      assertEquals(100, error.errorInfo().waitTime(), "first wait of the backoff schedule");
      assertTrue(conn.awaitPeerClose(WAIT), "the client hangs up");
    }
    // Reconnection is on by default: the client is waiting to try again.
    assertEquals(ReadyState.CONNECTING, client.getReadyState());
    client.stop();
    assertEquals(ReadyState.CLOSED, client.getReadyState());
  }

  @Test
  void badStatusIsReportedByConnectWithStatusAndReason() throws Exception {
    CompletableFuture<Void> server =
        CompletableFuture.runAsync(
            () -> {
              try (RawConnection conn = raw.accept(WAIT)) {
                conn.readHead();
                conn.write("HTTP/1.1 403 Forbidden\r\nX-Why: nope\r\nContent-Length: 0\r\n\r\n");
                conn.awaitPeerClose(WAIT);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    WebSocketInitResult result = client.connect(5);
    server.get(5, TimeUnit.SECONDS);
    assertFalse(result.success());
    assertEquals(403, result.httpStatus());
    assertEquals(
        "Got bad status connecting to 127.0.0.1:"
            + raw.port()
            + ", status: 403, HTTP Status line: HTTP/1.1 403 Forbidden",
        result.errorStr());
    assertEquals("nope", result.headers().get("x-why"), "response headers are kept");
    events.assertNoMoreEvents(Duration.ofMillis(100));
  }

  @Test
  void nonHttpReplyIsAnErrorWithStatus0() throws IOException {
    client.start();
    try (RawConnection conn = raw.accept(WAIT)) {
      conn.readHead();
      conn.write("SSH-2.0-OpenSSH_9.2\r\n\r\n");
      conn.hangUp();
      WebSocketMessage error = next(WebSocketMessageType.ERROR);
      assertEquals(0, error.errorInfo().httpStatus());
      assertTrue(
          error
              .errorInfo()
              .reason()
              .startsWith("Invalid HTTP response from 127.0.0.1:" + raw.port()),
          error.errorInfo().reason());
      assertEquals(1, error.errorInfo().retries());
      assertEquals(100, error.errorInfo().waitTime());
    }
  }

  @Test
  void repeatedRejectionsCountRetriesAndFollowTheBackoffSchedule() throws IOException {
    client.start();
    long[] waits = {100, 200, 400};
    for (int attempt = 1; attempt <= waits.length; attempt++) {
      try (RawConnection conn = raw.accept(WAIT)) {
        conn.readHead();
        assertEquals(ReadyState.CONNECTING, client.getReadyState(), "attempt " + attempt);
        conn.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
        WebSocketMessage error = next(WebSocketMessageType.ERROR);
        assertEquals(403, error.errorInfo().httpStatus());
        assertEquals(attempt, error.errorInfo().retries(), "retries");
        assertEquals(waits[attempt - 1], error.errorInfo().waitTime(), "waitTime");
        assertEquals(ReadyState.CONNECTING, client.getReadyState(), "waiting after " + attempt);
        assertTrue(conn.awaitPeerClose(WAIT));
      }
    }
  }

  @Test
  void wrongAcceptKeyFailsTheHandshake() throws IOException {
    client.start();
    try (RawConnection conn = raw.accept(WAIT)) {
      conn.readHead();
      conn.write(
          "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Accept: "
              + Base64.getEncoder().encodeToString(new byte[20])
              + "\r\n\r\n");
      WebSocketMessage error = next(WebSocketMessageType.ERROR);
      assertTrue(
          error.errorInfo().reason().contains("Invalid handshake response"), error.toString());
      assertTrue(conn.awaitPeerClose(WAIT), "the client hangs up");
    }
    assertEquals(ReadyState.CONNECTING, client.getReadyState(), "waiting to reconnect");
    client.stop();
    assertEquals(ReadyState.CLOSED, client.getReadyState());
  }

  @Test
  void maskedFrameFromTheServerGetsClose1002() throws IOException {
    client.start();
    try (RawConnection conn = acceptUpgrade()) {
      next(WebSocketMessageType.OPEN);
      conn.writeFrame(WsFrame.text("masked by a server", true));
      WsFrame close = conn.readFrame();
      assertTrue(close.isClose(), "got " + close);
      assertEquals(1002, close.closeCode());
      assertTrue(close.masked(), "client frames are masked");
      conn.writeFrame(WsFrame.close(1002, "", false));
      next(WebSocketMessageType.ERROR);
      WebSocketMessage closed = next(WebSocketMessageType.CLOSE);
      assertEquals(1002, closed.closeInfo().code());
      assertFalse(closed.closeInfo().remote());
    }
  }

  @Test
  void silentServerCausesAHandshakeTimeoutError() throws IOException {
    client.setHandshakeTimeout(1);
    long started = System.nanoTime();
    client.start();
    try (RawConnection conn = raw.accept(WAIT)) {
      conn.readHead();
      WebSocketMessage error = next(WebSocketMessageType.ERROR);
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertTrue(error.errorInfo().reason().contains("timed out"), error.toString());
      assertTrue(millis >= 900 && millis < 3000, "timed out after " + millis + " ms");
      assertTrue(conn.awaitPeerClose(WAIT), "the client hangs up");
    }
  }

  @Test
  void closedPortIsAnUnableToConnectError() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    client.setUrl("ws://127.0.0.1:" + port + "/");
    client.start();
    WebSocketMessage error = next(WebSocketMessageType.ERROR);
    assertTrue(
        error
            .errorInfo()
            .reason()
            .startsWith("Unable to connect to 127.0.0.1 on port " + port + ", error: "),
        error.errorInfo().reason());
    assertEquals(0, error.errorInfo().httpStatus());
  }

  @Test
  void sendBeforeOpenFailsWithAReadableError() {
    WebSocketSendInfo info = client.send("too early");
    assertFalse(info.success());
    assertTrue(info.error().contains("not open"), info.error());
    assertFalse(client.sendBinary(new byte[] {1}).success());
    assertFalse(client.ping("p").success());
  }

  @Test
  void pingOver125BytesIsRefusedWithoutSending() throws IOException {
    client.start();
    try (RawConnection conn = acceptUpgrade()) {
      next(WebSocketMessageType.OPEN);
      WebSocketSendInfo refused = client.ping(new byte[126]);
      assertFalse(refused.success());
      assertTrue(refused.error().contains("125"), refused.error());
      assertTrue(client.ping(new byte[125]).success());
      assertTrue(client.send("after").success());
      WsFrame ping = conn.readFrame();
      assertEquals(WsFrame.OP_PING, ping.opcode());
      assertEquals(125, ping.payload().length);
      assertEquals("after", conn.readFrame().text());
    }
    nextAbnormalClose();
  }

  @Test
  void requestCarriesTargetExtraHeadersAndSubprotocols() throws IOException {
    client.setExtraHeaders(Map.of("X-Api-Key", "secret"));
    client.addSubprotocol("a");
    client.addSubprotocol("b");
    client.start();
    try (RawConnection conn = raw.accept(WAIT)) {
      HttpHead request = conn.readHead();
      assertEquals("GET /chat?room=1 HTTP/1.1", request.startLine());
      assertEquals("secret", request.header("X-Api-Key"));
      assertEquals("a,b", request.header("Sec-WebSocket-Protocol").replace(" ", ""));
      assertEquals("13", request.header("Sec-WebSocket-Version"));
      assertEquals("websocket", request.header("Upgrade").toLowerCase(java.util.Locale.ROOT));
      assertTrue(
          request.header("Connection").toLowerCase(java.util.Locale.ROOT).contains("upgrade"));
      assertEquals("127.0.0.1:" + raw.port(), request.header("Host"));
      String key = request.header("Sec-WebSocket-Key");
      assertNotNull(key);
      assertEquals(16, Base64.getDecoder().decode(key).length, "key is 16 random bytes");
      conn.write(RawHttpServer.switchingProtocols(key, "Sec-WebSocket-Protocol: b"));
      WebSocketMessage open = next(WebSocketMessageType.OPEN);
      assertEquals("b", open.openInfo().protocol());
      assertEquals("/chat?room=1", open.openInfo().uri());
    }
    nextAbnormalClose();
  }

  @Test
  void readyStateGoesConnectingOpenClosingClosed() throws IOException {
    assertEquals(ReadyState.CLOSED, client.getReadyState(), "before start()");
    client.start();
    try (RawConnection conn = raw.accept(WAIT)) {
      HttpHead request = conn.readHead();
      assertEquals(ReadyState.CONNECTING, client.getReadyState(), "waiting for the 101");
      conn.write(RawHttpServer.switchingProtocols(request.header("Sec-WebSocket-Key")));
      next(WebSocketMessageType.OPEN);
      assertEquals(ReadyState.OPEN, client.getReadyState());
      client.close(1000, "bye");
      WsFrame close = conn.readFrame();
      assertEquals(1000, close.closeCode());
      assertEquals(ReadyState.CLOSING, client.getReadyState(), "waiting for the server's close");
      conn.writeFrame(WsFrame.close(1000, "bye", false));
      WebSocketMessage closed = next(WebSocketMessageType.CLOSE);
      assertEquals(1000, closed.closeInfo().code());
      assertFalse(closed.closeInfo().remote());
      assertEquals(ReadyState.CLOSED, client.getReadyState());
      assertTrue(conn.awaitPeerClose(WAIT));
    }
  }

  @Test
  void serverCloseIsEchoedAndReportedAsRemote() throws IOException {
    client.start();
    try (RawConnection conn = acceptUpgrade()) {
      next(WebSocketMessageType.OPEN);
      conn.writeFrame(WsFrame.close(4000, "app says bye", false));
      WsFrame echo = conn.readFrame();
      assertEquals(4000, echo.closeCode());
      assertTrue(echo.masked());
      conn.hangUp(); // the server closes TCP first
      WebSocketMessage closed = next(WebSocketMessageType.CLOSE);
      assertEquals(4000, closed.closeInfo().code());
      assertEquals("app says bye", closed.closeInfo().reason());
      assertTrue(closed.closeInfo().remote());
    }
    // Reconnection is on by default: the client comes straight back after a server close.
    try (RawConnection again = raw.accept(WAIT)) {
      assertEquals("GET /chat?room=1 HTTP/1.1", again.readHead().startLine());
      assertEquals(ReadyState.CONNECTING, client.getReadyState());
    }
    // Dropped before its 101, the reconnection fails the handshake.
    WebSocketMessage error = next(WebSocketMessageType.ERROR);
    assertEquals(0, error.errorInfo().httpStatus(), error.toString());
  }

  @Test
  void frameInTheSameWriteAsThe101IsDelivered() throws IOException {
    client.start();
    byte[] greeting = RawFrames.encode(WsFrame.text("welcome", false));
    try (RawConnection conn = acceptUpgrade(greeting)) {
      next(WebSocketMessageType.OPEN);
      WebSocketMessage message = next(WebSocketMessageType.MESSAGE);
      assertEquals("welcome", message.str());
      assertTrue(conn.localPort() > 0);
    }
    nextAbnormalClose();
  }

  @Test
  void unmaskedTextFromTheServerIsDeliveredAndAnsweredMasked() throws IOException {
    client.setOnMessageCallback(
        msg -> {
          events.accept(msg);
          if (msg.type() == WebSocketMessageType.MESSAGE) {
            client.send("echo " + msg.str());
          }
        });
    client.start();
    try (RawConnection conn = acceptUpgrade()) {
      next(WebSocketMessageType.OPEN);
      conn.writeFrameInChunks(WsFrame.text("hello", false), 1);
      WsFrame reply = conn.readFrame();
      assertTrue(reply.masked());
      assertEquals("echo hello", reply.text());
      WebSocketMessage message = next(WebSocketMessageType.MESSAGE);
      assertEquals("hello", message.str());
      assertFalse(message.binary());
    }
    nextAbnormalClose();
  }
}
