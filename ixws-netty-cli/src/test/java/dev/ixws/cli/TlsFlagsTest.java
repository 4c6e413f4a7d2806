package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.ListenResult;
import dev.ixws.SocketTLSOptions;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import dev.ixws.server.WebSocketServer;
import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.EventRecorder;
import dev.ixws.testkit.TestCertificates;
import dev.ixws.testkit.TestCertificates.Authority;
import dev.ixws.testkit.TestCertificates.Issued;
import dev.ixws.testkit.TestCertificates.KeyFormat;
import dev.ixws.testkit.TestCertificates.KeyType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * IX's TLS flags on the network commands: {@code echo-server}, {@code connect}, {@code bench}, a
 * server command ({@code broadcast-server}) and a client command ({@code ping}) over wss, and
 * {@code curl} over https against Python's {@code http.server} wrapped in {@code ssl}.
 */
@Timeout(30)
class TlsFlagsTest {

  private static final Pattern LISTENING = Pattern.compile("Listening on 127\\.0\\.0\\.1:(\\d+)");

  private static Authority ca;
  private static Issued serverCert;

  @TempDir Path dir;

  private CommandRun command;
  private WebSocketServer server;
  private WebSocket client;

  @BeforeAll
  static void makeCertificates() {
    ca = TestCertificates.authority("CLI CA", KeyType.EC);
    serverCert = ca.server(KeyType.EC, "localhost", "127.0.0.1");
  }

  @AfterEach
  void stopEverything() {
    if (client != null) {
      client.stop();
    }
    if (command != null) {
      command.closeStdin();
      command.interrupt();
      command.awaitExit();
    }
    if (server != null) {
      server.stop();
    }
  }

  private String certFile() {
    return serverCert.writeChain(dir, "server.pem").toString();
  }

  private String keyFile() {
    return serverCert.writeKey(dir, "server.key", KeyFormat.TRADITIONAL).toString();
  }

  private String caFile() {
    return ca.writeCertificate(dir, "ca.pem").toString();
  }

  @Test
  void echoServerSpeaksTlsWithCertAndKeyFiles() {
    command =
        CommandRun.start(
            "echo-server",
            "--port",
            "0",
            "--quiet",
            "--tls",
            "--cert-file",
            certFile(),
            "--key-file",
            keyFile());
    String line = command.out.next();
    Matcher matcher = LISTENING.matcher(line);
    assertTrue(matcher.matches(), line);
    EventRecorder<WebSocketMessage> events = new EventRecorder<>();
    client = new WebSocket();
    client.setUrl("wss://localhost:" + matcher.group(1) + "/");
    client.setTLSOptions(SocketTLSOptions.builder().caFile(caFile()).build());
    client.setOnMessageCallback(events::accept);
    client.start();
    assertEquals(WebSocketMessageType.OPEN, events.next().type());
    client.send("over tls");
    assertEquals("over tls", events.next().str());
    client.stop();
    assertEquals(WebSocketMessageType.CLOSE, events.next().type());
  }

  @Test
  void echoServerWithTlsButNoCertificateFailsToListen() {
    CommandRun failed = CommandRun.runToEnd("echo-server", "--port", "0", "--tls");
    assertEquals(Ixws.EXIT_FAILURE, failed.awaitExit());
    assertEquals(
        "Error: Invalid TLS options: a TLS server needs a certificate and its key: set certFile"
            + " and keyFile",
        failed.err.next());
  }

  private int startTlsServer() {
    server = new WebSocketServer(0);
    server.setTLSOptions(
        SocketTLSOptions.builder().tls(true).certFile(certFile()).keyFile(keyFile()).build());
    server.setOnConnectionCallback(TestServers.echoing(msg -> {}));
    ListenResult listen = server.listen();
    assertTrue(listen.ok(), listen.errorMessage());
    server.start();
    return server.getPort();
  }

  @Test
  void connectTrustsTheCaFileAndEchoes() {
    int port = startTlsServer();
    String url = "wss://localhost:" + port + "/";
    command = CommandRun.start("connect", "-d", "--ca-file", caFile(), url);
    assertEquals("Connected to " + url, command.nextOut());
    command.type("hello");
    assertEquals("hello", command.nextOut());
    command.closeStdin();
    assertEquals(Ixws.EXIT_OK, command.awaitExit());
    assertEquals("Connection closed: code 1000 reason \"Normal closure\"", command.nextOut());
    command = null;
  }

  @Test
  void connectRefusesAnUntrustedServerUnlessVerifyNone() {
    int port = startTlsServer();
    String url = "wss://127.0.0.1:" + port + "/";
    CommandRun refused = CommandRun.start("connect", "-d", url);
    assertEquals(Ixws.EXIT_FAILURE, refused.awaitExit());
    String error = refused.err.next();
    assertTrue(
        error.contains("is not trusted: no chain to a root in the system trust store"), error);

    command = CommandRun.start("connect", "-d", "--verify-none", url);
    assertEquals("Connected to " + url, command.nextOut());
  }

  @Test
  void benchLoadsATlsServer() {
    int port = startTlsServer();
    CommandRun bench =
        CommandRun.runToEnd(
            "bench",
            "--url",
            "wss://localhost:" + port + "/",
            "--ca-file",
            caFile(),
            "--connections",
            "2",
            "--duration",
            "1",
            "--warmup",
            "0",
            "--json",
            "-",
            "--quiet");
    assertEquals(Ixws.EXIT_OK, bench.awaitExit(), bench.err.text());
    String json = bench.out.takeAll();
    assertTrue(json.contains("\"connected\":2"), json);
    assertTrue(json.contains("\"url\":\"wss://localhost:" + port + "/\""), json);
    String report = bench.err.takeAll();
    assertTrue(report.contains("2 of 2 opened"), report);
  }

  @Test
  void connectChecksTheHostNameUnlessDisabled() {
    Issued nameOnly = ca.server(KeyType.EC, "localhost");
    server = new WebSocketServer(0);
    server.setTLSOptions(
        SocketTLSOptions.builder()
            .tls(true)
            .certFile(nameOnly.chainPem())
            .keyFile(nameOnly.keyPem())
            .build());
    assertTrue(server.listen().ok());
    server.start();
    String url = "wss://127.0.0.1:" + server.getPort() + "/";
    CommandRun refused = CommandRun.start("connect", "-d", "--ca-file", caFile(), url);
    assertEquals(Ixws.EXIT_FAILURE, refused.awaitExit());
    String error = refused.err.next();
    assertTrue(error.contains("certificate for localhost does not match host 127.0.0.1"), error);

    command =
        CommandRun.start(
            "connect", "-d", "--ca-file", caFile(), "--disable-hostname-validation", url);
    assertEquals("Connected to " + url, command.nextOut());
  }

  @Test
  void broadcastServerAndPingTalkOverWss() {
    command =
        CommandRun.start(
            "broadcast-server",
            "--port",
            "0",
            "-q",
            "--tls",
            "--cert-file",
            certFile(),
            "--key-file",
            keyFile());
    Matcher matcher = LISTENING.matcher(command.out.next());
    assertTrue(matcher.matches());
    String url = "wss://localhost:" + matcher.group(1) + "/";

    // Without the CA the server is not trusted: the flags are what make it work.
    CommandRun refused = CommandRun.start("ping", url);
    assertEquals(Ixws.EXIT_FAILURE, refused.awaitExit());
    String error = refused.err.takeAll();
    assertTrue(error.contains("is not trusted"), error);

    CommandRun ping = CommandRun.start("ping", "--ca-file", caFile(), url);
    assertEquals("Connected to " + url, ping.nextOut());
    ping.type("over wss");
    String pong = ping.nextOut();
    assertTrue(pong.startsWith("Pong: over wss (round trip "), pong);
    ping.closeStdin();
    assertEquals(Ixws.EXIT_OK, ping.awaitExit());
    assertEquals("Connection closed: code 1000 reason \"Normal closure\"", ping.nextOut());
  }

  @Test
  void everyNetworkCommandHasTheTlsFlags() {
    for (String name :
        new String[] {
          "broadcast-server",
          "push-server",
          "autoroute",
          "ping",
          "chat",
          "send",
          "receive",
          "transfer",
          "curl",
          "connect",
          "echo-server",
          "bench",
          "autobahn"
        }) {
      CommandRun help = CommandRun.runToEnd(name, "--help");
      assertEquals(Ixws.EXIT_OK, help.awaitExit(), name);
      String usage = help.out.takeAll() + help.err.takeAll();
      for (String flag :
          new String[] {
            "--tls",
            "--cert-file",
            "--key-file",
            "--ca-file",
            "--ciphers",
            "--verify-none",
            "--disable-hostname-validation"
          }) {
        assertTrue(usage.contains(flag), name + " lacks " + flag + ":\n" + usage);
      }
    }
  }

  @Test
  void curlGetsOverHttpsWithTheCaFileAndSaysWhyWithout() throws Exception {
    Path script = dir.resolve("https.py");
    Files.writeString(
        script,
        String.join(
            "\n",
            "import http.server, ssl, sys",
            "class H(http.server.BaseHTTPRequestHandler):",
            "    protocol_version = 'HTTP/1.1'",
            "    def do_GET(self):",
            "        body = ('tls ' + self.path + '\\n').encode()",
            "        self.send_response(200)",
            "        self.send_header('Content-Length', str(len(body)))",
            "        self.end_headers()",
            "        self.wfile.write(body)",
            "    def log_message(self, *args):",
            "        pass",
            "s = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)",
            "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)",
            "ctx.load_cert_chain(sys.argv[1], sys.argv[2])",
            "s.socket = ctx.wrap_socket(s.socket, server_side=True)",
            "print(s.server_address[1], flush=True)",
            "s.serve_forever()",
            ""));
    Path python = Path.of("/usr/bin/python3");
    assertTrue(Files.isExecutable(python), "python3 is missing: " + python);
    Process process =
        new ProcessBuilder(python.toString(), script.toString(), certFile(), keyFile())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String port = out.readLine();
      assertTrue(port != null && port.matches("\\d+"), "python did not start: " + port);
      String url = "https://localhost:" + port + "/hello";

      CommandRun ok = CommandRun.runToEnd("curl", "--ca-file", caFile(), url);
      assertEquals(Ixws.EXIT_OK, ok.awaitExit(), ok.err.text());
      assertEquals("tls /hello", ok.out.takeAll());

      CommandRun refused = CommandRun.runToEnd("curl", url);
      assertEquals(Ixws.EXIT_FAILURE, refused.awaitExit());
      String error = refused.err.takeAll();
      assertTrue(
          error.startsWith("ixws curl: CANNOT_CONNECT: TLS handshake with localhost:" + port),
          error);
      assertTrue(error.contains("is not trusted"), error);

      CommandRun insecure = CommandRun.runToEnd("curl", "--verify-none", url);
      assertEquals(Ixws.EXIT_OK, insecure.awaitExit(), insecure.err.text());
      assertEquals("tls /hello", insecure.out.takeAll());
    } finally {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
