package dev.ixws.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.ReadyState;
import dev.ixws.WebSocketCloseInfo;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.WebSocketOpenInfo;
import dev.ixws.client.WebSocket;
import dev.ixws.server.OnConnectionCallback;
import dev.ixws.server.WebSocketServer;
import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.EventRecorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our {@link WebSocketServer} behind nginx as a reverse proxy (the internal-gateway case): our
 * {@link WebSocket} client and the node/Python peers connect to nginx, which upgrades the
 * connection to our server and relays frames both ways.
 */
@Timeout(60)
class OurServerBehindNginxTest {

  /** nginx's idle timeout for proxied connections in most tests: longer than any test. */
  private static final Duration PROXY_READ_TIMEOUT = Duration.ofSeconds(60);

  private static final Duration CLIENT_RUN_TIMEOUT = Duration.ofSeconds(40);

  private WebSocketServer server;
  private Nginx nginx;
  private WebSocket client;
  private final EventRecorder<WebSocketMessage> serverEvents = new EventRecorder<>();
  private final EventRecorder<WebSocketMessage> clientEvents = new EventRecorder<>();

  @AfterEach
  void stopEverything() {
    if (client != null) {
      client.stop();
    }
    if (nginx != null) {
      nginx.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void textBinaryOneMegabyteAndPingRoundTripThroughNginx() {
    startServerBehindNginx(echoing(), PROXY_READ_TIMEOUT);
    connectClient("/ws/echo");

    assertTrue(client.send("through the proxy, ü €").success());
    assertEquals("through the proxy, ü €", nextClientMessage().str());

    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    assertTrue(client.sendBinary(all).success());
    WebSocketMessage binary = nextClientMessage();
    assertTrue(binary.binary());
    assertArrayEquals(all, binary.bytes());

    byte[] megabyte = new byte[1024 * 1024];
    new Random(42).nextBytes(megabyte);
    assertTrue(client.sendBinary(megabyte).success());
    assertArrayEquals(megabyte, nextClientMessage().bytes());

    assertTrue(client.ping("are you there").success());
    WebSocketMessage pong =
        clientEvents.nextMatching(
            message -> message.type() == WebSocketMessageType.PONG, Duration.ofSeconds(10));
    assertEquals("are you there", pong.str());
    WebSocketMessage ping =
        serverEvents.nextMatching(
            message -> message.type() == WebSocketMessageType.PING, Duration.ofSeconds(10));
    assertEquals("are you there", ping.str());
  }

  @Test
  void ourServerCloseWith4001AndReasonReachesOurClientThroughNginx() {
    startServerBehindNginx(
        TestServers.closingOnOpen(serverEvents::accept, 4001, "server bye"), PROXY_READ_TIMEOUT);
    connectClient("/ws/close");

    assertEquals(new WebSocketCloseInfo(4001, "server bye", true), nextClose(clientEvents));
    assertEquals(new WebSocketCloseInfo(4001, "server bye", false), nextClose(serverEvents));
  }

  @Test
  void ourClientCloseWith1000AndReasonReachesOurServerThroughNginx() {
    startServerBehindNginx(echoing(), PROXY_READ_TIMEOUT);
    connectClient("/ws/echo");

    client.close(1000, "client bye");

    assertEquals(new WebSocketCloseInfo(1000, "client bye", true), nextClose(serverEvents));
    assertEquals(new WebSocketCloseInfo(1000, "client bye", false), nextClose(clientEvents));
    assertEquals(ReadyState.CLOSED, client.getReadyState());
  }

  @Test
  void ourServerSeesTheForwardedHeadersTheClientHeadersThePathAndTheSubprotocol() {
    startServerBehindNginx(echoing(), PROXY_READ_TIMEOUT, "chat");
    client = newClient("/ws/room?name=lobby");
    client.setExtraHeaders(Map.of("X-Client-Tag", "tag-7"));
    client.addSubprotocol("chat");
    client.start();
    WebSocketOpenInfo clientOpen = nextOfType(clientEvents, WebSocketMessageType.OPEN).openInfo();

    WebSocketOpenInfo serverOpen = nextOfType(serverEvents, WebSocketMessageType.OPEN).openInfo();
    assertEquals("/ws/room?name=lobby", serverOpen.uri());
    assertEquals("127.0.0.1", serverOpen.headers().get("X-Forwarded-For"), serverOpen::toString);
    assertEquals("http", serverOpen.headers().get("X-Forwarded-Proto"), serverOpen::toString);
    assertEquals("tag-7", serverOpen.headers().get("X-Client-Tag"), serverOpen::toString);
    assertEquals("chat", serverOpen.protocol());
    assertEquals("chat", clientOpen.protocol());
  }

  @Test
  void heartbeatKeepsAProxiedConnectionAliveBeyondNginxsIdleTimeout() {
    startServerBehindNginx(echoing(), Duration.ofMillis(1500));
    client = newClient("/ws/echo");
    client.setPingInterval(1);
    client.start();
    assertEquals(WebSocketMessageType.OPEN, clientEvents.next().type());

    // Four pings a second apart, three times nginx's idle timeout: only they cross the proxy.
    for (int i = 0; i < 4; i++) {
      nextOfType(clientEvents, WebSocketMessageType.PONG);
    }
    assertEquals(ReadyState.OPEN, client.getReadyState());
    assertTrue(client.send("still here").success());
    assertEquals("still here", nextClientMessage().str());
    // Our server saw the proxied open, each of the four pings, then the message.
    WebSocketMessage open = serverEvents.next();
    assertEquals(WebSocketMessageType.OPEN, open.type(), open::toString);
    assertEquals("/ws/echo", open.openInfo().uri());
    for (int i = 0; i < 4; i++) {
      WebSocketMessage ping = serverEvents.next();
      assertEquals(WebSocketMessageType.PING, ping.type(), ping::toString);
      assertTrue(ping.str().startsWith("ixws::heartbeat::"), ping::toString);
    }
    assertEquals("still here", serverEvents.next().str());
  }

  @Test
  void nginxDropsAnIdleProxiedConnectionWithoutHeartbeatAndBothEndsSeeIt() {
    startServerBehindNginx(echoing(), Duration.ofMillis(1000));
    connectClient("/ws/echo");

    // nginx closes both TCP connections without a close frame: abnormal closure on both ends.
    WebSocketCloseInfo clientClose = nextClose(clientEvents);
    assertEquals(1006, clientClose.code(), clientClose::toString);
    WebSocketCloseInfo serverClose = nextClose(serverEvents);
    assertEquals(1006, serverClose.code(), serverClose::toString);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Peer.class)
  void peerClientEchoesTextThroughNginxWhichRelaysTheDeflateOfferOurServerAccepts(Peer peer) {
    // The big-message and fragment scenarios run directly against our server in
    // PeerClientsAgainstOurServerTest; here the handshake headers and frames cross the proxy.
    startServerBehindNginx(echoing(), PROXY_READ_TIMEOUT);

    try (PeerProcess peerClient =
        PeerProcess.startClient(peer, nginx.url("/ws/peer"), "deflate-offered")) {
      List<String> lines = peerClient.awaitExit(CLIENT_RUN_TIMEOUT);
      assertEquals(
          List.of(
              "{\"step\":\"extensions\",\"extensions\":\"permessage-deflate\"}",
              "{\"step\":\"text\",\"ok\":true}",
              "{\"step\":\"close\",\"code\":1000,\"reason\":\"client done\"}"),
          lines,
          peerClient::stderrNote);
      assertEquals(
          0, peerClient.exitValue(), () -> peerClient + " failed" + peerClient.stderrNote());
    }
    WebSocketOpenInfo open = nextOfType(serverEvents, WebSocketMessageType.OPEN).openInfo();
    assertTrue(
        open.headers().getOrDefault("Sec-WebSocket-Extensions", "").contains("permessage-deflate"),
        () -> "nginx did not relay the deflate offer: " + open.headers());
    assertEquals(new WebSocketCloseInfo(1000, "client done", true), nextClose(serverEvents));
  }

  /** A connection callback that records every event and echoes each message as it came. */
  private OnConnectionCallback echoing() {
    return TestServers.echoing(serverEvents::accept);
  }

  private void startServerBehindNginx(
      OnConnectionCallback callback, Duration proxyReadTimeout, String... subprotocols) {
    server = TestServers.serving(callback).subprotocols(subprotocols).start();
    nginx = Nginx.start(server.getPort(), proxyReadTimeout);
  }

  private WebSocket newClient(String path) {
    WebSocket webSocket = new WebSocket();
    webSocket.setUrl(nginx.url(path));
    webSocket.disableAutomaticReconnection();
    webSocket.setOnMessageCallback(clientEvents::accept);
    return webSocket;
  }

  private void connectClient(String path) {
    client = newClient(path);
    client.start();
    WebSocketMessage open = clientEvents.next();
    assertEquals(WebSocketMessageType.OPEN, open.type(), () -> open + "\n" + nginx.errorLog());
  }

  private WebSocketMessage nextClientMessage() {
    return nextOfType(clientEvents, WebSocketMessageType.MESSAGE);
  }

  private static WebSocketMessage nextOfType(
      EventRecorder<WebSocketMessage> events, WebSocketMessageType type) {
    return events.nextMatching(message -> message.type() == type, Duration.ofSeconds(15));
  }

  private static WebSocketCloseInfo nextClose(EventRecorder<WebSocketMessage> events) {
    return nextOfType(events, WebSocketMessageType.CLOSE).closeInfo();
  }
}
