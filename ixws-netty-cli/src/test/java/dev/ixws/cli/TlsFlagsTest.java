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
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** IX's TLS flags on {@code echo-server} and {@code connect}. */
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
}
