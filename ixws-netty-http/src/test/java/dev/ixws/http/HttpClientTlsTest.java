package dev.ixws.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ixws.SocketTLSOptions;
import dev.ixws.internal.tls.TlsEngine;
import dev.ixws.testkit.TestCertificates;
import dev.ixws.testkit.TestCertificates.Authority;
import dev.ixws.testkit.TestCertificates.Issued;
import dev.ixws.testkit.TestCertificates.KeyType;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * https with peers nobody here wrote, with each TLS engine: nginx and Python's {@code http.server}
 * wrapped in {@code ssl}, certificates made by the test ({@link TestCertificates}); a wrong host
 * name, an untrusted chain, an expired certificate, plain HTTP on a TLS port and TLS to a plain
 * port each end in a readable {@code errorMsg}.
 */
class HttpClientTlsTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");

  private static Authority ca;
  private static Issued server;
  private static NginxPeer tlsNginx;
  private static NginxPeer plainNginx;

  private HttpClient client;

  @BeforeAll
  static void startPeers() throws Exception {
    ca = TestCertificates.authority("ixws http test CA", KeyType.EC);
    server = ca.server(KeyType.RSA, "localhost", "127.0.0.1");
    tlsNginx = NginxPeer.startTls(server.chainPem(), server.keyPem());
    Files.writeString(tlsNginx.www().resolve("hello.txt"), "hello over tls\n");
    plainNginx = NginxPeer.start();
    Files.writeString(plainNginx.www().resolve("hello.txt"), "hello in clear\n");
  }

  @AfterAll
  static void stopPeers() throws IOException {
    if (tlsNginx != null) {
      tlsNginx.close();
    }
    if (plainNginx != null) {
      plainNginx.close();
    }
    System.clearProperty(TlsEngine.PROPERTY);
  }

  @BeforeEach
  void newClient() {
    client = new HttpClient();
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  private static void use(TlsEngine engine) {
    System.setProperty(TlsEngine.PROPERTY, engine.name().toLowerCase(Locale.ROOT));
  }

  private static SocketTLSOptions trusting(Authority authority) {
    return SocketTLSOptions.builder().caFile(authority.certificatePem()).build();
  }

  private static void assertError(HttpErrorCode code, String fragment, HttpResponse response) {
    assertEquals(code, response.errorCode(), response.toString());
    assertTrue(
        response.errorMsg().contains(fragment),
        "message '" + response.errorMsg() + "' should contain '" + fragment + "'");
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void getsFromNginxOverHttpsAndReusesTheConnection(TlsEngine engine) {
    use(engine);
    client.setTLSOptions(trusting(ca));
    for (int i = 0; i < 3; i++) {
      HttpResponse response = client.get(tlsNginx.url("/hello.txt"), client.createRequest());
      assertEquals(HttpErrorCode.OK, response.errorCode(), response.toString());
      assertEquals(200, response.statusCode());
      assertEquals("hello over tls\n", response.body());
    }
    assertEquals(1, client.openConnections(tlsNginx.url("/")));
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void getsFromPythonHttpServerWrappedInSsl(TlsEngine engine) throws Exception {
    use(engine);
    client.setTLSOptions(trusting(ca));
    try (PythonTlsServer python = PythonTlsServer.start(server)) {
      HttpResponse response =
          client.get("https://localhost:" + python.port + "/x", client.createRequest());
      assertEquals(HttpErrorCode.OK, response.errorCode(), response.toString());
      // ALPN offered http/1.1 and the server chose it.
      assertEquals("python tls GET /x alpn=http/1.1", response.body());
    }
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void sendsTheClientCertificateToAMutualTlsServer(TlsEngine engine) throws Exception {
    use(engine);
    Issued identity = ca.client(KeyType.EC, "http-client");
    try (PythonTlsServer python = PythonTlsServer.start(server, ca)) {
      String url = "https://localhost:" + python.port + "/m";
      client.setTLSOptions(trusting(ca));
      HttpResponse refused = client.get(url, client.createRequest());
      // TLS 1.3: the server refuses after the handshake, during the exchange; the same answer.
      assertError(
          HttpErrorCode.CANNOT_CONNECT,
          "the server requires a client certificate: set certFile and keyFile",
          refused);
      client.setTLSOptions(
          SocketTLSOptions.builder()
              .caFile(ca.certificatePem())
              .certFile(identity.chainPem())
              .keyFile(identity.keyPem())
              .build());
      HttpResponse response = client.get(url, client.createRequest());
      assertEquals(HttpErrorCode.OK, response.errorCode(), response.toString());
      assertEquals("python tls GET /m alpn=http/1.1 client=http-client", response.body());
    }
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void wrongHostNameIsCannotConnectWithTheNames(TlsEngine engine) throws Exception {
    use(engine);
    client.setTLSOptions(trusting(ca));
    Issued other = ca.server(KeyType.EC, "other.example");
    try (PythonTlsServer python = PythonTlsServer.start(other)) {
      HttpResponse response =
          client.get("https://127.0.0.1:" + python.port + "/", client.createRequest());
      assertError(
          HttpErrorCode.CANNOT_CONNECT,
          "certificate for other.example does not match host 127.0.0.1",
          response);
      assertTrue(
          response.errorMsg().startsWith("TLS handshake with 127.0.0.1:"), response.errorMsg());
      // Hostname validation off: the same server is accepted.
      client.setTLSOptions(
          SocketTLSOptions.builder()
              .caFile(ca.certificatePem())
              .disableHostnameValidation(true)
              .build());
      HttpResponse relaxed =
          client.get("https://127.0.0.1:" + python.port + "/", client.createRequest());
      assertEquals(HttpErrorCode.OK, relaxed.errorCode(), relaxed.toString());
    }
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void untrustedChainIsCannotConnect(TlsEngine engine) {
    use(engine);
    // Default options: the system trust store, which does not hold the test CA.
    HttpResponse response = client.get(tlsNginx.url("/hello.txt"), client.createRequest());
    assertError(HttpErrorCode.CANNOT_CONNECT, "is not trusted", response);
    // Another CA is no better.
    client.setTLSOptions(trusting(TestCertificates.authority("someone else", KeyType.EC)));
    HttpResponse other = client.get(tlsNginx.url("/hello.txt"), client.createRequest());
    assertError(HttpErrorCode.CANNOT_CONNECT, "is not trusted", other);
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void expiredCertificateIsCannotConnect(TlsEngine engine) throws Exception {
    use(engine);
    client.setTLSOptions(trusting(ca));
    try (PythonTlsServer python =
        PythonTlsServer.start(ca.expiredServer(KeyType.EC, "localhost"))) {
      HttpResponse response =
          client.get("https://localhost:" + python.port + "/", client.createRequest());
      assertError(HttpErrorCode.CANNOT_CONNECT, "expired on", response);
    }
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void tlsToAPlainPortIsCannotConnectAndDoesNotReuseThePlainConnection(TlsEngine engine) {
    use(engine);
    client.setTLSOptions(trusting(ca));
    HttpResponse plain = client.get(plainNginx.url("/hello.txt"), client.createRequest());
    assertEquals("hello in clear\n", plain.body(), plain.toString());
    assertEquals(1, client.idleConnections(plainNginx.url("/")));
    // Same host and port, https: a new connection (the pool is per scheme), which fails.
    HttpResponse response =
        client.get(plainNginx.otherSchemeUrl("/hello.txt"), client.createRequest());
    assertError(HttpErrorCode.CANNOT_CONNECT, "does not speak TLS", response);
    assertEquals(1, client.idleConnections(plainNginx.url("/")));
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void plainHttpOnATlsPortGetsNginxsAnswer(TlsEngine engine) {
    use(engine);
    HttpResponse response =
        client.get(tlsNginx.otherSchemeUrl("/hello.txt"), client.createRequest());
    // nginx answers a plain request on its TLS port with a 400 page: a response, as IX gives.
    assertEquals(HttpErrorCode.OK, response.errorCode(), response.toString());
    assertEquals(400, response.statusCode());
    assertTrue(response.body().contains("The plain HTTP request was sent to HTTPS port"));
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void unusableOptionsAreCannotCreateSocket(TlsEngine engine) {
    use(engine);
    client.setTLSOptions(SocketTLSOptions.builder().caFile("/nonexistent/ca.pem").build());
    HttpResponse response = client.get(tlsNginx.url("/hello.txt"), client.createRequest());
    assertError(HttpErrorCode.CANNOT_CREATE_SOCKET, "Invalid TLS options", response);
    // http is unaffected by TLS options.
    HttpResponse plain = client.get(plainNginx.url("/hello.txt"), client.createRequest());
    assertEquals(HttpErrorCode.OK, plain.errorCode(), plain.toString());
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void asyncHttpsRequestCompletes(TlsEngine engine) throws Exception {
    use(engine);
    try (HttpClient async = new HttpClient(true)) {
      async.setTLSOptions(trusting(ca));
      CompletableFuture<HttpResponse> future =
          async.performRequestAsync(
              async.createRequest(tlsNginx.url("/hello.txt"), HttpClient.GET));
      HttpResponse response = future.get(10, TimeUnit.SECONDS);
      assertEquals("hello over tls\n", response.body(), response.toString());
    }
  }

  /** Python's {@code http.server} with its socket wrapped in {@code ssl}, stopped by its pid. */
  private static final class PythonTlsServer implements AutoCloseable {
    private static final String SCRIPT =
        String.join(
            "\n",
            "import http.server, ssl, sys",
            "class H(http.server.BaseHTTPRequestHandler):",
            "    protocol_version = 'HTTP/1.1'",
            "    def do_GET(self):",
            "        peer = self.connection.getpeercert()",
            "        cn = [v for rdn in peer['subject'] for (k, v) in rdn if k == 'commonName']"
                + " if peer else []",
            "        body = ('python tls GET ' + self.path + ' alpn='"
                + " + str(self.connection.selected_alpn_protocol())"
                + " + ''.join(' client=' + c for c in cn)).encode()",
            "        self.send_response(200)",
            "        self.send_header('Content-Length', str(len(body)))",
            "        self.end_headers()",
            "        self.wfile.write(body)",
            "    def log_message(self, *args):",
            "        pass",
            "s = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)",
            "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)",
            "ctx.load_cert_chain(sys.argv[1], sys.argv[2])",
            "ctx.set_alpn_protocols(['http/1.1'])",
            "if len(sys.argv) > 3:",
            "    ctx.verify_mode = ssl.CERT_REQUIRED",
            "    ctx.load_verify_locations(sys.argv[3])",
            "s.socket = ctx.wrap_socket(s.socket, server_side=True)",
            "print(s.server_address[1], flush=True)",
            "s.serve_forever()",
            "");

    final Process process;
    final Path dir;
    final int port;

    private PythonTlsServer(Process process, Path dir, int port) {
      this.process = process;
      this.dir = dir;
      this.port = port;
    }

    static PythonTlsServer start(Issued identity) throws IOException {
      return start(identity, null);
    }

    /** With {@code clientCa} set, clients must present a certificate it signed (mutual TLS). */
    static PythonTlsServer start(Issued identity, Authority clientCa) throws IOException {
      if (!Files.isExecutable(PYTHON)) {
        fail("python3 is missing (" + PYTHON + ")");
      }
      Path dir = Files.createTempDirectory("ixws-http-python-tls");
      Path script = dir.resolve("server.py");
      Files.writeString(script, SCRIPT);
      Path chain = identity.writeChain(dir, "chain.pem");
      Path key = identity.writeKey(dir, "key.pem", TestCertificates.KeyFormat.PKCS8);
      List<String> command =
          new ArrayList<>(
              List.of(PYTHON.toString(), script.toString(), chain.toString(), key.toString()));
      if (clientCa != null) {
        command.add(clientCa.writeCertificate(dir, "client-ca.pem").toString());
      }
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine(); // blocks until the port is printed or python exits
      try {
        return new PythonTlsServer(process, dir, Integer.parseInt(line.trim()));
      } catch (RuntimeException e) {
        process.destroyForcibly();
        fail("python's TLS server did not start: " + line);
        throw new AssertionError("unreachable");
      }
    }

    @Override
    public void close() throws IOException {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }
}
