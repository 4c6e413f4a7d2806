package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketCloseInfo;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import dev.ixws.testkit.EventRecorder;
import dev.ixws.testkit.RawWebSocketClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ProxyServerCommandTest {

  private static final Pattern LISTENING = Pattern.compile("Listening on 127\\.0\\.0\\.1:(\\d+)");

  private final List<CommandRun> commands = new ArrayList<>();
  private final List<WebSocket> clients = new ArrayList<>();

  @AfterEach
  void stopEverything() {
    clients.forEach(WebSocket::stop);
    for (CommandRun command : commands) {
      command.interrupt();
      command.awaitExit();
    }
  }

  @Test
  void relaysTextBinaryAndTheRequestTargetToEchoServer() {
    CommandRun echo = start("echo-server", "--port", "0");
    int echoPort = listeningPort(echo);
    CommandRun proxy =
        start("proxy-server", "--port", "0", "--remote-url", "ws://127.0.0.1:" + echoPort);
    int proxyPort = listeningPort(proxy);

    EventRecorder<WebSocketMessage> events = new EventRecorder<>();
    WebSocket client = connect("ws://127.0.0.1:" + proxyPort + "/room/1?user=ana", events);
    assertEquals(WebSocketMessageType.OPEN, events.next().type());
    assertTrue(
        proxy
            .nextOut()
            .matches(
                "Connection \\d+ opened from 127\\.0\\.0\\.1:\\d+, uri /room/1\\?user=ana, to"
                    + " ws://127\\.0\\.0\\.1:"
                    + echoPort
                    + "/room/1\\?user=ana"),
        proxy.out.text());
    // The echo server sees the client's request target.
    assertTrue(echo.nextOut().endsWith(", uri /room/1?user=ana"));

    assertTrue(client.send("grüße über den Proxy").success());
    WebSocketMessage text = events.next();
    assertFalse(text.binary());
    assertEquals("grüße über den Proxy", text.str());
    byte[] bytes = {0, (byte) 0xFF, (byte) 0x80, 7};
    assertTrue(client.sendBinary(bytes).success());
    WebSocketMessage binary = events.next();
    assertTrue(binary.binary());
    assertArrayEquals(bytes, binary.bytes());

    // The client's close code and reason reach the echo server through the proxy.
    client.close(4000, "bye from the client");
    WebSocketMessage closed = events.next();
    assertEquals(4000, closed.closeInfo().code());
    assertTrue(
        echo.out
            .nextStartingWith("Connection ")
            .matches("Connection \\d+ closed: code 4000 reason \"bye from the client\""),
        echo.out.text());
    assertTrue(
        proxy
            .nextOut()
            .matches("Connection \\d+ closed: code 4000 reason \"bye from the client\""));
    assertTrue(
        proxy
            .nextOut()
            .matches(
                "Connection \\d+ remote connection closed: code 4000 reason \"bye from the"
                    + " client\""));
  }

  @Test
  void theRemoteServersCloseCodeAndReasonReachTheClient() {
    CommandRun echo =
        start("echo-server", "--port", "0", "-q", "--http-authorization-header", "secret");
    int echoPort = listeningPort(echo);
    CommandRun proxy =
        start("proxy-server", "--port", "0", "-q", "--remote-url", "ws://127.0.0.1:" + echoPort);
    int proxyPort = listeningPort(proxy);

    // The client's Authorization header is not passed on: the echo server closes with 4001.
    EventRecorder<WebSocketMessage> events = new EventRecorder<>();
    WebSocket client = new WebSocket();
    client.setExtraHeaders(Map.of("Authorization", "secret"));
    connect(client, "ws://127.0.0.1:" + proxyPort + "/", events);
    assertEquals(WebSocketMessageType.OPEN, events.next().type());
    WebSocketCloseInfo closed = events.next().closeInfo();
    assertEquals(4001, closed.code());
    assertEquals("Permission denied", closed.reason());
    assertTrue(closed.remote());
  }

  @Test
  void forwardHeaderPassesTheNamedClientHeadersOn() {
    CommandRun echo =
        start("echo-server", "--port", "0", "-q", "--http-authorization-header", "secret");
    int echoPort = listeningPort(echo);
    CommandRun proxy =
        start(
            "proxy-server",
            "--port",
            "0",
            "-q",
            "--forward-header",
            "Authorization",
            "--remote-url",
            "ws://127.0.0.1:" + echoPort);
    int proxyPort = listeningPort(proxy);

    EventRecorder<WebSocketMessage> events = new EventRecorder<>();
    WebSocket client = new WebSocket();
    client.setExtraHeaders(Map.of("Authorization", "secret"));
    connect(client, "ws://127.0.0.1:" + proxyPort + "/", events);
    assertEquals(WebSocketMessageType.OPEN, events.next().type());
    assertEquals("Authorization succeeded!", events.next().str());
    assertTrue(client.send("authorized").success());
    assertEquals("authorized", events.next().str());
  }

  @Test
  void anUnreachableRemoteServerClosesTheClientWith1014() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    CommandRun proxy =
        start("proxy-server", "--port", "0", "-q", "--remote-url", "ws://127.0.0.1:" + closedPort);
    int proxyPort = listeningPort(proxy);

    EventRecorder<WebSocketMessage> events = new EventRecorder<>();
    connect("ws://127.0.0.1:" + proxyPort + "/x", events);
    assertEquals(WebSocketMessageType.OPEN, events.next().type());
    WebSocketCloseInfo closed = events.next().closeInfo();
    assertEquals(ProxyServerCommand.BAD_GATEWAY_CODE, closed.code());
    assertTrue(closed.reason().startsWith("cannot reach the remote server: "), closed.reason());
    assertTrue(
        proxy.err.next().contains(": remote server ws://127.0.0.1:" + closedPort + "/x: "),
        proxy.err.text());
  }

  @Test
  void aClientThatLeavesBeforeTheRemoteAnswersCancelsTheRemoteConnection() throws IOException {
    // A remote that accepts the TCP connection and never answers the handshake.
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      CommandRun proxy =
          start(
              "proxy-server",
              "--port",
              "0",
              "-q",
              "--remote-url",
              "ws://127.0.0.1:" + silent.getLocalPort());
      int proxyPort = listeningPort(proxy);
      EventRecorder<WebSocketMessage> events = new EventRecorder<>();
      WebSocket client = connect("ws://127.0.0.1:" + proxyPort + "/early", events);
      assertEquals(WebSocketMessageType.OPEN, events.next().type());
      assertTrue(client.send("held while the remote connects").success());
      try (Socket remoteSide = silent.accept()) {
        client.close(4003, "leaving early");
        assertEquals(4003, events.next().closeInfo().code());
        // The proxy gives the attempt up: the silent remote sees its connection end.
        remoteSide.setSoTimeout(10_000);
        InputStream fromProxy = remoteSide.getInputStream();
        byte[] sink = new byte[4096];
        int n;
        while ((n = fromProxy.read(sink)) > 0) {
          assertTrue(n > 0); // the handshake request
        }
        assertEquals(-1, n);
      }
    }
  }

  @Test
  void theConfigFileMapsTheHostHeaderToAnotherRemote(@TempDir Path dir) throws IOException {
    CommandRun echo = start("echo-server", "--port", "0", "-q");
    int echoPort = listeningPort(echo);
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Path config = dir.resolve("proxy.conf");
    Files.writeString(
        config,
        "# host=url\n\n"
            + "echo.example=ws://127.0.0.1:"
            + echoPort
            + "\n127.0.0.1 = ws://127.0.0.1:"
            + echoPort
            + "/\n");
    CommandRun proxy =
        start(
            "proxy-server",
            "--port",
            "0",
            "--remote-url",
            "ws://127.0.0.1:" + closedPort,
            "--config_path",
            config.toString());
    int proxyPort = listeningPort(proxy);

    // The client's Host is 127.0.0.1:PORT: mapped by its name without the port.
    EventRecorder<WebSocketMessage> events = new EventRecorder<>();
    WebSocket client = connect("ws://127.0.0.1:" + proxyPort + "/mapped", events);
    assertEquals(WebSocketMessageType.OPEN, events.next().type());
    assertTrue(
        proxy.nextOut().endsWith(", to ws://127.0.0.1:" + echoPort + "/mapped"), proxy.out.text());
    assertTrue(client.send("through the mapping").success());
    assertEquals("through the mapping", events.next().str());
    client.stop();
    assertEquals(1000, events.next().closeInfo().code());
    proxy.out.skipRemaining();
  }

  @Test
  void inFrontOfNodeWsPingsMessagesAndClosesAreRelayedBothWays() {
    String script =
        String.join(
            "\n",
            "const { WebSocketServer } = require('ws');",
            "const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });",
            "wss.on('listening', () => console.log(wss.address().port));",
            "wss.on('connection', (ws, req) => {",
            "  ws.send('hello ' + req.url);",
            "  ws.on('ping', (data) => ws.send('node got ping ' + data.toString('utf8')));",
            "  ws.on('pong', (data) => ws.send('node got pong ' + data.toString('utf8')));",
            "  ws.on('message', (data, isBinary) => {",
            "    const text = data.toString('utf8');",
            "    if (!isBinary && text === 'ping me') { ws.ping('from node'); return; }",
            "    if (!isBinary && text === 'close me') { ws.close(4002, 'node says bye'); return; }",
            "    ws.send(data, { binary: isBinary });",
            "  });",
            "});");
    try (NodePeer peer = NodePeer.start(script)) {
      CommandRun proxy =
          start(
              "proxy-server",
              "--port",
              "0",
              "-q",
              "--remote_host",
              "ws://127.0.0.1:" + peer.port());
      int proxyPort = listeningPort(proxy);

      EventRecorder<WebSocketMessage> events = new EventRecorder<>();
      WebSocket client = connect("ws://127.0.0.1:" + proxyPort + "/node?x=1", events);
      assertEquals(WebSocketMessageType.OPEN, events.next().type());
      assertEquals("hello /node?x=1", events.next().str());

      byte[] bytes = new byte[100_000];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) (i * 31);
      }
      assertTrue(client.sendBinary(bytes).success());
      WebSocketMessage binary = events.next();
      assertTrue(binary.binary());
      assertArrayEquals(bytes, binary.bytes());

      // Our ping: the proxy answers it (a pong) and forwards it, so node sees it too.
      assertTrue(client.ping("are you there").success());
      List<WebSocketMessage> two = List.of(events.next(), events.next());
      assertTrue(
          two.stream()
              .anyMatch(
                  m -> m.type() == WebSocketMessageType.PONG && m.str().equals("are you there")),
          two.toString());
      assertTrue(
          two.stream()
              .anyMatch(
                  m ->
                      m.type() == WebSocketMessageType.MESSAGE
                          && m.str().equals("node got ping are you there")),
          two.toString());

      // Node's ping reaches us; our automatic pong goes to the proxy, which answered node itself.
      assertTrue(client.send("ping me").success());
      WebSocketMessage ping = events.next();
      assertEquals(WebSocketMessageType.PING, ping.type());
      assertEquals("from node", ping.str());
      assertEquals("node got pong from node", events.next().str());

      assertTrue(client.send("close me").success());
      WebSocketCloseInfo closed = events.next().closeInfo();
      assertEquals(4002, closed.code());
      assertEquals("node says bye", closed.reason());
    }
  }

  @Test
  void aClientThatStopsReadingIsClosedWith1008AndTheRemoteWith1013() throws Exception {
    long limit = 256 * 1024;
    CommandRun push = start("push-server", "--port", "0", "-q", "--send-msg", "x".repeat(1000));
    int pushPort = listeningPort(push);
    CommandRun proxy =
        start(
            "proxy-server",
            "--port",
            "0",
            "--max-queued-bytes",
            "" + limit,
            "--remote-url",
            "ws://127.0.0.1:" + pushPort);
    int proxyPort = listeningPort(proxy);

    // Asks for 100 MB and never reads: the kernel buffers fill, then the proxy's queue for it.
    try (RawWebSocketClient stalled = RawWebSocketClient.open(proxyPort, "/100000")) {
      String opened = proxy.nextOut();
      assertTrue(opened.contains(", uri /100000, to "), opened);
      String id = opened.split(" ")[1];
      String slow = proxy.out.nextStartingWith("Connection " + id + ": the client is too slow");
      Matcher matcher =
          Pattern.compile(
                  "Connection \\d+: the client is too slow: (\\d+) bytes not yet sent, limit "
                      + limit
                      + "; closing both")
              .matcher(slow);
      assertTrue(matcher.matches(), slow);
      // It was closed before its queue passed the limit: the proxy held at most that.
      assertTrue(Long.parseLong(matcher.group(1)) <= limit, slow);
      // The remote side is closed with 1013, which stops the push.
      String remoteClosed =
          proxy.out.nextStartingWith("Connection " + id + " remote connection closed: ");
      assertTrue(remoteClosed.contains(": code 1013 reason "), remoteClosed);
      // The stalled client's closing handshake cannot finish (it does not read): it is dropped.
      assertTrue(stalled.awaitPeerClose(Duration.ofSeconds(15)), "the stalled client was kept");
      // The last line: the client's side closed (it may come after the remote's).
      String clientClosed = proxy.out.nextStartingWith("Connection " + id + " closed: ");
      assertTrue(clientClosed.contains("code 1008"), clientClosed);
    }
    proxy.out.skipRemaining();
  }

  @Test
  void aRemoteThatStopsReadingIsClosedWith1008AndTheClientWith1013() throws Exception {
    long limit = 256 * 1024;
    // A remote that completes the handshake and then never reads.
    try (ServerSocket stalled = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      CommandRun proxy =
          start(
              "proxy-server",
              "--port",
              "0",
              "--max-queued-bytes",
              "" + limit,
              "--remote-url",
              "ws://127.0.0.1:" + stalled.getLocalPort());
      int proxyPort = listeningPort(proxy);
      EventRecorder<WebSocketMessage> events = new EventRecorder<>();
      WebSocket client = connect("ws://127.0.0.1:" + proxyPort + "/upload", events);
      assertEquals(WebSocketMessageType.OPEN, events.next().type());
      String id = proxy.nextOut().split(" ")[1];
      try (Socket remoteSide = stalled.accept()) {
        answerHandshake(remoteSide);
        // Far more than the socket buffers and the limit, at the pace the client's own socket
        // takes it: the proxy's queue towards the remote is what fills.
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < 2000; i++) {
          if (!client.sendBinary(chunk).success()) {
            break;
          }
          while (client.getBufferedAmount() > 1024 * 1024) {
            Thread.onSpinWait();
          }
        }
        WebSocketCloseInfo closed = events.next().closeInfo();
        assertEquals(ProxyServerCommand.PEER_TOO_SLOW_CODE, closed.code());
        Matcher matcher =
            Pattern.compile("peer too slow: (\\d+) bytes not yet sent, limit " + limit)
                .matcher(closed.reason());
        assertTrue(matcher.matches(), closed.reason());
        assertTrue(Long.parseLong(matcher.group(1)) <= limit, closed.reason());
        String slow = proxy.out.nextStartingWith("Connection " + id + ": the remote server is too");
        assertTrue(slow.endsWith("limit " + limit + "; closing both"), slow);
        // The last line: the remote side closed (the stalled remote is dropped).
        String remoteClosed =
            proxy.out.nextStartingWith("Connection " + id + " remote connection closed: ");
        assertTrue(remoteClosed.contains("code 1008"), remoteClosed);
      }
      proxy.out.skipRemaining();
    }
  }

  /** Reads a WebSocket handshake request from {@code socket} and accepts it. */
  private static void answerHandshake(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder request = new StringBuilder();
    while (!request.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the proxy hung up during the handshake");
      }
      request.append((char) b);
    }
    Matcher key =
        Pattern.compile("Sec-WebSocket-Key: *(\\S+)", Pattern.CASE_INSENSITIVE).matcher(request);
    assertTrue(key.find(), request.toString());
    socket
        .getOutputStream()
        .write(
            ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: "
                    + RawWebSocketClient.acceptFor(key.group(1))
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void withoutARemoteUrlOrConfigItIsAUsageError() {
    CommandRun run = CommandRun.runToEnd("proxy-server", "--port", "0");
    assertEquals(Ixws.EXIT_USAGE, run.awaitExit());
    assertEquals("Error: give --remote-url URL, --config FILE or both", run.err.next());
    run.err.assertNoMoreLines();
  }

  @Test
  void aBadRemoteUrlIsAUsageError() {
    CommandRun run =
        CommandRun.runToEnd("proxy-server", "--port", "0", "--remote-url", "http://h/");
    assertEquals(Ixws.EXIT_USAGE, run.awaitExit());
    assertEquals("Error: --remote-url http://h/: not a ws:// or wss:// URL", run.err.next());
    run.err.assertNoMoreLines();
  }

  @Test
  void aMissingConfigFileFailsWithOneLine(@TempDir Path dir) {
    Path missing = dir.resolve("nope.conf");
    CommandRun run =
        CommandRun.runToEnd("proxy-server", "--port", "0", "--config", missing.toString());
    assertEquals(Ixws.EXIT_FAILURE, run.awaitExit());
    assertEquals(
        "Error: cannot read the config file " + missing + ": no such file", run.err.next());
    run.err.assertNoMoreLines();
  }

  @Test
  void aPortInUseFailsWithOneLine() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      CommandRun run =
          CommandRun.runToEnd(
              "proxy-server",
              "--port",
              "" + taken.getLocalPort(),
              "--remote-url",
              "ws://127.0.0.1:1");
      assertEquals(Ixws.EXIT_FAILURE, run.awaitExit());
      assertTrue(run.err.next().startsWith("Error: "));
      run.err.assertNoMoreLines();
    }
  }

  @Test
  void configLinesAreHostEqualsUrl() {
    assertEquals(
        Map.of("echo.example", "ws://127.0.0.1:1", "b.example:8008", "wss://b/"),
        ProxyServerCommand.parseConfig(
            List.of(
                "# comment", "", " Echo.Example = ws://127.0.0.1:1 ", "b.example:8008=wss://b/")));
    IllegalArgumentException noEquals =
        assertThrows(
            IllegalArgumentException.class,
            () -> ProxyServerCommand.parseConfig(List.of("a=ws://a", "just a host")));
    assertEquals("line 2: expected HOST=URL: just a host", noEquals.getMessage());
    IllegalArgumentException badUrl =
        assertThrows(
            IllegalArgumentException.class,
            () -> ProxyServerCommand.parseConfig(List.of("a=http://a")));
    assertEquals("line 1: http://a: not a ws:// or wss:// URL", badUrl.getMessage());
  }

  @Test
  void theRequestTargetIsAppendedToTheRemoteUrl() {
    assertEquals("ws://h:1/a?b=c", ProxyServerCommand.join("ws://h:1", "/a?b=c"));
    assertEquals("ws://h:1/", ProxyServerCommand.join("ws://h:1/", "/"));
    assertEquals("ws://h:1/base/a", ProxyServerCommand.join("ws://h:1/base/", "/a"));
    ProxyServerCommand.Routes routes =
        new ProxyServerCommand.Routes(
            "ws://default", Map.of("a.example", "ws://a", "b.example:81", "ws://b"));
    assertEquals("ws://a/x", routes.remoteFor("A.example:8008", "/x"));
    assertEquals("ws://b/x", routes.remoteFor("b.example:81", "/x"));
    assertEquals("ws://default/x", routes.remoteFor("b.example:82", "/x"));
    assertEquals("ws://default/x", routes.remoteFor(null, "/x"));
    assertNull(new ProxyServerCommand.Routes(null, Map.of()).remoteFor("h", "/"));
  }

  @Test
  void closesThatCannotBeSentAsTheyAreAreMapped() {
    WebSocketCloseInfo same =
        ProxyServerCommand.relayedClose(new WebSocketCloseInfo(4000, "x", true), 1014, "gone");
    assertEquals(new WebSocketCloseInfo(4000, "x", true), same);
    WebSocketCloseInfo noStatus =
        ProxyServerCommand.relayedClose(
            new WebSocketCloseInfo(1005, "No status code", true), 1014, "gone");
    assertEquals(1000, noStatus.code());
    assertEquals("", noStatus.reason());
    WebSocketCloseInfo lost =
        ProxyServerCommand.relayedClose(
            new WebSocketCloseInfo(1006, "Abnormal closure", true), 1014, "remote server gone");
    assertEquals(1014, lost.code());
    assertEquals("remote server gone: Abnormal closure", lost.reason());
    String longReason = "é".repeat(100);
    assertEquals(
        ProxyServerCommand.MAX_CLOSE_REASON_BYTES - 1,
        ProxyServerCommand.truncate(longReason).getBytes(StandardCharsets.UTF_8).length);
  }

  private CommandRun start(String... args) {
    CommandRun run = CommandRun.start(args);
    commands.add(run);
    return run;
  }

  private WebSocket connect(String url, EventRecorder<WebSocketMessage> events) {
    return connect(new WebSocket(), url, events);
  }

  private WebSocket connect(WebSocket client, String url, EventRecorder<WebSocketMessage> events) {
    client.setUrl(url);
    client.disableAutomaticReconnection();
    client.setOnMessageCallback(events::accept);
    client.start();
    clients.add(client);
    return client;
  }

  private static int listeningPort(CommandRun run) {
    String line = run.nextOut();
    Matcher matcher = LISTENING.matcher(line);
    assertTrue(matcher.matches(), "first line: " + line);
    return Integer.parseInt(matcher.group(1));
  }
}
