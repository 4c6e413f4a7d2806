package dev.ixws.http;

import static dev.ixws.http.ServerFixture.connect;
import static dev.ixws.http.ServerFixture.readUntilClose;
import static dev.ixws.http.ServerFixture.run;
import static dev.ixws.http.ServerFixture.send;
import static dev.ixws.http.ServerFixture.started;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.ListenResult;
import dev.ixws.SocketTLSOptions;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import dev.ixws.internal.tls.TlsEngine;
import dev.ixws.testkit.TestCertificates;
import dev.ixws.testkit.TestCertificates.Authority;
import dev.ixws.testkit.TestCertificates.Issued;
import dev.ixws.testkit.TestCertificates.KeyFormat;
import dev.ixws.testkit.TestCertificates.KeyType;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * HttpServer over TLS with each engine, against clients nobody here wrote (curl, {@code openssl
 * s_client}) and ours (HttpClient, and a {@code wss://} upgrade on the same TLS port): keep-alive,
 * ALPN {@code http/1.1}, a large file (read in pieces, no file region over TLS), mutual TLS with
 * the client certificate on the connection state, plain HTTP on the TLS port, bad options.
 */
class HttpServerTlsTest {

  private static Path dir;
  private static Authority ca;
  private static Issued serverCert;
  private static Issued clientCert;
  private static byte[] big;
  private static String bigSha256;

  private HttpServer server;

  @BeforeAll
  static void certificates() throws Exception {
    dir = Files.createTempDirectory("httpd-tls");
    ca = TestCertificates.authority("ixws httpd test CA", KeyType.EC);
    serverCert = ca.server(KeyType.RSA, "localhost", "127.0.0.1");
    clientCert = ca.client(KeyType.EC, "httpd-client");
    ca.writeCertificate(dir, "ca.pem");
    serverCert.writeChain(dir, "server.pem");
    serverCert.writeKey(dir, "server.key", KeyFormat.PKCS8);
    clientCert.writeCertificate(dir, "client.pem");
    clientCert.writeKey(dir, "client.key", KeyFormat.PKCS8);
    Path www = Files.createDirectory(dir.resolve("www"));
    Files.writeString(www.resolve("index.html"), "<h1>tls home</h1>");
    big = new byte[5 * 1024 * 1024 + 3];
    new Random(11).nextBytes(big);
    Files.write(www.resolve("big.bin"), big);
    bigSha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(big));
  }

  @AfterAll
  static void cleanUp() throws IOException {
    System.clearProperty(TlsEngine.PROPERTY);
    try (var paths = Files.walk(dir)) {
      paths.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    }
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop();
    }
  }

  private static void use(TlsEngine engine) {
    if (engine == TlsEngine.BORINGSSL) {
      assertTrue(TlsEngine.nativeAvailable(), "netty-tcnative (BoringSSL) did not load");
    }
    System.setProperty(TlsEngine.PROPERTY, engine.name().toLowerCase(Locale.ROOT));
  }

  private static SocketTLSOptions.Builder serverOptions() {
    return SocketTLSOptions.builder()
        .tls(true)
        .certFile(dir.resolve("server.pem").toString())
        .keyFile(dir.resolve("server.key").toString());
  }

  private static SocketTLSOptions trustingCa() {
    return SocketTLSOptions.builder().caFile(dir.resolve("ca.pem").toString()).build();
  }

  private HttpServer fileServer(SocketTLSOptions options) {
    server = new HttpServer(0);
    server.setDefaultConnectionCallback(dir.resolve("www"));
    server.setTLSOptions(options);
    return started(server);
  }

  private String base() {
    return "https://localhost:" + server.getPort();
  }

  private static String curl(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "curl", "-sS", "--max-time", "20", "--cacert", dir.resolve("ca.pem").toString()));
    command.addAll(List.of(args));
    return run(command);
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void curlGetsPagesOverOneKeepAliveConnectionWithAlpnAndALargeFileIntact(TlsEngine engine)
      throws Exception {
    use(engine);
    fileServer(serverOptions().build());
    Path out = dir.resolve("big-" + engine + ".out");
    String verbose =
        curl("-v", base() + "/", base() + "/index.html", "-o", "/dev/null", base() + "/big.bin");
    assertTrue(verbose.contains("ALPN: server accepted http/1.1"), verbose);
    assertTrue(verbose.contains("<h1>tls home</h1>"), verbose);
    assertTrue(verbose.contains("Re-using existing connection"), verbose);
    assertFalse(verbose.contains("Closing connection 0"), verbose);
    curl("-o", out.toString(), base() + "/big.bin");
    String sha = run(List.of("sha256sum", out.toString())).split(" ")[0];
    assertEquals(bigSha256, sha);
    Files.delete(out);
    // A range of the file, over TLS too.
    String range = curl("-r", "10-19", "-i", base() + "/big.bin");
    assertTrue(range.startsWith("HTTP/1.1 206"), range);
    assertTrue(range.toLowerCase(Locale.ROOT).contains("content-length: 10"), range);
  }

  /** What {@code openssl s_client -alpn ALPN} prints for one GET with Connection: close. */
  private String sClient(String alpn) throws Exception {
    Process process =
        new ProcessBuilder(
                "openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + server.getPort(),
                "-servername",
                "localhost",
                "-CAfile",
                dir.resolve("ca.pem").toString(),
                "-alpn",
                alpn,
                "-ign_eof")
            .redirectErrorStream(true)
            .start();
    process
        .getOutputStream()
        .write(
            "GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
    process.getOutputStream().flush();
    assertTrue(process.waitFor(20, TimeUnit.SECONDS), "s_client did not end");
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void opensslSClientNegotiatesHttp11AndGetsAnAnswer(TlsEngine engine) throws Exception {
    use(engine);
    fileServer(serverOptions().build());
    String out = sClient("http/1.1");
    assertTrue(out.contains("ALPN protocol: http/1.1"), out);
    assertTrue(out.contains("Verify return code: 0 (ok)"), out);
    assertTrue(out.contains("HTTP/1.1 200 OK"), out);
    assertTrue(out.contains("<h1>tls home</h1>"), out);
    // A client that offers only h2 gets no protocol, and HTTP/1.1 all the same.
    String h2 = sClient("h2");
    assertTrue(h2.contains("No ALPN negotiated"), h2);
    assertTrue(h2.contains("HTTP/1.1 200 OK"), h2);
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void ourHttpClientReusesItsTlsConnectionAndGetsTheLargeFile(TlsEngine engine) {
    use(engine);
    fileServer(serverOptions().build());
    try (HttpClient client = new HttpClient()) {
      client.setTLSOptions(trustingCa());
      for (int i = 0; i < 3; i++) {
        HttpResponse response = client.get(base() + "/index.html", client.createRequest());
        assertEquals(200, response.statusCode(), response.toString());
        assertEquals("<h1>tls home</h1>", response.body());
      }
      HttpResponse file = client.get(base() + "/big.bin", client.createRequest());
      assertEquals(200, file.statusCode(), file.toString());
      assertArrayEquals(big, file.bodyBytes());
      assertEquals(1, client.openConnections(base() + "/"));
    }
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void wssUpgradeAndHttpsShareTheTlsPort(TlsEngine engine) throws Exception {
    use(engine);
    server = new HttpServer(0);
    server.setOnConnectionCallback((request, state) -> HttpResponse.ok("https " + request.path()));
    server.setOnClientMessageCallback(
        (state, webSocket, message) -> {
          if (message.type() == WebSocketMessageType.MESSAGE) {
            webSocket.sendText("echo " + message.str());
          }
        });
    server.setTLSOptions(serverOptions().build());
    started(server);
    BlockingQueue<WebSocketMessage> events = new LinkedBlockingQueue<>();
    WebSocket client = new WebSocket();
    client.setUrl("wss://localhost:" + server.getPort() + "/live");
    client.setTLSOptions(trustingCa());
    client.setOnMessageCallback(events::add);
    client.start();
    try {
      WebSocketMessage open = events.poll(10, TimeUnit.SECONDS);
      assertNotNull(open, "no OPEN");
      assertEquals(WebSocketMessageType.OPEN, open.type(), String.valueOf(open));
      client.sendText("over tls");
      WebSocketMessage echo = events.poll(5, TimeUnit.SECONDS);
      assertNotNull(echo, "no echo");
      assertEquals("echo over tls", echo.str());
      String page = curl(base() + "/health");
      assertTrue(page.startsWith("https /health"), page);
    } finally {
      client.stop();
    }
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void mutualTlsShowsTheClientCertificateToHttpAndWebSocketCallbacks(TlsEngine engine)
      throws Exception {
    use(engine);
    CompletableFuture<List<X509Certificate>> wsCerts = new CompletableFuture<>();
    server = new HttpServer(0);
    server.setOnConnectionCallback(
        (request, state) -> {
          List<X509Certificate> chain = state.getPeerCertificates();
          return HttpResponse.ok(
              chain.isEmpty() ? "anonymous" : chain.get(0).getSubjectX500Principal().getName());
        });
    server.setOnWebSocketConnectionCallback(
        (webSocket, state) -> {
          wsCerts.complete(state.getPeerCertificates());
          webSocket.setOnMessageCallback(message -> {});
        });
    server.setTLSOptions(serverOptions().caFile(dir.resolve("ca.pem").toString()).build());
    started(server);
    String who =
        curl(
            "--cert",
            dir.resolve("client.pem").toString(),
            "--key",
            dir.resolve("client.key").toString(),
            base() + "/who");
    assertTrue(who.startsWith("CN=httpd-client"), who);
    // Without a certificate, curl's handshake (or first read, in TLS 1.3) fails.
    Process anonymous =
        new ProcessBuilder(
                "curl",
                "-sS",
                "--max-time",
                "10",
                "--cacert",
                dir.resolve("ca.pem").toString(),
                base() + "/who")
            .redirectErrorStream(true)
            .start();
    assertTrue(anonymous.waitFor(20, TimeUnit.SECONDS));
    String refused = new String(anonymous.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(anonymous.exitValue() != 0, refused);
    assertFalse(refused.contains("anonymous"), refused);

    try (HttpClient client = new HttpClient()) {
      client.setTLSOptions(
          trustingCa().toBuilder()
              .certFile(dir.resolve("client.pem").toString())
              .keyFile(dir.resolve("client.key").toString())
              .build());
      HttpResponse response = client.get(base() + "/who", client.createRequest());
      assertEquals("CN=httpd-client", response.body(), response.toString());
    }
    WebSocket ws = new WebSocket();
    ws.setUrl("wss://localhost:" + server.getPort() + "/live");
    ws.setTLSOptions(
        trustingCa().toBuilder()
            .certFile(dir.resolve("client.pem").toString())
            .keyFile(dir.resolve("client.key").toString())
            .build());
    BlockingQueue<WebSocketMessage> events = new LinkedBlockingQueue<>();
    ws.setOnMessageCallback(events::add);
    ws.start();
    try {
      WebSocketMessage open = events.poll(10, TimeUnit.SECONDS);
      assertNotNull(open, "no OPEN");
      assertEquals(WebSocketMessageType.OPEN, open.type(), String.valueOf(open));
      List<X509Certificate> chain = wsCerts.get(5, TimeUnit.SECONDS);
      assertEquals("CN=httpd-client", chain.get(0).getSubjectX500Principal().getName());
    } finally {
      ws.stop();
    }
  }

  @Test
  void plainHttpOnTheTlsPortGetsA400ThatSaysSo() throws Exception {
    fileServer(serverOptions().build());
    try (Socket socket = connect(server.getPort())) {
      send(socket, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      String answer = readUntilClose(socket);
      assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
      assertTrue(answer.contains("speaks TLS only"), answer);
    }
  }

  @Test
  void aClientStalledInItsHandshakeBlocksNoOneAndIsDroppedAtTheTimeout() throws Exception {
    server = new HttpServer(0, "127.0.0.1", 5, 32, 1);
    server.setDefaultConnectionCallback(dir.resolve("www"));
    server.setTLSOptions(serverOptions().build());
    started(server);
    try (Socket staller = connect(server.getPort())) {
      // The header of a handshake record, then nothing: the SslHandler waits for the rest.
      staller.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x50});
      staller.getOutputStream().flush();
      long start = System.nanoTime();
      for (int i = 0; i < 3; i++) {
        String page = curl(base() + "/index.html");
        assertTrue(page.startsWith("<h1>tls home</h1>"), page);
      }
      // Dropped by the 1 s handshake timeout (the socket's own read timeout is 5 s).
      assertEquals("", readUntilClose(staller));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(millis < 4000, "dropped after " + millis + " ms");
    }
  }

  @Test
  void listenFailsWithTheReasonWhenTheKeyIsMissing() {
    server = new HttpServer(0);
    server.setTLSOptions(
        SocketTLSOptions.builder()
            .tls(true)
            .certFile(dir.resolve("server.pem").toString())
            .build());
    ListenResult result = server.listen();
    assertFalse(result.ok());
    assertTrue(result.errorMessage().contains("keyFile"), result.errorMessage());
  }

  @Test
  void theCertificateCanBeRotatedWhileServing() throws Exception {
    fileServer(serverOptions().build());
    Authority other = TestCertificates.authority("ixws httpd other CA", KeyType.RSA);
    Issued rotated = other.server(KeyType.EC, "localhost");
    Path otherCa = other.writeCertificate(dir, "other-ca.pem");
    ListenResult result =
        server.updateTLSOptions(
            SocketTLSOptions.builder()
                .tls(true)
                .certFile(rotated.writeChain(dir, "rotated.pem").toString())
                .keyFile(rotated.writeKey(dir, "rotated.key", KeyFormat.PKCS8).toString())
                .build());
    assertTrue(result.ok(), result.errorMessage());
    String page =
        run(
            List.of(
                "curl",
                "-sS",
                "--max-time",
                "10",
                "--cacert",
                otherCa.toString(),
                base() + "/index.html"));
    assertTrue(page.startsWith("<h1>tls home</h1>"), page);
  }

  /** openssl's two ways of encrypting a key: PKCS#8 (PBES2, AES-256) and traditional PEM. */
  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> encryptedKeys() {
    List<org.junit.jupiter.params.provider.Arguments> cases = new ArrayList<>();
    for (TlsEngine engine : TlsEngine.values()) {
      cases.add(org.junit.jupiter.params.provider.Arguments.of(engine, List.of("pkcs8", "-topk8")));
      cases.add(
          org.junit.jupiter.params.provider.Arguments.of(
              engine, List.of("pkey", "-traditional", "-aes256")));
    }
    return cases.stream();
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("encryptedKeys")
  void anEncryptedKeyWorksWithItsPasswordAndIsRefusedWithoutOne(TlsEngine engine, List<String> how)
      throws Exception {
    use(engine);
    Path encrypted = dir.resolve("enc-" + engine + "-" + how.get(0) + ".key");
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(how);
    command.addAll(
        List.of(
            "-in",
            dir.resolve("server.key").toString(),
            "-out",
            encrypted.toString(),
            "-passout",
            "pass:pa55word"));
    run(command);
    assertTrue(Files.readString(encrypted).contains("ENCRYPTED"));
    SocketTLSOptions.Builder options = serverOptions().keyFile(encrypted.toString());

    HttpServer refused = new HttpServer(0);
    refused.setTLSOptions(options.build());
    ListenResult noPassword = refused.listen();
    refused.stop();
    assertFalse(noPassword.ok());
    assertTrue(
        noPassword
            .errorMessage()
            .contains("holds an encrypted private key and no keyPassword is set"),
        noPassword.errorMessage());

    HttpServer wrong = new HttpServer(0);
    wrong.setTLSOptions(options.keyPassword("nope").build());
    ListenResult wrongPassword = wrong.listen();
    wrong.stop();
    assertFalse(wrongPassword.ok());
    assertTrue(
        wrongPassword.errorMessage().contains("wrong password?"), wrongPassword.errorMessage());

    fileServer(options.keyPassword("pa55word").build());
    String page = curl(base() + "/index.html");
    assertTrue(page.startsWith("<h1>tls home</h1>"), page);
  }
}
