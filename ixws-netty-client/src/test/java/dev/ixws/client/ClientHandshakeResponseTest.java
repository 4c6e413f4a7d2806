package dev.ixws.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketInitResult;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.testkit.HttpHead;
import dev.ixws.testkit.RawConnection;
import dev.ixws.testkit.RawFrames;
import dev.ixws.testkit.RawHttpServer;
import dev.ixws.testkit.RawWebSocketClient;
import dev.ixws.testkit.WsFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client's check of the server's response (RFC 6455 section 4.1) against a server played by
 * hand: every broken response fails the connection at once (the handshake timeout is 30 s; the
 * error must come within 5 s), with an {@code ERROR} naming the fault, the socket closed and no
 * {@code OPEN}; frames behind a valid {@code 101} in the same write are delivered.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ClientHandshakeResponseTest extends RawServerClientBase {

  private static final Duration FAST = Duration.ofSeconds(5);

  @BeforeEach
  void configure() {
    client.setHandshakeTimeout(30);
    client.disableAutomaticReconnection();
  }

  /** A broken response: built from the request's key, and the detail the error must name. */
  static Stream<Arguments> brokenResponses() {
    String head = "HTTP/1.1 101 Switching Protocols\r\n";
    String upgrade = "Upgrade: websocket\r\n";
    String connection = "Connection: Upgrade\r\n";
    UnaryOperator<String> accept =
        key -> "Sec-WebSocket-Accept: " + RawWebSocketClient.acceptFor(key) + "\r\n";
    return Stream.of(
        Arguments.of(
            "no Sec-WebSocket-Accept",
            (UnaryOperator<String>) key -> head + upgrade + connection + "\r\n",
            "no Sec-WebSocket-Accept header, expected '"),
        Arguments.of(
            "wrong Sec-WebSocket-Accept",
            (UnaryOperator<String>)
                key ->
                    head
                        + upgrade
                        + connection
                        + "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n",
            "Sec-WebSocket-Accept is 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=', expected '"),
        Arguments.of(
            "no Upgrade",
            (UnaryOperator<String>) key -> head + connection + accept.apply(key) + "\r\n",
            "no Upgrade header, expected 'websocket'"),
        Arguments.of(
            "Upgrade: h2c",
            (UnaryOperator<String>)
                key -> head + "Upgrade: h2c\r\n" + connection + accept.apply(key) + "\r\n",
            "Upgrade is 'h2c', expected 'websocket'"),
        Arguments.of(
            "no Connection",
            (UnaryOperator<String>) key -> head + upgrade + accept.apply(key) + "\r\n",
            "no Connection header, expected 'Upgrade'"),
        Arguments.of(
            "Connection: keep-alive",
            (UnaryOperator<String>)
                key -> head + upgrade + "Connection: keep-alive\r\n" + accept.apply(key) + "\r\n",
            "Connection is 'keep-alive', expected 'Upgrade' in it"),
        Arguments.of(
            "an extension the client did not offer",
            (UnaryOperator<String>)
                key ->
                    head
                        + upgrade
                        + connection
                        + accept.apply(key)
                        + "Sec-WebSocket-Extensions: x-webkit-deflate-frame\r\n\r\n",
            "Sec-WebSocket-Extensions names 'x-webkit-deflate-frame', an extension the client did not"
                + " offer (it offered 'permessage-deflate')"),
        Arguments.of(
            "a deflate parameter that does not exist",
            (UnaryOperator<String>)
                key ->
                    head
                        + upgrade
                        + connection
                        + accept.apply(key)
                        + "Sec-WebSocket-Extensions: permessage-deflate; foo\r\n\r\n",
            "Sec-WebSocket-Extensions accepts 'permessage-deflate; foo': 'foo' is not a"
                + " permessage-deflate parameter"),
        Arguments.of(
            "a client window over 15 bits",
            (UnaryOperator<String>)
                key ->
                    head
                        + upgrade
                        + connection
                        + accept.apply(key)
                        + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=16"
                        + "\r\n\r\n",
            "Sec-WebSocket-Extensions accepts 'permessage-deflate; client_max_window_bits=16':"
                + " 'client_max_window_bits=16': the window size must be an integer from 8 to 15"),
        Arguments.of(
            "deflate accepted twice",
            (UnaryOperator<String>)
                key ->
                    head
                        + upgrade
                        + connection
                        + accept.apply(key)
                        + "Sec-WebSocket-Extensions: permessage-deflate, permessage-deflate\r\n\r\n",
            "Sec-WebSocket-Extensions names 'permessage-deflate' more than once"),
        Arguments.of(
            "a subprotocol the client did not offer",
            (UnaryOperator<String>)
                key ->
                    head
                        + upgrade
                        + connection
                        + accept.apply(key)
                        + "Sec-WebSocket-Protocol: chat\r\n\r\n",
            "Sec-WebSocket-Protocol is 'chat', a subprotocol the client did not offer (it offered none)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenResponses")
  void brokenResponseIsAnErrorAtOnceWithoutOpen(
      String name, UnaryOperator<String> response, String detail) throws IOException {
    long started = System.nanoTime();
    client.start();
    try (RawConnection conn = raw.accept(WAIT)) {
      HttpHead request = conn.readHead();
      // A text frame right behind the response: it must never be delivered.
      conn.write(
          concat(
              response.apply(request.header("Sec-WebSocket-Key")).getBytes(StandardCharsets.UTF_8),
              RawFrames.encode(WsFrame.text("must not arrive", false))));
      WebSocketMessage error = events.next(FAST);
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertEquals(WebSocketMessageType.ERROR, error.type(), "first event: " + error);
      assertTrue(millis < FAST.toMillis(), "the error took " + millis + " ms");
      String prefix = "Invalid handshake response from 127.0.0.1:" + raw.port() + ": ";
      assertTrue(
          error.errorInfo().reason().startsWith(prefix + detail), error.errorInfo().reason());
      assertEquals(101, error.errorInfo().httpStatus());
      assertTrue(conn.awaitPeerClose(FAST), "the client hangs up");
    }
    events.assertNoMoreEvents(Duration.ofMillis(200));
  }

  @Test
  void subprotocolOtherThanTheOfferedOnesIsAnError() throws IOException {
    client.addSubprotocol("a");
    client.addSubprotocol("b");
    client.start();
    try (RawConnection conn = raw.accept(WAIT)) {
      String key = conn.readHead().header("Sec-WebSocket-Key");
      conn.write(RawHttpServer.switchingProtocols(key, "Sec-WebSocket-Protocol: c"));
      WebSocketMessage error = next(WebSocketMessageType.ERROR);
      assertEquals(
          "Invalid handshake response from 127.0.0.1:"
              + raw.port()
              + ": Sec-WebSocket-Protocol is 'c', a subprotocol the client did not offer"
              + " (it offered 'a', 'b')",
          error.errorInfo().reason());
      assertTrue(conn.awaitPeerClose(FAST));
    }
    events.assertNoMoreEvents(Duration.ofMillis(200));
  }

  @Test
  void twoSubprotocolsInTheAnswerAreAnError() throws IOException {
    client.addSubprotocol("a");
    client.addSubprotocol("b");
    client.start();
    try (RawConnection conn = raw.accept(WAIT)) {
      String key = conn.readHead().header("Sec-WebSocket-Key");
      conn.write(RawHttpServer.switchingProtocols(key, "Sec-WebSocket-Protocol: a, b"));
      WebSocketMessage error = next(WebSocketMessageType.ERROR);
      assertTrue(
          error.errorInfo().reason().endsWith("a server chooses one subprotocol at most"),
          error.errorInfo().reason());
      assertTrue(conn.awaitPeerClose(FAST));
    }
    events.assertNoMoreEvents(Duration.ofMillis(200));
  }

  @Test
  void non101WithUpgradeHeadersIsABadStatus() throws IOException {
    client.start();
    try (RawConnection conn = raw.accept(WAIT)) {
      String key = conn.readHead().header("Sec-WebSocket-Key");
      conn.write(
          "HTTP/1.1 200 OK\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Accept: "
              + RawWebSocketClient.acceptFor(key)
              + "\r\n\r\n");
      WebSocketMessage error = next(WebSocketMessageType.ERROR);
      assertEquals(200, error.errorInfo().httpStatus());
      assertEquals(
          "Got bad status connecting to 127.0.0.1:"
              + raw.port()
              + ", status: 200, HTTP Status line: HTTP/1.1 200 OK",
          error.errorInfo().reason());
      assertTrue(conn.awaitPeerClose(FAST), "no body is awaited: the client hangs up at once");
    }
    events.assertNoMoreEvents(Duration.ofMillis(200));
  }

  @Test
  void connectReturnsTheFaultAsItsResultAtOnce() throws Exception {
    CompletableFuture<Void> server =
        CompletableFuture.runAsync(
            () -> {
              try (RawConnection conn = raw.accept(WAIT)) {
                conn.readHead();
                // No Sec-WebSocket-Accept: Netty's decoder would wait for a body here.
                conn.write(
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\n\r\n");
                conn.awaitPeerClose(WAIT);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    long started = System.nanoTime();
    WebSocketInitResult result = client.connect(30);
    long millis = (System.nanoTime() - started) / 1_000_000;
    server.get(5, TimeUnit.SECONDS);
    assertFalse(result.success());
    assertTrue(millis < FAST.toMillis(), "connect took " + millis + " ms");
    assertEquals(101, result.httpStatus());
    assertTrue(
        result
            .errorStr()
            .startsWith(
                "Invalid handshake response from 127.0.0.1:"
                    + raw.port()
                    + ": no Sec-WebSocket-Accept header"),
        result.errorStr());
    assertEquals("websocket", result.headers().get("upgrade"), "response headers are kept");
    events.assertNoMoreEvents(Duration.ofMillis(200));
  }

  @Test
  void textAndCloseInTheSameWriteAsThe101AreDelivered() throws IOException {
    client.start();
    byte[] frames =
        concat(
            RawFrames.encode(WsFrame.text("hello", false)),
            RawFrames.encode(WsFrame.close(1000, "done", false)));
    try (RawConnection conn = acceptUpgrade(frames)) {
      next(WebSocketMessageType.OPEN);
      assertEquals("hello", next(WebSocketMessageType.MESSAGE).str());
      WsFrame echo = conn.readFrame();
      assertTrue(echo.isClose(), "got " + echo);
      assertEquals(1000, echo.closeCode());
      assertTrue(echo.masked());
      conn.hangUp();
      WebSocketMessage closed = next(WebSocketMessageType.CLOSE);
      assertEquals(1000, closed.closeInfo().code());
      assertEquals("done", closed.closeInfo().reason());
      assertTrue(closed.closeInfo().remote());
    }
    events.assertNoMoreEvents(Duration.ofMillis(200));
  }

  @Test
  void aClientWithDeflateDisabledOffersNoExtension() throws IOException {
    client.disablePerMessageDeflate();
    client.start();
    try (RawConnection conn = raw.accept(WAIT)) {
      assertNull(conn.readHead().header("Sec-WebSocket-Extensions"), "none offered");
    }
    next(WebSocketMessageType.ERROR);
  }

  @Test
  void requestCarriesOriginAndHostWithThePort() throws IOException {
    client.start();
    try (RawConnection conn = raw.accept(WAIT)) {
      HttpHead request = conn.readHead();
      assertEquals("127.0.0.1:" + raw.port(), request.header("Host"));
      assertEquals("http://127.0.0.1:" + raw.port(), request.header("Origin"));
      assertNull(request.header("Sec-WebSocket-Protocol"), "none offered");
      // Per-message deflate is offered by default, exactly as IXWebSocket offers it.
      assertEquals(
          "permessage-deflate; server_max_window_bits=15; client_max_window_bits=15",
          request.header("Sec-WebSocket-Extensions"));
    }
    // The raw server hung up without answering: the client reports it.
    WebSocketMessage error = next(WebSocketMessageType.ERROR);
    assertTrue(
        error.errorInfo().reason().contains("closed before the handshake completed"),
        error.errorInfo().reason());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(a);
    all.writeBytes(b);
    return all.toByteArray();
  }
}
