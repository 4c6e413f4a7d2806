package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import dev.ixws.server.WebSocketServer;
import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.EventRecorder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ConnectCommandTest {

  private WebSocketServer server;
  private CommandRun command;
  private final EventRecorder<WebSocketMessage> serverEvents = new EventRecorder<>();

  @AfterEach
  void stopEverything() {
    if (command != null) {
      command.closeStdin();
      command.awaitExit();
    }
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void typedLinesReachTheServerAndEndOfInputClosesWith1000() {
    startServer(
        (webSocket, msg) -> {
          if (msg.type() == WebSocketMessageType.OPEN) {
            webSocket.send("welcome");
            webSocket.sendBinary(new byte[] {1, 2, 3});
          }
        },
        "chat");
    command =
        CommandRun.start(
            "connect",
            "-H",
            "X-Token: abc 123",
            "--header=X-Other:two",
            "--subprotocol",
            "chat",
            url("/room?id=1"));

    assertEquals("Connected to " + url("/room?id=1") + " (protocol: chat)", command.nextOut());
    WebSocketMessage open = serverEvents.next();
    assertEquals(WebSocketMessageType.OPEN, open.type());
    assertEquals("/room?id=1", open.openInfo().uri());
    assertEquals("abc 123", open.openInfo().headers().get("X-Token"));
    assertEquals("two", open.openInfo().headers().get("x-other"));
    assertEquals("welcome", command.nextOut());
    assertEquals("[binary 3 bytes]", command.nextOut());

    command.type("hello");
    command.type("grüße, second line");
    assertEquals("hello", serverEvents.next().str());
    WebSocketMessage second = serverEvents.next();
    assertFalse(second.binary());
    assertEquals("grüße, second line", second.str());

    command.closeStdin();
    assertEquals(Ixws.EXIT_OK, command.awaitExit());
    assertEquals("Connection closed: code 1000 reason \"Normal closure\"", command.nextOut());
    WebSocketMessage close = serverEvents.next();
    assertEquals(WebSocketMessageType.CLOSE, close.type());
    assertEquals(1000, close.closeInfo().code());
    assertTrue(close.closeInfo().remote());
    command.err.assertNoMoreLines();
  }

  @Test
  void serverClosingTheConnectionEndsTheCommandWithExitCode1WithoutReconnection() {
    startServer(
        (webSocket, msg) -> {
          if (msg.type() == WebSocketMessageType.MESSAGE && msg.str().equals("bye")) {
            webSocket.close(4000, "server says bye");
          }
        });
    command = CommandRun.start("connect", "-d", url("/"));
    assertEquals("Connected to " + url("/"), command.nextOut());

    command.type("bye");

    // Stdin stays open: the close alone ends the command.
    assertEquals(Ixws.EXIT_FAILURE, command.awaitExit());
    assertEquals("Connection closed: code 4000 reason \"server says bye\"", command.nextOut());
    assertEquals(WebSocketMessageType.OPEN, serverEvents.next().type());
    assertEquals("bye", serverEvents.next().str());
    assertServerClosed(serverEvents.next(), 4000, "server says bye");
    // Exited without reconnecting: no second connection reached the server.
    serverEvents.assertNoMoreEvents(Duration.ofMillis(300));
  }

  @Test
  void reconnectsAfterTheServerClosesAndPrintsTheRetrySchedule() {
    startServer(
        (webSocket, msg) -> {
          if (msg.type() == WebSocketMessageType.MESSAGE && msg.str().equals("bye")) {
            webSocket.close(4000, "server says bye");
          }
        });
    command = CommandRun.start("connect", url("/"));
    assertEquals("Connected to " + url("/"), command.nextOut());
    command.type("bye");
    assertEquals("Connection closed: code 4000 reason \"server says bye\"", command.nextOut());
    // Reconnected at once, as IX's ws connect does.
    assertEquals("Connected to " + url("/"), command.nextOut());

    // With the server gone, each failed attempt prints the schedule.
    server.stop();
    assertEquals("Connection closed: code 1001 reason \"Going away\"", command.nextOut());
    assertTrue(command.err.next().startsWith("Error: Unable to connect to 127.0.0.1"));
    assertEquals("#retries: 1", command.err.next());
    assertEquals("Wait time(ms): 100", command.err.next());
    assertTrue(command.err.next().startsWith("Error: Unable to connect to 127.0.0.1"));
    assertEquals("#retries: 2", command.err.next());
    assertEquals("Wait time(ms): 200", command.err.next());
    command.closeStdin();
    assertEquals(Ixws.EXIT_OK, command.awaitExit());

    assertEquals(WebSocketMessageType.OPEN, serverEvents.next().type());
    assertEquals("bye", serverEvents.next().str());
    // The first connection's close and the second one's open are on different channels: either
    // may reach the recorder first.
    WebSocketMessage a = serverEvents.next();
    WebSocketMessage b = serverEvents.next();
    WebSocketMessage firstClose = a.type() == WebSocketMessageType.CLOSE ? a : b;
    WebSocketMessage secondOpen = a.type() == WebSocketMessageType.CLOSE ? b : a;
    assertServerClosed(firstClose, 4000, "server says bye");
    assertEquals(WebSocketMessageType.OPEN, secondOpen.type());
    assertServerClosed(serverEvents.next(), 1001, "Going away");
  }

  @Test
  void headerValueMayHoldColonsBinaryModeSendsBytesAndGunzipInflatesReceivedMessages() {
    byte[] gzipped = Gzip.compress("hello, inflated".getBytes(StandardCharsets.UTF_8));
    startServer(
        (webSocket, msg) -> {
          if (msg.type() == WebSocketMessageType.OPEN) {
            webSocket.sendBinary(gzipped);
            webSocket.send("not gzip");
          }
        });
    command =
        CommandRun.start(
            "connect", "-b", "-g", "-H", "X-Url: http://h:1/p", "--ping_interval", "0", url("/"));

    assertEquals("Connected to " + url("/"), command.nextOut());
    WebSocketMessage open = serverEvents.next();
    assertEquals("http://h:1/p", open.openInfo().headers().get("X-Url"));
    assertEquals("hello, inflated", command.nextOut());
    assertEquals("Error decompressing: Not in GZIP format", command.err.next());
    assertEquals("not gzip", command.nextOut());

    command.type("grüße");
    WebSocketMessage sent = serverEvents.next();
    assertTrue(sent.binary());
    assertArrayEquals("grüße".getBytes(StandardCharsets.UTF_8), sent.bytes());

    command.closeStdin();
    assertEquals(Ixws.EXIT_OK, command.awaitExit());
    assertEquals("Connection closed: code 1000 reason \"Normal closure\"", command.nextOut());
    assertEquals(1000, serverEvents.next().closeInfo().code());
  }

  @Test
  void stopStartAndCloseLinesControlTheConnectionWithoutEndingTheCommand() {
    startServer((webSocket, msg) -> {});
    // -d: a close the user asked for must not end the command even without reconnection.
    command = CommandRun.start("connect", "-d", url("/"));
    assertEquals("Connected to " + url("/"), command.nextOut());
    assertEquals(WebSocketMessageType.OPEN, serverEvents.next().type());

    command.type("/stop");
    assertEquals("Stopping connection...", command.nextOut());
    assertEquals("Connection closed: code 1000 reason \"Normal closure\"", command.nextOut());
    assertEquals(1000, serverEvents.next().closeInfo().code());

    command.type("/start");
    assertEquals("Starting connection...", command.nextOut());
    assertEquals("Connected to " + url("/"), command.nextOut());
    assertEquals(WebSocketMessageType.OPEN, serverEvents.next().type());
    command.type("/startled is a message");
    assertEquals("/startled is a message", serverEvents.next().str());

    command.type("/close");
    assertEquals("Closing connection...", command.nextOut());
    assertEquals("Connection closed: code 1000 reason \"Normal closure\"", command.nextOut());
    assertEquals(1000, serverEvents.next().closeInfo().code());
    serverEvents.assertNoMoreEvents(Duration.ofMillis(300));

    command.closeStdin();
    assertEquals(Ixws.EXIT_OK, command.awaitExit());
    command.out.assertNoMoreLines();
    command.err.assertNoMoreLines();
  }

  @Test
  void maxWaitCapsTheReconnectionSchedule() {
    WebSocketServer closed = new WebSocketServer(0);
    assertTrue(closed.listen().ok());
    int port = closed.getPort();
    closed.stop();

    command = CommandRun.start("connect", "--max_wait", "150", "ws://127.0.0.1:" + port + "/");

    assertTrue(command.err.next().startsWith("Error: Unable to connect to 127.0.0.1"));
    assertEquals("#retries: 1", command.err.next());
    assertEquals("Wait time(ms): 100", command.err.next());
    assertTrue(command.err.next().startsWith("Error: Unable to connect to 127.0.0.1"));
    assertEquals("#retries: 2", command.err.next());
    assertEquals("Wait time(ms): 150", command.err.next());
    assertTrue(command.err.next().startsWith("Error: Unable to connect to 127.0.0.1"));
    assertEquals("#retries: 3", command.err.next());
    assertEquals("Wait time(ms): 150", command.err.next());
    // Never connected, so stdin is not read yet: Ctrl-C ends it.
    command.interrupt();
    assertEquals(Ixws.EXIT_INTERRUPTED, command.awaitExit());
    command.err.skipRemaining();
  }

  @Test
  void nodeWsSeesTheHeaderSubprotocolAndBinaryLines() {
    String script =
        String.join(
            "\n",
            "const { WebSocketServer } = require('ws');",
            "const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });",
            "wss.on('listening', () => console.log(wss.address().port));",
            "wss.on('connection', (ws, req) => {",
            "  ws.send('header ' + req.headers['x-url'] + ' protocol ' + ws.protocol);",
            "  ws.on('message', (data, isBinary) =>",
            "    ws.send((isBinary ? 'binary ' : 'text ') + data.toString('utf8')));",
            "});");
    try (NodePeer peer = NodePeer.start(script)) {
      String url = "ws://127.0.0.1:" + peer.port() + "/";
      command =
          CommandRun.start(
              "connect", "-d", "-b", "-H", "X-Url: http://h:1/p", "--subprotocol", "chat", url);
      assertEquals("Connected to " + url + " (protocol: chat)", command.nextOut());
      assertEquals("header http://h:1/p protocol chat", command.nextOut());
      command.type("grüße");
      assertEquals("binary grüße", command.nextOut());
      command.closeStdin();
      assertEquals(Ixws.EXIT_OK, command.awaitExit());
      assertEquals("Connection closed: code 1000 reason \"Normal closure\"", command.nextOut());
      command.err.assertNoMoreLines();
      command = null;
    }
  }

  @Test
  void deflateIsOfferedByDefaultAndDashXLeavesItOut() {
    startServer((webSocket, msg) -> {});
    for (boolean withX : new boolean[] {false, true}) {
      command =
          withX
              ? CommandRun.start("connect", "-d", "-x", url("/"))
              : CommandRun.start("connect", "-d", url("/"));
      assertEquals("Connected to " + url("/"), command.nextOut());
      WebSocketMessage open = serverEvents.next();
      assertEquals(WebSocketMessageType.OPEN, open.type(), open::toString);
      String offer = open.openInfo().headers().get("Sec-WebSocket-Extensions");
      if (withX) {
        assertEquals(null, offer, "-x offers nothing");
      } else {
        assertTrue(offer != null && offer.startsWith("permessage-deflate"), offer);
      }
      assertEquals(!withX, open.openInfo().perMessageDeflate().enabled());
      command.closeStdin();
      assertEquals(Ixws.EXIT_OK, command.awaitExit());
      command.nextOut(); // Connection closed: ...
      assertEquals(WebSocketMessageType.CLOSE, serverEvents.next().type());
    }
  }

  @Test
  void invalidUrlIsAUsageErrorWithTheReason() {
    command = CommandRun.runToEnd("connect", "http://127.0.0.1:1/");

    assertEquals(Ixws.EXIT_USAGE, command.awaitExit());
    assertEquals(
        "Error: Invalid WebSocket URL 'http://127.0.0.1:1/': the scheme must be ws:// or wss://",
        command.err.next());
    command.out.assertNoMoreLines();
  }

  @Test
  void headerWithoutColonIsAUsageError() {
    command = CommandRun.runToEnd("connect", "-H", "X-Token abc", "ws://127.0.0.1:1/");

    assertEquals(Ixws.EXIT_USAGE, command.awaitExit());
    assertEquals("Error: invalid header 'X-Token abc': expected 'Name: value'", command.err.next());
  }

  @Test
  void closedPortFailsWithTheConnectErrorWithoutReconnection() {
    WebSocketServer closed = new WebSocketServer(0);
    assertTrue(closed.listen().ok());
    int port = closed.getPort();
    closed.stop();

    command = CommandRun.start("connect", "-d", "ws://127.0.0.1:" + port + "/");

    assertEquals(Ixws.EXIT_FAILURE, command.awaitExit());
    String error = command.err.next();
    assertTrue(error.startsWith("Error: Unable to connect to 127.0.0.1 on port " + port), error);
    command.out.assertNoMoreLines();
  }

  @Test
  void refusedHandshakePrintsTheHttpStatus() {
    // One connection allowed and taken: the command's handshake is answered with 503.
    server = TestServers.started(new WebSocketServer(0, "127.0.0.1", 5, 1, 3));
    EventRecorder<WebSocketMessage> occupantEvents = new EventRecorder<>();
    WebSocket occupant = new WebSocket();
    occupant.setUrl(url("/"));
    occupant.setOnMessageCallback(occupantEvents::accept);
    occupant.start();
    assertEquals(WebSocketMessageType.OPEN, occupantEvents.next().type());
    try {
      command = CommandRun.start("connect", "-d", url("/"));

      assertEquals(Ixws.EXIT_FAILURE, command.awaitExit());
      String error = command.err.next();
      assertTrue(error.startsWith("Error: ") && error.endsWith(" (http status 503)"), error);
    } finally {
      occupant.stop();
    }
    WebSocketMessage close = occupantEvents.next();
    assertEquals(WebSocketMessageType.CLOSE, close.type());
    assertEquals(1000, close.closeInfo().code());
    assertFalse(close.closeInfo().remote());
  }

  /** {@code event} is the CLOSE of a connection the server itself closed with this code. */
  private static void assertServerClosed(WebSocketMessage event, int code, String reason) {
    assertEquals(WebSocketMessageType.CLOSE, event.type(), event.toString());
    assertEquals(code, event.closeInfo().code());
    assertEquals(reason, event.closeInfo().reason());
    assertFalse(event.closeInfo().remote());
  }

  private void startServer(TestServers.Handler behaviour, String... subprotocols) {
    server =
        TestServers.serving(TestServers.recording(serverEvents::accept, behaviour))
            .subprotocols(subprotocols)
            .start();
  }

  private String url(String target) {
    return "ws://127.0.0.1:" + server.getPort() + target;
  }
}
