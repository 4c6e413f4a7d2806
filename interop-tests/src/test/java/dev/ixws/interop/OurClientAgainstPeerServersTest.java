package dev.ixws.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.ReadyState;
import dev.ixws.WebSocketCloseInfo;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.WebSocketSendInfo;
import dev.ixws.client.WebSocket;
import dev.ixws.testkit.EventRecorder;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our {@link WebSocket} client against echo servers written on node {@code ws} and Python {@code
 * websockets}, over loopback. The server scripts are in {@code src/test/resources/peers}.
 */
@Timeout(30)
class OurClientAgainstPeerServersTest {

  // Generous: at the paranoid leak level Netty records a stack trace for each 8-byte step of
  // masking, so 10 MB takes seconds here (not in production).
  private static final Duration BIG_MESSAGE_TIMEOUT = Duration.ofSeconds(25);

  @ParameterizedTest(name = "{0}")
  @EnumSource(Peer.class)
  void textIsEchoedAsText(Peer peer) {
    try (PeerProcess server = PeerProcess.startServer(peer);
        Connection client = Connection.open(server)) {
      assertSent(client.webSocket.send("hello, ünïcødé ✓"));
      WebSocketMessage echo = client.next(WebSocketMessageType.MESSAGE);
      assertFalse(echo.binary());
      assertEquals("hello, ünïcødé ✓", echo.str());
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Peer.class)
  void binaryWithEveryByteValueIsEchoedAsBinary(Peer peer) {
    byte[] allBytes = new byte[256];
    for (int i = 0; i < allBytes.length; i++) {
      allBytes[i] = (byte) i;
    }
    try (PeerProcess server = PeerProcess.startServer(peer);
        Connection client = Connection.open(server)) {
      assertSent(client.webSocket.sendBinary(allBytes));
      WebSocketMessage echo = client.next(WebSocketMessageType.MESSAGE);
      assertTrue(echo.binary());
      assertArrayEquals(allBytes, echo.bytes());
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Peer.class)
  void fragmentedMessageFromThePeerArrivesAsFragmentsThenTheWholeMessage(Peer peer) {
    try (PeerProcess server = PeerProcess.startServer(peer);
        Connection client = Connection.open(server)) {
      // The server answers this command with "alpha", "beta", "gamma" as one fragmented message.
      assertSent(client.webSocket.send("fragments:alpha|beta|gamma"));
      // node ws sends alpha, beta, gamma(fin); Python websockets sends alpha, beta, gamma, then an
      // empty final continuation frame: one FRAGMENT event per non-final frame.
      int nonFinalFrames = peer == Peer.PYTHON_WEBSOCKETS ? 3 : 2;
      for (int i = 0; i < nonFinalFrames; i++) {
        WebSocketMessage fragment = client.events.next();
        assertEquals(WebSocketMessageType.FRAGMENT, fragment.type(), fragment::toString);
        assertFalse(fragment.binary());
      }
      WebSocketMessage whole = client.events.next();
      assertEquals(WebSocketMessageType.MESSAGE, whole.type());
      assertFalse(whole.binary());
      assertEquals("alphabetagamma", whole.str());
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Peer.class)
  void tenMegabyteBinaryMessageIsEchoedIntact(Peer peer) {
    byte[] big = new byte[10 * 1024 * 1024];
    new Random(42).nextBytes(big);
    try (PeerProcess server = PeerProcess.startServer(peer);
        Connection client = Connection.open(server)) {
      assertSent(client.webSocket.sendBinary(big));
      WebSocketMessage echo = client.events.next(BIG_MESSAGE_TIMEOUT);
      assertEquals(WebSocketMessageType.MESSAGE, echo.type(), echo::toString);
      assertTrue(echo.binary());
      assertArrayEquals(big, echo.bytes());
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Peer.class)
  void pingIsAnsweredWithPongCarryingTheSamePayload(Peer peer) {
    try (PeerProcess server = PeerProcess.startServer(peer);
        Connection client = Connection.open(server)) {
      assertSent(client.webSocket.ping("ping-payload"));
      WebSocketMessage pong = client.events.next();
      assertEquals(WebSocketMessageType.PONG, pong.type(), pong::toString);
      assertEquals("ping-payload", pong.str());
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Peer.class)
  void serverCloseWith4000ReachesOurClientAsRemoteClose(Peer peer) {
    try (PeerProcess server = PeerProcess.startServer(peer);
        Connection client = Connection.open(server)) {
      assertSent(client.webSocket.send("close:4000:bye"));
      WebSocketMessage close = client.events.next();
      assertEquals(WebSocketMessageType.CLOSE, close.type(), close::toString);
      assertEquals(new WebSocketCloseInfo(4000, "bye", true), close.closeInfo());
      // Our client echoed the code, as RFC 6455 section 5.5.1 asks.
      assertEquals(
          "{\"event\":\"close\",\"code\":4000,\"reason\":\"bye\"}",
          server.nextLine(Duration.ofSeconds(10)),
          server::stderrNote);
      // Reconnection is on by default: after a server's close the client comes straight back.
      client.next(WebSocketMessageType.OPEN);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Peer.class)
  void ourCloseWith1000ReachesThePeer(Peer peer) {
    try (PeerProcess server = PeerProcess.startServer(peer);
        Connection client = Connection.open(server)) {
      client.webSocket.close(1000, "client done");
      WebSocketMessage close = client.events.next();
      assertEquals(WebSocketMessageType.CLOSE, close.type(), close::toString);
      assertEquals(new WebSocketCloseInfo(1000, "client done", false), close.closeInfo());
      assertEquals(
          "{\"event\":\"close\",\"code\":1000,\"reason\":\"client done\"}",
          server.nextLine(Duration.ofSeconds(10)),
          server::stderrNote);
    }
  }

  private static void assertSent(WebSocketSendInfo info) {
    assertTrue(info.success(), info::toString);
  }

  /** Our client connected to a peer server, with every event recorded; stops it on close. */
  private static final class Connection implements AutoCloseable {
    final WebSocket webSocket = new WebSocket();
    final EventRecorder<WebSocketMessage> events = new EventRecorder<>();

    static Connection open(PeerProcess server) {
      Connection connection = new Connection();
      connection.webSocket.setUrl(server.url());
      connection.webSocket.setOnMessageCallback(connection.events::accept);
      connection.webSocket.start();
      try {
        WebSocketMessage open = connection.events.next();
        assertEquals(WebSocketMessageType.OPEN, open.type(), () -> open + server.stderrNote());
        assertEquals("", open.openInfo().protocol());
        return connection;
      } catch (RuntimeException | Error e) {
        connection.close();
        throw e;
      }
    }

    /** The next event, which must be of {@code type}. */
    WebSocketMessage next(WebSocketMessageType type) {
      WebSocketMessage message = events.next();
      assertEquals(type, message.type(), message::toString);
      return message;
    }

    /** Stops the client; if it was open, takes the CLOSE of stop()'s normal closure. */
    @Override
    public void close() {
      boolean wasOpen = webSocket.getReadyState() == ReadyState.OPEN;
      webSocket.stop();
      if (wasOpen) {
        WebSocketMessage close = next(WebSocketMessageType.CLOSE);
        assertEquals(new WebSocketCloseInfo(1000, "Normal closure", false), close.closeInfo());
      }
    }
  }
}
