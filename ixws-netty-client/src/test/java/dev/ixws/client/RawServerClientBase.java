package dev.ixws.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.testkit.EventRecorder;
import dev.ixws.testkit.HttpHead;
import dev.ixws.testkit.RawConnection;
import dev.ixws.testkit.RawHttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of the tests of our client against a server played by hand: before each test a {@link
 * RawHttpServer} and a client (not started) whose URL points at it and whose events go to {@link
 * #events}; after it, both are stopped.
 */
abstract class RawServerClientBase {

  static final Duration WAIT = Duration.ofSeconds(5);

  RawHttpServer raw;
  WebSocket client;
  final EventRecorder<WebSocketMessage> events = new EventRecorder<>();

  /** The request target the client asks for. */
  String path() {
    return "/";
  }

  @BeforeEach
  void setUp() throws IOException {
    raw = new RawHttpServer();
    client = new WebSocket();
    client.setUrl("ws://127.0.0.1:" + raw.port() + path());
    client.setOnMessageCallback(events::accept);
  }

  @AfterEach
  void tearDown() throws IOException {
    client.stop();
    raw.close();
  }

  /** Accepts the client, reads its request, and answers a valid 101 plus {@code extra} bytes. */
  RawConnection acceptUpgrade(byte[] extra, String... extraHeaders) throws IOException {
    RawConnection conn = raw.accept(WAIT);
    HttpHead request = conn.readHead();
    String response =
        RawHttpServer.switchingProtocols(request.header("Sec-WebSocket-Key"), extraHeaders);
    byte[] head = response.getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[head.length + extra.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(extra, 0, all, head.length, extra.length);
    conn.write(all);
    return conn;
  }

  /** Accepts the client, reads its request, and answers a valid 101. */
  RawConnection acceptUpgrade() throws IOException {
    return acceptUpgrade(new byte[0]);
  }

  /**
   * The next event, which must be the CLOSE 1006 of a connection the server side dropped without a
   * close frame.
   */
  WebSocketMessage nextAbnormalClose() {
    WebSocketMessage closed = next(WebSocketMessageType.CLOSE);
    assertEquals(1006, closed.closeInfo().code(), "event " + closed);
    assertEquals("Abnormal closure", closed.closeInfo().reason());
    assertTrue(closed.closeInfo().remote(), "event " + closed);
    return closed;
  }

  /** The next event, which must be of {@code type}. */
  WebSocketMessage next(WebSocketMessageType type) {
    WebSocketMessage message = events.next();
    assertEquals(type, message.type(), "event " + message);
    return message;
  }
}
