package dev.ixws.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.ixws.ReadyState;
import dev.ixws.WebSocketCloseInfo;
import dev.ixws.WebSocketErrorInfo;
import dev.ixws.WebSocketInitResult;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.WebSocketOpenInfo;
import dev.ixws.client.WebSocket;
import dev.ixws.server.WebSocketServer;
import dev.ixws.server.testing.TestServers;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs each client example of the usage guide against a real server on a loopback port. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientExamplesTest {

  private ExampleServer server;
  private final List<String> out = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startServer() {
    server = new ExampleServer();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void basicClientReceivesTheEchoOfItsTextAndBinaryMessages() throws Exception {
    List<String> received = ClientBasicExample.run(server.url("/"), out::add);

    assertEquals(List.of("hello world", "some serialized binary data"), received);
    assertEquals(received, out);
    assertEquals("/", server.opens().next().openInfo().uri());
  }

  @Test
  void sendReturnsAFailedResultOnceTheConnectionIsClosed() throws Exception {
    SendingResultExample.Result result = SendingResultExample.run(server.url("/"), out::add);

    assertTrue(result.whileOpen().success());
    assertEquals(3, result.whileOpen().payloadSize());
    // 2-byte header + 4-byte mask + "foo" deflated to 5 bytes: per-message deflate is on by
    // default, and the result reports the frame as sent.
    assertEquals(11, result.whileOpen().wireSize());
    assertFalse(result.afterStop().success());
    assertEquals(0, result.afterStop().wireSize());
    assertTrue(result.afterStop().error().contains("not open"), result.afterStop().error());
    assertEquals("/", server.opens().next().openInfo().uri());
  }

  @Test
  void readyStateGoesFromClosedThroughConnectingOpenAndClosingBackToClosed() throws Exception {
    ReadyStateExample.Result states = ReadyStateExample.run(server.url("/"), out::add);

    assertEquals(ReadyState.CLOSED, states.beforeStart(), states.toString());
    // The handshake almost never finishes before the next line, but a loaded machine may allow it.
    assertTrue(
        Set.of(ReadyState.CONNECTING, ReadyState.OPEN).contains(states.afterStart()),
        states.toString());
    assertEquals(ReadyState.OPEN, states.onOpen(), states.toString());
    assertEquals(ReadyState.CLOSING, states.afterClose(), states.toString());
    assertEquals(ReadyState.CLOSED, states.onClose(), states.toString());
    assertEquals(ReadyState.CLOSED, states.afterStop(), states.toString());
    assertEquals(
        List.of(
            "before start(): CLOSED",
            "after start(): " + states.afterStart(),
            "on open: OPEN",
            "after close(): CLOSING",
            "on close: CLOSED",
            "after stop(): CLOSED"),
        out);
    assertEquals("/", server.opens().next().openInfo().uri());
  }

  @Test
  void openShowsTheHandshakeHeadersAndCloseTheServersCodeAndReason() throws Exception {
    OpenCloseExample.Result result = OpenCloseExample.run(server.url("/bye"), out::add);

    assertTrue("websocket".equalsIgnoreCase(result.handshakeHeaders().get("upgrade")));
    assertTrue(result.handshakeHeaders().contains("Sec-WebSocket-Accept"));
    assertEquals(
        new WebSocketCloseInfo(ExampleServer.BYE_CODE, ExampleServer.BYE_REASON, true),
        result.closeInfo());
    assertEquals("send greetings", out.get(0));
    assertEquals("Handshake Headers:", out.get(1));
    assertTrue(
        out.stream().anyMatch(line -> line.equalsIgnoreCase("upgrade: websocket")), out::toString);
    // One connection: the example turns reconnection off, so the server's close is the end.
    assertEquals(
        List.of("disconnected", "4000", ExampleServer.BYE_REASON),
        out.subList(out.size() - 3, out.size()));
    assertEquals("/bye", server.opens().next().openInfo().uri());
  }

  @Test
  void errorReportsTheStatusAndStatusLineOfAServerThatAnswers403() throws Exception {
    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext(
        "/",
        exchange -> {
          byte[] body = "Forbidden\n".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(403, body.length);
          try (OutputStream response = exchange.getResponseBody()) {
            response.write(body);
          }
        });
    http.start();
    try {
      int port = http.getAddress().getPort();
      WebSocketErrorInfo error = ErrorExample.run("ws://127.0.0.1:" + port + "/", out::add);

      assertEquals(403, error.httpStatus());
      assertEquals(
          "Got bad status connecting to 127.0.0.1:"
              + port
              + ", status: 403, HTTP Status line: HTTP/1.1 403 Forbidden",
          error.reason());
      assertEquals(1, error.retries());
      assertEquals(100, error.waitTime(), "the first wait of IX's backoff schedule");
      assertEquals(
          "Error: " + error.reason() + "\n#retries: 1\nWait time(ms): 100\nHTTP Status: 403\n",
          out.get(0));
    } finally {
      http.stop(0);
    }
  }

  @Test
  void errorReportsAPortWhereNobodyListensWithoutHttpStatus() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }

    WebSocketErrorInfo error = ErrorExample.run("ws://127.0.0.1:" + closedPort + "/", out::add);

    assertEquals(0, error.httpStatus());
    assertTrue(
        error.reason().startsWith("Unable to connect to 127.0.0.1 on port " + closedPort),
        error.reason());
    assertEquals(1, error.retries());
  }

  @Test
  void errorReports503WhenTheServerHasItsMaximumOfConnections() throws Exception {
    WebSocketServer full = TestServers.started(new WebSocketServer(0, "127.0.0.1", 5, 1, 3));
    WebSocket first = new WebSocket();
    try {
      first.setUrl("ws://127.0.0.1:" + full.getPort() + "/");
      WebSocketInitResult connected = first.connect(10);
      assertTrue(connected.success(), connected.errorStr());

      WebSocketErrorInfo error =
          ErrorExample.run("ws://127.0.0.1:" + full.getPort() + "/", out::add);

      assertEquals(503, error.httpStatus());
      assertTrue(
          error
              .reason()
              .endsWith("status: 503, HTTP Status line: HTTP/1.1 503 Service Unavailable"),
          error.reason());
    } finally {
      first.stop();
      full.stop();
    }
  }

  @Test
  void configureChangesTheUrlUsedByTheNextStart() throws Exception {
    List<String> uris =
        ConfigureExample.run(server.url("/first"), server.url("/second?x=1"), out::add);

    assertEquals(List.of("/first", "/second?x=1"), uris);
    assertEquals("/first", server.opens().next().openInfo().uri());
    assertEquals("/second?x=1", server.opens().next().openInfo().uri());
  }

  @Test
  void pingPayloadComesBackInThePongAndAServerPingIsReported() throws Exception {
    PingPongExample.Result result = PingPongExample.run(server.url("/ping"), out::add);

    assertTrue(result.sent().success());
    assertEquals(PingPongExample.PING_DATA.length(), result.sent().payloadSize());
    assertFalse(result.tooLong().success());
    assertTrue(result.tooLong().error().contains("125"), result.tooLong().error());
    List<WebSocketMessage> messages = result.pingsAndPongs();
    assertEquals(2, messages.size(), messages.toString());
    assertEquals(WebSocketMessageType.PING, messages.get(0).type());
    assertEquals(ExampleServer.SERVER_PING, messages.get(0).str());
    assertEquals(WebSocketMessageType.PONG, messages.get(1).type());
    assertEquals(PingPongExample.PING_DATA, messages.get(1).str());
    assertTrue(out.contains("pong data: " + PingPongExample.PING_DATA), out::toString);
    assertEquals("/ping", server.opens().next().openInfo().uri());
  }

  @Test
  void extraHeadersAreSentWithTheHandshake() throws Exception {
    WebSocketOpenInfo openInfo = ExtraHeadersExample.run(server.url("/headers"), out::add);

    assertEquals("/headers", openInfo.uri());
    WebSocketMessage seenByServer = server.opens().next();
    assertEquals("bar", seenByServer.openInfo().headers().get("foo"));
  }

  @Test
  void subprotocolAcceptedByTheServerIsInTheOpenInfo() throws Exception {
    String protocol = SubprotocolsExample.run(server.url("/"), out::add);

    assertEquals(ExampleServer.SUBPROTOCOL, protocol);
    assertEquals(List.of("protocol: appProtocol-v2"), out);
    WebSocketOpenInfo seenByServer = server.opens().next().openInfo();
    assertEquals(ExampleServer.SUBPROTOCOL, seenByServer.protocol());
    assertEquals(
        "appProtocol-v1,appProtocol-v2",
        seenByServer.headers().get("Sec-WebSocket-Protocol").replace(" ", ""));
  }

  @Test
  void automaticReconnectionOpensAgainAfterTheServerClosed() throws Exception {
    ReconnectionExample.Result result = ReconnectionExample.run(server.url("/bye"), out::add);

    assertFalse(result.enabledAfterDisable());
    assertEquals(5000, result.maxWait());
    assertEquals(2, result.opens());
    assertEquals(
        new WebSocketCloseInfo(ExampleServer.BYE_CODE, ExampleServer.BYE_REASON, true),
        result.closes().get(0));
    assertEquals("/bye", server.opens().next().openInfo().uri());
    assertEquals("/bye", server.opens().next().openInfo().uri());
  }

  @Test
  void backoffFollowsTheGuidesSchedule() throws Exception {
    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    List<WebSocketErrorInfo> errors =
        ReconnectionExample.backoff("ws://127.0.0.1:" + port + "/", 4, out::add);
    assertEquals(List.of(1, 2, 3, 4), errors.stream().map(WebSocketErrorInfo::retries).toList());
    assertEquals(
        List.of(100L, 200L, 400L, 800L),
        errors.stream().map(WebSocketErrorInfo::waitTime).toList());
    assertEquals("#retries: 1", out.get(0));
    assertEquals("Wait time(ms): 100", out.get(1));
  }
}
