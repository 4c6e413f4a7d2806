package dev.ixws.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ixws.ListenResult;
import dev.ixws.SocketTLSOptions;
import dev.ixws.WebSocketInitResult;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import dev.ixws.internal.tls.TlsEngine;
import dev.ixws.server.ConnectionState;
import dev.ixws.server.WebSocketServer;
import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.Await;
import dev.ixws.testkit.EventRecorder;
import dev.ixws.testkit.TestCertificates;
import dev.ixws.testkit.TestCertificates.Authority;
import dev.ixws.testkit.TestCertificates.Issued;
import dev.ixws.testkit.TestCertificates.KeyFormat;
import dev.ixws.testkit.TestCertificates.KeyType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TLS against peers nobody here wrote, with each of our engines: {@code openssl s_client} and
 * {@code s_server} (OpenSSL 3), curl, Python's {@code ssl} with {@code websockets}, node's TLS with
 * {@code ws}; mutual TLS included. Certificates are made at test time ({@link TestCertificates})
 * and written to a temporary directory for the peers.
 */
@Timeout(60)
class TlsPeersTest {

  private static final Path OPENSSL = Path.of("/usr/bin/openssl");
  private static final Path CURL = Path.of("/usr/bin/curl");
  private static final Pattern PORT_LINE = Pattern.compile("PORT (\\d+)");

  private static Authority ca;
  private static Issued serverCert;
  private static Issued clientCert;

  @TempDir Path dir;

  private final List<Process> processes = new ArrayList<>();
  private final List<WebSocketServer> servers = new ArrayList<>();
  private final List<WebSocket> clients = new ArrayList<>();

  @BeforeAll
  static void makeCertificates() {
    ca = TestCertificates.authority("Interop CA", KeyType.EC);
    serverCert = ca.server(KeyType.RSA, "localhost", "127.0.0.1");
    clientCert = ca.client(KeyType.EC, "peer-client");
  }

  @AfterEach
  void cleanUp() {
    clients.forEach(WebSocket::stop);
    servers.forEach(WebSocketServer::stop);
    processes.forEach(Process::destroyForcibly);
    System.clearProperty(TlsEngine.PROPERTY);
  }

  private static void use(TlsEngine engine) {
    System.setProperty(TlsEngine.PROPERTY, engine.name().toLowerCase(Locale.ROOT));
  }

  private Path caFile() {
    return ca.writeCertificate(dir, "ca.pem");
  }

  /** Our echo server over TLS; mutual TLS when {@code mutual}; states go to {@code states}. */
  private WebSocketServer ourServer(boolean mutual, CompletableFuture<ConnectionState> state) {
    SocketTLSOptions.Builder options =
        SocketTLSOptions.builder()
            .tls(true)
            .certFile(serverCert.writeChain(dir, "server.pem").toString())
            .keyFile(serverCert.writeKey(dir, "server.key", KeyFormat.TRADITIONAL).toString());
    if (mutual) {
      options.caFile(caFile().toString());
    }
    WebSocketServer server = new WebSocketServer(0);
    server.setTLSOptions(options.build());
    server.setOnConnectionCallback(
        (webSocket, connectionState) -> {
          state.complete(connectionState);
          TestServers.echoing(msg -> {}).onConnection(webSocket, connectionState);
        });
    servers.add(server);
    ListenResult listen = server.listen();
    assertTrue(listen.ok(), listen.errorMessage());
    server.start();
    return server;
  }

  // ------------------------------------------------------------------ peers against our server

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void pythonClientWithItsCertificateTalksToOurMutualTlsServer(TlsEngine engine) throws Exception {
    use(engine);
    Peer.PYTHON_WEBSOCKETS.checkInstalled();
    CompletableFuture<ConnectionState> state = new CompletableFuture<>();
    WebSocketServer server = ourServer(true, state);
    String output =
        run(
            List.of(
                Peer.PYTHON.toString(),
                "-I",
                PeerProcess.script("tls/python_tls_client.py").toString(),
                "wss://localhost:" + server.getPort() + "/",
                caFile().toString(),
                clientCert.writeChain(dir, "client.pem").toString(),
                clientCert.writeKey(dir, "client.key", KeyFormat.PKCS8).toString()),
            "ECHO ",
            Duration.ofSeconds(20));
    assertTrue(output.contains("ECHO hello tls"), output);
    assertEquals(
        "CN=peer-client",
        state
            .get(5, TimeUnit.SECONDS)
            .getPeerCertificates()
            .get(0)
            .getSubjectX500Principal()
            .getName());
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void pythonClientWithoutCertificateIsRefusedByOurMutualTlsServer(TlsEngine engine) {
    use(engine);
    Peer.PYTHON_WEBSOCKETS.checkInstalled();
    WebSocketServer server = ourServer(true, new CompletableFuture<>());
    String output =
        run(
            List.of(
                Peer.PYTHON.toString(),
                "-I",
                PeerProcess.script("tls/python_tls_client.py").toString(),
                "wss://localhost:" + server.getPort() + "/",
                caFile().toString()),
            "FAIL ",
            Duration.ofSeconds(20));
    assertTrue(output.contains("FAIL "), output);
    assertFalse(output.contains("ECHO"), output);
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void nodeClientTalksToOurTlsServer(TlsEngine engine) {
    use(engine);
    Peer.NODE_WS.checkInstalled();
    WebSocketServer server = ourServer(false, new CompletableFuture<>());
    String output =
        runNode(
            List.of(
                PeerProcess.script("tls/node_tls_client.js").toString(),
                "wss://127.0.0.1:" + server.getPort() + "/",
                caFile().toString()),
            "ECHO ");
    assertTrue(output.contains("ECHO hello tls"), output);
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void nodeClientWithItsCertificateTalksToOurMutualTlsServer(TlsEngine engine) {
    use(engine);
    Peer.NODE_WS.checkInstalled();
    WebSocketServer server = ourServer(true, new CompletableFuture<>());
    String output =
        runNode(
            List.of(
                PeerProcess.script("tls/node_tls_client.js").toString(),
                "wss://localhost:" + server.getPort() + "/",
                caFile().toString(),
                clientCert.writeChain(dir, "client.pem").toString(),
                clientCert.writeKey(dir, "client.key", KeyFormat.TRADITIONAL).toString()),
            "ECHO ");
    assertTrue(output.contains("ECHO hello tls"), output);
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void opensslClientVerifiesOurServerAndGetsThe101(TlsEngine engine) {
    use(engine);
    ExternalProgram.requireInstalled(OPENSSL, "openssl");
    WebSocketServer server = ourServer(true, new CompletableFuture<>());
    for (String version : List.of("-tls1_2", "-tls1_3")) {
      String output =
          run(
              List.of(
                  OPENSSL.toString(),
                  "s_client",
                  version,
                  "-connect",
                  "127.0.0.1:" + server.getPort(),
                  "-servername",
                  "localhost",
                  "-verify_hostname",
                  "localhost",
                  "-CAfile",
                  caFile().toString(),
                  "-verify_return_error",
                  "-cert",
                  clientCert.writeCertificate(dir, "client-leaf.pem").toString(),
                  "-key",
                  clientCert.writeKey(dir, "client.key", KeyFormat.PKCS8).toString(),
                  "-ign_eof"),
              upgradeRequest(),
              "HTTP/1.1 101",
              Duration.ofSeconds(15));
      assertTrue(output.contains("HTTP/1.1 101 Switching Protocols"), output);
      assertTrue(output.contains("Verify return code: 0 (ok)"), output);
    }
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void ourServerRefusesTls11FromOpensslWithTheProtocolVersionAlert(TlsEngine engine) {
    use(engine);
    ExternalProgram.requireInstalled(OPENSSL, "openssl");
    WebSocketServer server = ourServer(false, new CompletableFuture<>());
    String output =
        run(
            List.of(
                OPENSSL.toString(),
                "s_client",
                "-tls1_1",
                "-cipher",
                "DEFAULT@SECLEVEL=0",
                "-connect",
                "127.0.0.1:" + server.getPort()),
            "",
            "\u0000never",
            Duration.ofSeconds(15));
    // Our server answers a TLS 1.1 hello with the protocol_version alert (RFC 8446 section 4.2.1).
    assertTrue(output.contains("alert protocol version"), output);
    assertTrue(output.contains("Cipher is (NONE)"), output);
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void curlUpgradesOverHttpsToOurServer(TlsEngine engine) {
    use(engine);
    ExternalProgram.requireInstalled(CURL, "curl");
    WebSocketServer server = ourServer(false, new CompletableFuture<>());
    String output =
        run(
            List.of(
                CURL.toString(),
                "-sS",
                "-i",
                "-N",
                "--http1.1",
                "--max-time",
                "10",
                "--cacert",
                caFile().toString(),
                "-H",
                "Connection: Upgrade",
                "-H",
                "Upgrade: websocket",
                "-H",
                "Sec-WebSocket-Version: 13",
                "-H",
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                "https://localhost:" + server.getPort() + "/chat"),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
            Duration.ofSeconds(15));
    assertTrue(output.contains("HTTP/1.1 101"), output);
    assertTrue(output.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), output);
  }

  // ------------------------------------------------------------------ our client against peers

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void ourClientTalksToAPythonTlsServer(TlsEngine engine) {
    use(engine);
    Peer.PYTHON_WEBSOCKETS.checkInstalled();
    int port =
        startServer(
            List.of(
                Peer.PYTHON.toString(),
                "-I",
                PeerProcess.script("tls/python_tls_server.py").toString(),
                serverCert.writeChain(dir, "server.pem").toString(),
                serverCert.writeKey(dir, "server.key", KeyFormat.TRADITIONAL).toString()));
    assertEchoes("wss://localhost:" + port + "/");
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void ourClientTalksToANodeHttpsServer(TlsEngine engine) {
    use(engine);
    Peer.NODE_WS.checkInstalled();
    int port =
        startServer(
            List.of(
                Peer.NODE.toString(),
                PeerProcess.script("tls/node_tls_server.js").toString(),
                serverCert.writeChain(dir, "server.pem").toString(),
                serverCert.writeKey(dir, "server.key", KeyFormat.PKCS8).toString()));
    assertEchoes("wss://127.0.0.1:" + port + "/");
  }

  private void assertEchoes(String url) {
    EventRecorder<WebSocketMessage> events = new EventRecorder<>();
    WebSocket client = new WebSocket();
    clients.add(client);
    client.setUrl(url);
    client.setTLSOptions(SocketTLSOptions.builder().caFile(ca.certificatePem()).build());
    client.setOnMessageCallback(events::accept);
    client.start();
    WebSocketMessage open = events.next();
    assertEquals(WebSocketMessageType.OPEN, open.type(), String.valueOf(open.errorInfo()));
    assertEquals(serverCert.certificate(), open.openInfo().peerCertificates().get(0));
    client.send("hello peer");
    assertEquals("hello peer", events.next().str());
    client.stop();
    assertEquals(WebSocketMessageType.CLOSE, events.next().type());
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void ourClientTalksThroughNginxTerminatingTlsInFrontOfOurPlainServer(TlsEngine engine) {
    use(engine);
    WebSocketServer plain = TestServers.echo().start();
    servers.add(plain);
    Path chain = serverCert.writeChain(dir, "nginx-chain.pem");
    Path key = serverCert.writeKey(dir, "nginx.key", KeyFormat.PKCS8);
    try (Nginx nginx =
        Nginx.start(
            plain.getPort(),
            Duration.ofSeconds(30),
            "    ssl_certificate " + chain + ";\n    ssl_certificate_key " + key + ";")) {
      assertEchoes("wss://localhost:" + nginx.port() + "/ws/tls");
      assertEchoes("wss://127.0.0.1:" + nginx.port() + "/ws/tls");
    }
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void ourClientCertificateIsVerifiedByNginxRequiringMutualTls(TlsEngine engine) {
    use(engine);
    WebSocketServer plain = TestServers.echo().start();
    servers.add(plain);
    Path chain = serverCert.writeChain(dir, "nginx-chain.pem");
    Path key = serverCert.writeKey(dir, "nginx.key", KeyFormat.PKCS8);
    try (Nginx nginx =
        Nginx.start(
            plain.getPort(),
            Duration.ofSeconds(30),
            "    ssl_certificate "
                + chain
                + ";\n    ssl_certificate_key "
                + key
                + ";\n    ssl_client_certificate "
                + caFile()
                + ";\n    ssl_verify_client on;")) {
      String url = "wss://localhost:" + nginx.port() + "/ws/mtls";
      WebSocket withCertificate = new WebSocket();
      clients.add(withCertificate);
      withCertificate.setUrl(url);
      withCertificate.setTLSOptions(
          SocketTLSOptions.builder()
              .caFile(ca.certificatePem())
              .certFile(clientCert.chainPem())
              .keyFile(clientCert.keyPem(KeyFormat.TRADITIONAL))
              .build());
      WebSocketInitResult ok = withCertificate.connect(10);
      assertTrue(ok.success(), ok.errorStr());

      // nginx answers a missing client certificate with an HTTP 400 over TLS, not an alert.
      WebSocket without = new WebSocket();
      clients.add(without);
      without.setUrl(url);
      without.setTLSOptions(SocketTLSOptions.builder().caFile(ca.certificatePem()).build());
      WebSocketInitResult refused = without.connect(10);
      assertFalse(refused.success());
      assertEquals(400, refused.httpStatus(), refused.errorStr());
    }
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void ourClientSendsSniThatOpensslServerUsesToPickItsCertificate(TlsEngine engine) {
    use(engine);
    ExternalProgram.requireInstalled(OPENSSL, "openssl");
    Issued wrong = ca.server(KeyType.EC, "wrong.example");
    int port = freePort();
    Path log = dir.resolve("s_server.log");
    // Its standard input stays open: s_server shuts down at end of input.
    Process sServer =
        startKeepingInput(
            List.of(
                OPENSSL.toString(),
                "s_server",
                "-accept",
                "127.0.0.1:" + port,
                "-cert",
                wrong.writeCertificate(dir, "wrong.pem").toString(),
                "-key",
                wrong.writeKey(dir, "wrong.key", KeyFormat.PKCS8).toString(),
                "-servername",
                "localhost",
                "-cert2",
                serverCert.writeCertificate(dir, "server-leaf.pem").toString(),
                "-key2",
                serverCert.writeKey(dir, "server.key", KeyFormat.PKCS8).toString()),
            log);
    processes.add(sServer);
    Await.until("s_server accepts", Duration.ofSeconds(10), () -> read(log).contains("ACCEPT"));
    WebSocket client = new WebSocket();
    clients.add(client);
    client.setUrl("wss://localhost:" + port + "/");
    client.setTLSOptions(SocketTLSOptions.builder().caFile(ca.certificatePem()).build());
    // s_server speaks no WebSocket: with the right certificate (chosen by SNI) the TLS handshake
    // succeeds and the attempt times out waiting for a 101; without SNI it would fail on the name.
    WebSocketInitResult result = client.connect(2);
    assertFalse(result.success());
    assertTrue(
        result.errorStr().contains("timed out after 2000 ms"),
        result.errorStr() + "\n" + read(log));
    Await.until(
        "s_server saw the request",
        Duration.ofSeconds(10),
        () -> read(log).contains("GET / HTTP/1.1"));
    assertTrue(read(log).contains("Switching server context"), read(log));
  }

  // ------------------------------------------------------------------ plumbing

  private static String upgradeRequest() {
    return "GET /chat HTTP/1.1\r\n"
        + "Host: localhost\r\n"
        + "Upgrade: websocket\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n";
  }

  private String runNode(List<String> args, String until) {
    List<String> command = new ArrayList<>();
    command.add(Peer.NODE.toString());
    command.addAll(args);
    return run(command, until, Duration.ofSeconds(20));
  }

  private String run(List<String> command, String until, Duration timeout) {
    return run(command, "", until, timeout);
  }

  /**
   * Runs {@code command} with {@code input} on its standard input until it exits or its output
   * contains {@code until}, at most {@code timeout}; returns what it printed.
   */
  private String run(List<String> command, String input, String until, Duration timeout) {
    Path output = dir.resolve("out-" + processes.size() + ".log");
    Process process;
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
      builder.environment().put("NODE_PATH", Peer.NODE_MODULES.toString());
      process = builder.start();
    } catch (IOException e) {
      throw new AssertionError("cannot start " + command, e);
    }
    processes.add(process);
    try (OutputStream in = process.getOutputStream()) {
      in.write(input.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // The process may have exited already; its output says why.
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (process.waitFor(100, TimeUnit.MILLISECONDS) || read(output).contains(until)) {
          break;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    process.destroyForcibly();
    return read(output);
  }

  /** Starts a peer server script that prints "PORT n"; returns n. */
  private int startServer(List<String> command) {
    Path output = dir.resolve("server-" + processes.size() + ".log");
    Process process;
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
      builder.environment().put("NODE_PATH", Peer.NODE_MODULES.toString());
      process = builder.start();
    } catch (IOException e) {
      throw new AssertionError("cannot start " + command, e);
    }
    processes.add(process);
    int[] port = new int[1];
    Await.until(
        "the peer server prints its port",
        Duration.ofSeconds(15),
        () -> {
          Matcher m = PORT_LINE.matcher(read(output));
          if (m.find()) {
            port[0] = Integer.parseInt(m.group(1));
            return true;
          }
          if (!process.isAlive()) {
            fail("peer server exited: " + read(output));
          }
          return false;
        });
    return port[0];
  }

  private static Process startKeepingInput(List<String> command, Path output) {
    try {
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .start();
    } catch (IOException e) {
      throw new AssertionError("cannot start " + command, e);
    }
  }

  private static int freePort() {
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
