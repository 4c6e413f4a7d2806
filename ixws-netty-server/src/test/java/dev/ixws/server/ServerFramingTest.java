package dev.ixws.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.EventRecorder;
import dev.ixws.testkit.HttpHead;
import dev.ixws.testkit.RawFrames;
import dev.ixws.testkit.RawWebSocketClient;
import dev.ixws.testkit.WsFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Frames between a hand-written client and our echo server over a real loopback socket. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ServerFramingTest {

  private WebSocketServer server;
  private int port;
  private final EventRecorder<WebSocketMessage> serverEvents = new EventRecorder<>();

  @BeforeEach
  void startEchoServer() {
    server = TestServers.echo(serverEvents::accept).start();
    port = server.getPort();
  }

  @AfterEach
  void stopServer() {
    server.stop();
  }

  @Test
  void frameWrittenOneByteAtATimeIsReassembled() throws IOException {
    try (RawWebSocketClient client = RawWebSocketClient.open(port, "/")) {
      client.writeFrameInChunks(WsFrame.text("one byte at a time", true), 1);
      WsFrame echo = client.readFrame();
      assertEquals("one byte at a time", echo.text());
      assertFalse(echo.masked(), "a server never masks (RFC 6455 5.1)");
    }
    next(WebSocketMessageType.OPEN);
    assertEquals("one byte at a time", next(WebSocketMessageType.MESSAGE).str());
    assertVanished();
  }

  @Test
  void fragmentedMessageWrittenOneByteAtATimeIsReassembled() throws IOException {
    try (RawWebSocketClient client = RawWebSocketClient.open(port, "/")) {
      byte[] part1 = RawFrames.encode(WsFrame.of(false, WsFrame.OP_TEXT, utf8("frag"), true));
      byte[] ping = RawFrames.encode(WsFrame.ping(utf8("p"), true));
      byte[] part2 =
          RawFrames.encode(WsFrame.of(true, WsFrame.OP_CONTINUATION, utf8("ments"), true));
      client.writeInChunks(part1, 1);
      client.writeInChunks(ping, 1);
      client.writeInChunks(part2, 1);
      WsFrame pong = client.readFrame();
      assertEquals(WsFrame.OP_PONG, pong.opcode());
      assertEquals("p", pong.text());
      assertEquals("fragments", client.readFrame().text());
    }
    next(WebSocketMessageType.OPEN);
    assertFalse(next(WebSocketMessageType.FRAGMENT).binary());
    assertEquals("p", next(WebSocketMessageType.PING).str());
    assertEquals("fragments", next(WebSocketMessageType.MESSAGE).str());
    assertVanished();
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 1 << 20})
  void binaryPayloadsOfEveryLengthEncodingEchoExactly(int length) throws IOException {
    byte[] payload = new byte[length];
    new Random(length).nextBytes(payload);
    try (RawWebSocketClient client = RawWebSocketClient.open(port, "/")) {
      client.writeFrame(WsFrame.binary(payload, true));
      WsFrame echo = client.readFrame();
      assertEquals(WsFrame.OP_BINARY, echo.opcode());
      assertTrue(echo.fin());
      assertArrayEquals(payload, echo.payload());
      next(WebSocketMessageType.OPEN);
      WebSocketMessage received = next(WebSocketMessageType.MESSAGE);
      assertTrue(received.binary());
      assertEquals(length, received.size());
      assertEquals(RawFrames.encode(WsFrame.binary(payload, true)).length, received.wireSize());
    }
    assertVanished();
  }

  @Test
  void unmaskedClientFrameGetsClose1002() throws IOException {
    try (RawWebSocketClient client = RawWebSocketClient.open(port, "/")) {
      client.writeFrame(WsFrame.text("not masked", false));
      WsFrame close = client.readFrame();
      assertTrue(close.isClose(), "expected a close frame, got " + close);
      assertEquals(1002, close.closeCode());
      assertTrue(client.awaitPeerClose(Duration.ofSeconds(5)), "the server drops the connection");
    }
    assertClosedForAnUnmaskedFrame();
  }

  @Test
  void badFrameInTheSameWriteAsTheRequestGetsClose1002() throws IOException {
    try (RawWebSocketClient client = RawWebSocketClient.connect(port)) {
      byte[] request =
          RawWebSocketClient.request(port).build().getBytes(StandardCharsets.ISO_8859_1);
      byte[] frame = RawFrames.encode(WsFrame.text("not masked", false));
      byte[] both = new byte[request.length + frame.length];
      System.arraycopy(request, 0, both, 0, request.length);
      System.arraycopy(frame, 0, both, request.length, frame.length);
      client.write(both);
      HttpHead response = client.readHead();
      assertEquals(101, response.status());
      WsFrame close = client.readFrame();
      assertEquals(1002, close.closeCode(), "got " + close);
    }
    assertClosedForAnUnmaskedFrame();
  }

  @Test
  void clientCloseIsEchoedAndTheServerClosesTcp() throws IOException {
    try (RawWebSocketClient client = RawWebSocketClient.open(port, "/")) {
      client.writeFrame(WsFrame.close(1000, "done", true));
      WsFrame echo = client.readFrame();
      assertTrue(echo.isClose(), "got " + echo);
      assertEquals(1000, echo.closeCode());
      assertEquals("done", echo.closeReason());
      assertTrue(
          client.awaitPeerClose(Duration.ofSeconds(5)),
          "the server closes TCP first (RFC 6455 7.1.1)");
    }
    next(WebSocketMessageType.OPEN);
    WebSocketMessage closed = next(WebSocketMessageType.CLOSE);
    assertEquals(1000, closed.closeInfo().code());
    assertEquals("done", closed.closeInfo().reason());
    assertTrue(closed.closeInfo().remote());
  }

  @Test
  void clientThatVanishesIsReportedAs1006() throws IOException {
    RawWebSocketClient client = RawWebSocketClient.open(port, "/");
    assertEquals(WebSocketMessageType.OPEN, serverEvents.next().type());
    client.close(); // TCP goes away without a close frame
    WebSocketMessage closed =
        serverEvents.nextMatching(
            m -> m.type() == WebSocketMessageType.CLOSE, Duration.ofSeconds(5));
    assertEquals(1006, closed.closeInfo().code());
  }

  @Test
  void oversizedMessageGetsClose1009() throws IOException {
    server.stop();
    server = new WebSocketServer(0);
    server.setMaxMessageSize(1000);
    assertTrue(server.listen().ok());
    server.start();
    try (RawWebSocketClient client = RawWebSocketClient.open(server.getPort(), "/")) {
      client.writeFrame(WsFrame.binary(new byte[1001], true));
      WsFrame close = client.readUntilClose();
      assertEquals(1009, close.closeCode());
    }
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

  /** The server reported the OPEN, then the unmasked frame as an ERROR, then its own close 1002. */
  private void assertClosedForAnUnmaskedFrame() {
    next(WebSocketMessageType.OPEN);
    WebSocketMessage error = next(WebSocketMessageType.ERROR);
    assertEquals("Protocol error: a client frame must be masked", error.errorInfo().reason());
    WebSocketMessage closed = next(WebSocketMessageType.CLOSE);
    assertEquals(1002, closed.closeInfo().code());
    assertEquals("Protocol error: a client frame must be masked", closed.closeInfo().reason());
    assertFalse(closed.closeInfo().remote());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
