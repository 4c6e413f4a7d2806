package dev.ixws.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketCloseInfo;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.server.OnConnectionCallback;
import dev.ixws.server.WebSocketServer;
import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.EventRecorder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Clients written on node {@code ws} and Python {@code websockets} against our {@link
 * WebSocketServer}, over loopback. Each client script runs a scenario and prints one JSON line per
 * step (see {@code src/test/resources/peers}); both print the same lines, which the tests compare.
 */
@Timeout(30)
class PeerClientsAgainstOurServerTest {

  private static final Duration CLIENT_RUN_TIMEOUT = Duration.ofSeconds(25);

  private WebSocketServer server;
  private final EventRecorder<WebSocketMessage> serverEvents = new EventRecorder<>();

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Peer.class)
  void peerRoundTripsTextBinaryFragmentsTenMegabytesAndPingThroughOurEchoServer(Peer peer) {
    startServer(echoing());

    assertScenario(
        peer,
        "echo",
        List.of(
            "{\"step\":\"text\",\"ok\":true}",
            "{\"step\":\"binary\",\"ok\":true}",
            "{\"step\":\"fragmented\",\"ok\":true}",
            "{\"step\":\"big\",\"ok\":true}",
            "{\"step\":\"ping\",\"ok\":true}",
            // Our server echoed the peer's close code and reason.
            "{\"step\":\"close\",\"code\":1000,\"reason\":\"client done\"}"));

    assertEquals(WebSocketMessageType.OPEN, serverEvents.next().type());
    WebSocketMessage ping =
        serverEvents.nextMatching(
            message -> message.type() == WebSocketMessageType.PING, Duration.ofSeconds(10));
    assertEquals("ping-payload", ping.str());
    WebSocketMessage close =
        serverEvents.nextMatching(
            message -> message.type() == WebSocketMessageType.CLOSE, Duration.ofSeconds(10));
    assertEquals(new WebSocketCloseInfo(1000, "client done", true), close.closeInfo());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Peer.class)
  void ourServerCloseWith4001AndReasonReachesThePeer(Peer peer) {
    startServer(TestServers.closingOnOpen(serverEvents::accept, 4001, "server bye"));

    assertScenario(
        peer,
        "server-close",
        List.of("{\"step\":\"closed\",\"code\":4001,\"reason\":\"server bye\"}"));

    assertEquals(WebSocketMessageType.OPEN, serverEvents.next().type());
    WebSocketMessage close = serverEvents.next();
    assertEquals(WebSocketMessageType.CLOSE, close.type(), close::toString);
    assertEquals(new WebSocketCloseInfo(4001, "server bye", false), close.closeInfo());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Peer.class)
  void ourServerAcceptsTheChatSubprotocolThePeerOffers(Peer peer) {
    startServer((webSocket, state) -> webSocket.setOnMessageCallback(serverEvents::accept), "chat");

    assertScenario(
        peer,
        "subprotocol",
        List.of(
            "{\"step\":\"protocol\",\"protocol\":\"chat\"}",
            "{\"step\":\"close\",\"code\":1000,\"reason\":\"client done\"}"));

    WebSocketMessage open = serverEvents.next();
    assertEquals(WebSocketMessageType.OPEN, open.type(), open::toString);
    assertEquals("chat", open.openInfo().protocol());
    assertClientDone();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Peer.class)
  void ourServerAcceptsOfferedPermessageDeflateAndTheConnectionWorks(Peer peer) {
    startServer(echoing());

    // Deflate is accepted by default: the peer reports it negotiated (both echo through it).
    assertScenario(
        peer,
        "deflate-offered",
        List.of(
            "{\"step\":\"extensions\",\"extensions\":\"permessage-deflate\"}",
            "{\"step\":\"text\",\"ok\":true}",
            "{\"step\":\"close\",\"code\":1000,\"reason\":\"client done\"}"));

    WebSocketMessage open = serverEvents.next();
    assertEquals(WebSocketMessageType.OPEN, open.type(), open::toString);
    String offered = open.openInfo().headers().getOrDefault("Sec-WebSocket-Extensions", "");
    assertTrue(
        offered.contains("permessage-deflate"),
        () -> "the peer did not offer deflate: " + open.openInfo().headers());
    WebSocketMessage text = serverEvents.next();
    assertEquals(WebSocketMessageType.MESSAGE, text.type(), text::toString);
    assertEquals("hello", text.str());
    assertClientDone();
  }

  /** The server's next event is the CLOSE of the peer's normal close "client done". */
  private void assertClientDone() {
    WebSocketMessage close = serverEvents.next();
    assertEquals(WebSocketMessageType.CLOSE, close.type(), close::toString);
    assertEquals(new WebSocketCloseInfo(1000, "client done", true), close.closeInfo());
  }

  /** A connection callback that records every event and echoes each message as it came. */
  private OnConnectionCallback echoing() {
    return TestServers.echoing(serverEvents::accept);
  }

  /** Starts our server on a free port with {@code callback}, supporting {@code subprotocols}. */
  private void startServer(OnConnectionCallback callback, String... subprotocols) {
    server = TestServers.serving(callback).subprotocols(subprotocols).start();
  }

  /** Runs {@code scenario} of {@code peer}'s client against our server and checks its report. */
  private void assertScenario(Peer peer, String scenario, List<String> expectedLines) {
    String url = "ws://127.0.0.1:" + server.getPort() + "/";
    try (PeerProcess client = PeerProcess.startClient(peer, url, scenario)) {
      List<String> lines = client.awaitExit(CLIENT_RUN_TIMEOUT);
      assertEquals(expectedLines, lines, client::stderrNote);
      assertEquals(0, client.exitValue(), () -> client + " failed" + client.stderrNote());
    }
  }
}
