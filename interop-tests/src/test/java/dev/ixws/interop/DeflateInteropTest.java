package dev.ixws.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.PerMessageDeflateOptions;
import dev.ixws.ReadyState;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.WebSocketOpenInfo;
import dev.ixws.WebSocketTrafficStats;
import dev.ixws.client.WebSocket;
import dev.ixws.server.WebSocketServer;
import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.EventRecorder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Per-message deflate really negotiated (asserted on the response header and on what each side
 * reports), against node {@code ws} and Python {@code websockets} in both roles: payloads of 0 B, 1
 * B, 100 KB and 10 MB, text and binary, random and compressible, compared byte for byte, and every
 * window size and context mode each peer lets a test choose.
 */
@Timeout(120)
class DeflateInteropTest {

  private static final Duration CLIENT_RUN = Duration.ofSeconds(100);
  private static final Duration ECHO_WAIT = Duration.ofSeconds(30);

  private WebSocketServer server;
  private final LinkedBlockingQueue<WebSocketOpenInfo> serverOpens = new LinkedBlockingQueue<>();

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop();
    }
  }

  // ---------------------------------------------------------------- our client, peer servers

  /** Peer server options (as the peer spells them) and the parameters our client must agree. */
  static Stream<Arguments> peerServers() {
    List<Arguments> cases = new ArrayList<>();
    cases.add(Arguments.of(Peer.NODE_WS, "{}", 15, 15, false, false));
    cases.add(Arguments.of(Peer.PYTHON_WEBSOCKETS, "{}", 15, 15, false, false));
    for (int bits = 9; bits <= 15; bits++) {
      cases.add(
          Arguments.of(
              Peer.NODE_WS, "{\"serverMaxWindowBits\":" + bits + "}", 15, bits, false, false));
      cases.add(
          Arguments.of(
              Peer.NODE_WS, "{\"clientMaxWindowBits\":" + bits + "}", bits, 15, false, false));
      cases.add(
          Arguments.of(
              Peer.PYTHON_WEBSOCKETS,
              "{\"server_max_window_bits\":" + bits + "}",
              15,
              bits,
              false,
              false));
      cases.add(
          Arguments.of(
              Peer.PYTHON_WEBSOCKETS,
              "{\"client_max_window_bits\":" + bits + "}",
              bits,
              15,
              false,
              false));
    }
    cases.add(
        Arguments.of(Peer.NODE_WS, "{\"serverNoContextTakeover\":true}", 15, 15, false, true));
    cases.add(
        Arguments.of(Peer.NODE_WS, "{\"clientNoContextTakeover\":true}", 15, 15, true, false));
    cases.add(
        Arguments.of(
            Peer.PYTHON_WEBSOCKETS, "{\"server_no_context_takeover\":true}", 15, 15, false, true));
    cases.add(
        Arguments.of(
            Peer.PYTHON_WEBSOCKETS, "{\"client_no_context_takeover\":true}", 15, 15, true, false));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("peerServers")
  void ourClientCompressesBothWaysWithAPeerServer(
      Peer peer,
      String options,
      int clientBits,
      int serverBits,
      boolean clientNoContext,
      boolean serverNoContext) {
    boolean full = options.equals("{}");
    try (PeerProcess peerServer = PeerProcess.startDeflateServer(peer, options)) {
      WebSocket client = new WebSocket();
      EventRecorder<WebSocketMessage> events = new EventRecorder<>();
      client.setUrl(peerServer.url());
      client.disableAutomaticReconnection();
      client.setOnMessageCallback(events::accept);
      client.start();
      try {
        WebSocketMessage open = events.next(ECHO_WAIT);
        assertEquals(WebSocketMessageType.OPEN, open.type(), () -> open + peerServer.stderrNote());
        String header = open.openInfo().headers().get("Sec-WebSocket-Extensions");
        assertNotNull(header, "the peer must answer with the extension");
        assertTrue(header.startsWith("permessage-deflate"), header);
        PerMessageDeflateOptions agreed = open.openInfo().perMessageDeflate();
        assertTrue(agreed.enabled(), header);
        assertEquals(clientBits, agreed.clientMaxWindowBits(), header);
        assertEquals(serverBits, agreed.serverMaxWindowBits(), header);
        assertEquals(clientNoContext, agreed.clientNoContextTakeover(), header);
        assertEquals(serverNoContext, agreed.serverNoContextTakeover(), header);
        assertTrue(peerServer.nextLine(ECHO_WAIT).startsWith("EXT "), peerServer::stderrNote);

        for (Payload payload : Payload.all(full)) {
          assertTrue(payload.sendWith(client).success(), payload.name());
          WebSocketMessage echo = events.next(ECHO_WAIT);
          assertEquals(
              WebSocketMessageType.MESSAGE, echo.type(), () -> echo + peerServer.stderrNote());
          assertEquals(payload.binary(), echo.binary(), payload.name());
          assertArrayEquals(payload.data(), echo.bytes(), payload.name());
        }
        WebSocketTrafficStats stats = client.getTrafficStats();
        assertTrue(stats.sentCompressionRatio() < 0.9, stats.toString());
        assertTrue(stats.receivedCompressionRatio() < 0.9, "the peer compressed: " + stats);
      } finally {
        boolean open = client.getReadyState() == ReadyState.OPEN;
        client.stop();
        if (open) {
          events.skipRemaining();
        }
      }
    }
  }

  // ---------------------------------------------------------------- peer clients, our server

  /** Peer client options (as the peer spells them) and what our server must agree to. */
  static Stream<Arguments> peerClients() {
    List<Arguments> cases = new ArrayList<>();
    cases.add(Arguments.of(Peer.NODE_WS, "{}", 15, false));
    cases.add(Arguments.of(Peer.PYTHON_WEBSOCKETS, "{}", 15, false));
    for (int bits = 8; bits <= 15; bits++) {
      cases.add(Arguments.of(Peer.NODE_WS, "{\"serverMaxWindowBits\":" + bits + "}", bits, false));
      cases.add(
          Arguments.of(
              Peer.PYTHON_WEBSOCKETS, "{\"server_max_window_bits\":" + bits + "}", bits, false));
    }
    cases.add(Arguments.of(Peer.NODE_WS, "{\"serverNoContextTakeover\":true}", 15, true));
    cases.add(
        Arguments.of(Peer.PYTHON_WEBSOCKETS, "{\"server_no_context_takeover\":true}", 15, true));
    cases.add(Arguments.of(Peer.NODE_WS, "{\"clientMaxWindowBits\":10}", 15, false));
    cases.add(Arguments.of(Peer.PYTHON_WEBSOCKETS, "{\"client_max_window_bits\":10}", 15, false));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("peerClients")
  void aPeerClientRoundTripsEveryPayloadThroughOurCompressingServer(
      Peer peer, String options, int serverBits, boolean serverNoContext) throws Exception {
    startEchoServer(PerMessageDeflateOptions.DEFAULT);
    boolean full = options.equals("{}");
    try (PeerProcess client =
        PeerProcess.startDeflateClient(peer, url(), withPayloads(options, full))) {
      String ext = client.nextLine(CLIENT_RUN);
      assertTrue(ext.startsWith("EXT permessage-deflate"), ext + client.stderrNote());
      assertEquals(
          "OK " + Payload.all(full).size(), client.nextLine(CLIENT_RUN), client::stderrNote);
    }
    WebSocketOpenInfo open = serverOpens.poll(10, TimeUnit.SECONDS);
    assertNotNull(open);
    PerMessageDeflateOptions agreed = open.perMessageDeflate();
    assertTrue(agreed.enabled());
    assertEquals(serverBits, agreed.serverMaxWindowBits());
    assertEquals(serverNoContext, agreed.serverNoContextTakeover());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Peer.class)
  void ourServerLimitsThePeerClientsWindowAndContextWhenConfiguredTo(Peer peer) throws Exception {
    startEchoServer(
        PerMessageDeflateOptions.builder()
            .serverNoContextTakeover(true)
            .clientNoContextTakeover(true)
            .clientMaxWindowBits(9)
            .serverMaxWindowBits(10)
            .build());
    try (PeerProcess client =
        PeerProcess.startDeflateClient(peer, url(), withPayloads("{}", false))) {
      String ext = client.nextLine(CLIENT_RUN);
      assertTrue(ext.contains("server_no_context_takeover"), ext);
      assertTrue(ext.contains("client_no_context_takeover"), ext);
      assertTrue(ext.contains("server_max_window_bits=10"), ext);
      assertTrue(ext.contains("client_max_window_bits=9"), ext);
      assertEquals(
          "OK " + Payload.all(false).size(), client.nextLine(CLIENT_RUN), client::stderrNote);
    }
    assertNotNull(serverOpens.poll(10, TimeUnit.SECONDS));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Peer.class)
  void aServerWithDeflateDisabledDeclinesAndThePeerStillWorks(Peer peer) throws Exception {
    startEchoServer(PerMessageDeflateOptions.DISABLED);
    try (PeerProcess client =
        PeerProcess.startDeflateClient(peer, url(), withPayloads("{}", false))) {
      String ext = client.nextLine(CLIENT_RUN);
      assertTrue(ext.equals("EXT undefined") || ext.equals("EXT None"), ext);
      assertEquals(
          "OK " + Payload.all(false).size(), client.nextLine(CLIENT_RUN), client::stderrNote);
    }
    assertFalse(serverOpens.poll(10, TimeUnit.SECONDS).perMessageDeflate().enabled());
  }

  private void startEchoServer(PerMessageDeflateOptions options) {
    server = new WebSocketServer(0, "127.0.0.1");
    server.setPerMessageDeflateOptions(options);
    server.setOnConnectionCallback(
        (webSocket, state) ->
            webSocket.setOnMessageCallback(
                msg -> {
                  if (msg.type() == WebSocketMessageType.OPEN) {
                    serverOpens.add(msg.openInfo());
                  } else if (msg.type() == WebSocketMessageType.MESSAGE) {
                    webSocket.send(msg);
                  }
                }));
    TestServers.started(server);
  }

  private String url() {
    return "ws://127.0.0.1:" + server.getPort() + "/";
  }

  /** The options JSON with the payload set the client script sends ({@code full} or small). */
  private static String withPayloads(String options, boolean full) {
    String payloads = "\"payloads\":\"" + (full ? "full" : "small") + "\"";
    return options.equals("{}") ? "{" + payloads + "}" : options.replace("}", "," + payloads + "}");
  }

  /** One test payload; the same list as the peer scripts' deflate_payloads. */
  record Payload(String name, boolean binary, byte[] data) {
    static List<Payload> all(boolean full) {
      List<Payload> list = new ArrayList<>();
      int[] sizes =
          full ? new int[] {0, 1, 100 * 1024, 10 * 1024 * 1024} : new int[] {0, 1, 100 * 1024};
      for (int size : sizes) {
        list.add(new Payload("text " + size, false, compressible(size)));
        list.add(new Payload("binary compressible " + size, true, compressible(size)));
        byte[] random = new byte[size];
        new Random(size).nextBytes(random);
        list.add(new Payload("binary random " + size, true, random));
      }
      return list;
    }

    dev.ixws.WebSocketSendInfo sendWith(WebSocket webSocket) {
      return binary
          ? webSocket.sendBinary(data)
          : webSocket.sendText(new String(data, StandardCharsets.ISO_8859_1));
    }

    static byte[] compressible(int length) {
      String[] words = {"alpha", "beta", "gamma", "delta", "{\"id\":", "\"price\":", " "};
      StringBuilder text = new StringBuilder(length + 16);
      for (int i = 0; text.length() < length; i++) {
        text.append(words[i % words.length]).append(i % 97).append(' ');
      }
      return text.substring(0, length).getBytes(StandardCharsets.ISO_8859_1);
    }
  }
}
