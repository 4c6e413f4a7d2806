package dev.ixws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.ListenResult;
import dev.ixws.SocketTLSOptions;
import dev.ixws.WebSocketInitResult;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import dev.ixws.internal.tls.TlsEngine;
import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.EventRecorder;
import dev.ixws.testkit.TestCertificates;
import dev.ixws.testkit.TestCertificates.Authority;
import dev.ixws.testkit.TestCertificates.Issued;
import dev.ixws.testkit.TestCertificates.KeyFormat;
import dev.ixws.testkit.TestCertificates.KeyType;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our client against our server over TLS on loopback sockets, with each engine (BoringSSL and the
 * JDK, chosen by the system property before the server listens and the client starts): echo, mutual
 * TLS, every refusal as an {@code ERROR} with a readable reason, plain peers on the wrong port,
 * stalled handshakes, certificate rotation. Certificates are made by {@link TestCertificates}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsEndToEndTest {

  private static Authority ca;
  private static Authority otherCa;
  private static Issued serverCert;
  private static Issued clientCert;

  @TempDir Path dir;

  private final List<WebSocketServer> servers = new ArrayList<>();
  private final List<WebSocket> clients = new ArrayList<>();

  @BeforeAll
  static void makeCertificates() {
    ca = TestCertificates.authority("ixws Test CA", KeyType.EC);
    otherCa = TestCertificates.authority("Other CA", KeyType.EC);
    serverCert = ca.server(KeyType.EC, "localhost", "127.0.0.1");
    clientCert = ca.client(KeyType.EC, "client-1");
  }

  @AfterEach
  void stopAll() {
    clients.forEach(WebSocket::stop);
    servers.forEach(WebSocketServer::stop);
    System.clearProperty(TlsEngine.PROPERTY);
  }

  private static void use(TlsEngine engine) {
    System.setProperty(TlsEngine.PROPERTY, engine.name().toLowerCase(Locale.ROOT));
  }

  private SocketTLSOptions serverOptions(Issued cert, KeyFormat format) {
    return SocketTLSOptions.builder()
        .tls(true)
        .certFile(
            cert.writeChain(dir, "server-" + cert.certificate().getSerialNumber() + ".pem")
                .toString())
        .keyFile(
            cert.writeKey(dir, "server-" + cert.certificate().getSerialNumber() + ".key", format)
                .toString())
        .build();
  }

  private WebSocketServer tlsServer(
      SocketTLSOptions options, EventRecorder<WebSocketMessage> events) {
    WebSocketServer server = new WebSocketServer(0, "127.0.0.1", 50, 32, 2);
    server.setTLSOptions(options);
    server.setOnConnectionCallback(
        events == null ? TestServers.echoing(msg -> {}) : TestServers.echoing(events::accept));
    servers.add(server);
    return TestServers.started(server);
  }

  private WebSocket client(String url, SocketTLSOptions options) {
    WebSocket client = new WebSocket();
    client.setUrl(url);
    if (options != null) {
      client.setTLSOptions(options);
    }
    clients.add(client);
    return client;
  }

  private static SocketTLSOptions trusting(Authority authority) {
    return SocketTLSOptions.builder().caFile(authority.certificatePem()).build();
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void clientEchoesOverTlsByNameAndByIpAddress(TlsEngine engine) {
    use(engine);
    WebSocketServer server = tlsServer(serverOptions(serverCert, KeyFormat.TRADITIONAL), null);
    for (String host : List.of("localhost", "127.0.0.1")) {
      EventRecorder<WebSocketMessage> events = new EventRecorder<>();
      WebSocket client = client("wss://" + host + ":" + server.getPort() + "/echo", trusting(ca));
      client.setOnMessageCallback(events::accept);
      client.start();
      WebSocketMessage open = events.next();
      assertEquals(WebSocketMessageType.OPEN, open.type(), String.valueOf(open.errorInfo()));
      assertEquals(serverCert.certificate(), open.openInfo().peerCertificates().get(0));
      client.send("over tls");
      assertEquals("over tls", events.next().str());
      byte[] big = new byte[300_000];
      for (int i = 0; i < big.length; i++) {
        big[i] = (byte) i;
      }
      client.sendBinary(big);
      WebSocketMessage echoed = events.next();
      assertTrue(java.util.Arrays.equals(big, echoed.bytes()));
      client.stop();
      assertEquals(WebSocketMessageType.CLOSE, events.next().type());
    }
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void rsaServerWithPkcs8KeyInMemory(TlsEngine engine) {
    use(engine);
    Issued rsa = ca.server(KeyType.RSA, "localhost");
    WebSocketServer server =
        tlsServer(
            SocketTLSOptions.builder()
                .tls(true)
                .certFile(rsa.chainPem())
                .keyFile(rsa.keyPem(KeyFormat.PKCS8))
                .build(),
            null);
    WebSocketInitResult result =
        client("wss://localhost:" + server.getPort() + "/", trusting(ca)).connect(10);
    assertTrue(result.success(), result.errorStr());
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void mutualTlsHandsTheVerifiedClientCertificateToTheServer(TlsEngine engine) throws Exception {
    use(engine);
    CompletableFuture<List<X509Certificate>> stateCerts = new CompletableFuture<>();
    CompletableFuture<List<X509Certificate>> openCerts = new CompletableFuture<>();
    WebSocketServer server = new WebSocketServer(0, "127.0.0.1", 50, 32, 2);
    server.setTLSOptions(
        serverOptions(serverCert, KeyFormat.PKCS8).toBuilder()
            .caFile(ca.writeCertificate(dir, "ca.pem").toString())
            .build());
    server.setOnConnectionCallback(
        (webSocket, state) -> {
          stateCerts.complete(state.getPeerCertificates());
          webSocket.setOnMessageCallback(
              msg -> {
                if (msg.type() == WebSocketMessageType.OPEN) {
                  openCerts.complete(msg.openInfo().peerCertificates());
                }
              });
        });
    servers.add(server);
    TestServers.started(server);
    WebSocketInitResult result =
        client(
                "wss://localhost:" + server.getPort() + "/",
                trusting(ca).toBuilder()
                    .certFile(clientCert.chainPem())
                    .keyFile(clientCert.keyPem(KeyFormat.TRADITIONAL))
                    .build())
            .connect(10);
    assertTrue(result.success(), result.errorStr());
    List<X509Certificate> chain = stateCerts.get(10, TimeUnit.SECONDS);
    assertEquals(clientCert.certificate(), chain.get(0));
    assertEquals("CN=client-1", chain.get(0).getSubjectX500Principal().getName());
    assertEquals(chain, openCerts.get(10, TimeUnit.SECONDS));
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void mutualTlsRefusesAClientWithoutCertificateWithAReason(TlsEngine engine) {
    use(engine);
    WebSocketServer server =
        tlsServer(
            serverOptions(serverCert, KeyFormat.PKCS8).toBuilder()
                .caFile(ca.certificatePem())
                .build(),
            null);
    WebSocketInitResult result =
        client("wss://localhost:" + server.getPort() + "/", trusting(ca)).connect(10);
    assertFalse(result.success());
    assertTrue(
        result
            .errorStr()
            .contains(
                "failed: the server requires a client certificate: set certFile and keyFile (alert: "),
        result.errorStr());
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void mutualTlsRefusesAClientCertificateFromAnotherCa(TlsEngine engine) {
    use(engine);
    Issued stranger = otherCa.client(KeyType.EC, "stranger");
    WebSocketServer server =
        tlsServer(
            serverOptions(serverCert, KeyFormat.PKCS8).toBuilder()
                .caFile(ca.certificatePem())
                .build(),
            null);
    WebSocketInitResult result =
        client(
                "wss://localhost:" + server.getPort() + "/",
                trusting(ca).toBuilder()
                    .certFile(stranger.certificatePem())
                    .keyFile(stranger.keyPem())
                    .build())
            .connect(10);
    assertFalse(result.success());
    assertTrue(
        result.errorStr().contains("failed: the server refused our client certificate (alert: "),
        result.errorStr());
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void certificateFailuresComeBackAsErrorsWithReadableReasons(TlsEngine engine) {
    use(engine);
    WebSocketServer server = tlsServer(serverOptions(serverCert, KeyFormat.PKCS8), null);
    String port = ":" + server.getPort() + "/";

    // The system trust store does not know our test CA.
    assertRefused(
        client("wss://localhost" + port, null),
        "TLS handshake with localhost"
            + port.substring(0, port.length() - 1)
            + " failed: server certificate CN=localhost (issued by CN=ixws Test CA) is not trusted:"
            + " no chain to a root in the system trust store");
    assertRefused(
        client("wss://localhost" + port, trusting(otherCa)),
        "is not trusted: no chain to a root in the in-memory ca file");

    WebSocketServer nameOnly =
        tlsServer(serverOptions(ca.server(KeyType.EC, "localhost"), KeyFormat.PKCS8), null);
    assertRefused(
        client("wss://127.0.0.1:" + nameOnly.getPort() + "/", trusting(ca)),
        "failed: certificate for localhost does not match host 127.0.0.1");
    WebSocketInitResult unchecked =
        client(
                "wss://127.0.0.1:" + nameOnly.getPort() + "/",
                trusting(ca).toBuilder().disableHostnameValidation(true).build())
            .connect(10);
    assertTrue(unchecked.success(), unchecked.errorStr());

    WebSocketServer expired =
        tlsServer(serverOptions(ca.expiredServer(KeyType.EC, "localhost"), KeyFormat.PKCS8), null);
    assertRefused(
        client("wss://localhost:" + expired.getPort() + "/", trusting(ca)),
        "failed: server certificate CN=localhost expired on ");
    WebSocketServer future =
        tlsServer(serverOptions(ca.futureServer(KeyType.EC, "localhost"), KeyFormat.PKCS8), null);
    assertRefused(
        client("wss://localhost:" + future.getPort() + "/", trusting(ca)),
        "failed: server certificate CN=localhost is not valid before ");

    // caFile NONE: no verification at all, even of an expired certificate for another name.
    WebSocketInitResult none =
        client(
                "wss://127.0.0.1:" + expired.getPort() + "/",
                SocketTLSOptions.builder().caFile("NONE").build())
            .connect(10);
    assertTrue(none.success(), none.errorStr());
  }

  private static void assertRefused(WebSocket client, String reasonPart) {
    EventRecorder<WebSocketMessage> events = new EventRecorder<>();
    client.setOnMessageCallback(events::accept);
    client.disableAutomaticReconnection();
    client.start();
    WebSocketMessage error = events.next();
    assertEquals(WebSocketMessageType.ERROR, error.type(), String.valueOf(error));
    assertTrue(
        error.errorInfo().reason().contains(reasonPart),
        "expected '" + reasonPart + "' in: " + error.errorInfo().reason());
    client.stop();
    events.skipRemaining();
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void badOptionsFailListenOrTheConnectionWithTheReason(TlsEngine engine) {
    use(engine);
    WebSocketServer server = new WebSocketServer(0);
    server.setTLSOptions(
        SocketTLSOptions.builder()
            .tls(true)
            .certFile("/nope/cert.pem")
            .keyFile("/nope/key.pem")
            .build());
    ListenResult listen = server.listen();
    assertFalse(listen.ok());
    assertEquals(
        "Invalid TLS options: couldn't find cert file: /nope/cert.pem", listen.errorMessage());

    WebSocketServer mismatched = new WebSocketServer(0);
    mismatched.setTLSOptions(
        SocketTLSOptions.builder()
            .tls(true)
            .certFile(serverCert.certificatePem())
            .keyFile(clientCert.keyPem())
            .build());
    ListenResult mismatch = mismatched.listen();
    assertFalse(mismatch.ok());
    assertTrue(
        mismatch
            .errorMessage()
            .contains("the private key does not match the certificate CN=localhost"),
        mismatch.errorMessage());

    WebSocketInitResult result =
        client("wss://localhost:1/", SocketTLSOptions.builder().caFile("/nope/ca.pem").build())
            .connect(5);
    assertFalse(result.success());
    assertEquals(
        "Cannot connect to wss://localhost:1/: Invalid TLS options: couldn't find ca file:"
            + " /nope/ca.pem",
        result.errorStr());
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void aPlainClientOnTheTlsPortIsToldTheServerSpeaksTls(TlsEngine engine) {
    use(engine);
    WebSocketServer server = tlsServer(serverOptions(serverCert, KeyFormat.PKCS8), null);
    WebSocketInitResult result =
        client("ws://127.0.0.1:" + server.getPort() + "/", null).connect(10);
    assertFalse(result.success());
    assertEquals(400, result.httpStatus(), result.errorStr());
    assertTrue(result.errorStr().contains("status: 400"), result.errorStr());
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void aTlsClientOnAPlainPortFailsWithAReason(TlsEngine engine) {
    use(engine);
    WebSocketServer plain = TestServers.echo().start();
    servers.add(plain);
    WebSocketInitResult result =
        client(
                "wss://127.0.0.1:" + plain.getPort() + "/",
                SocketTLSOptions.builder().caFile("NONE").build())
            .connect(10);
    assertFalse(result.success());
    assertTrue(
        result.errorStr().contains("the peer does not speak TLS (it sent plain data)"),
        result.errorStr());
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void aClientStalledInItsTlsHandshakeBlocksNoOtherClientAndIsDropped(TlsEngine engine)
      throws Exception {
    use(engine);
    WebSocketServer server = tlsServer(serverOptions(serverCert, KeyFormat.PKCS8), null);
    try (Socket stalled = new Socket(InetAddress.getLoopbackAddress(), server.getPort())) {
      // Half a TLS record header: the server's TLS handshake waits for the rest.
      stalled.getOutputStream().write(new byte[] {22, 3, 1});
      stalled.getOutputStream().flush();
      long started = System.nanoTime();
      for (int i = 0; i < 3; i++) {
        WebSocketInitResult result =
            client("wss://localhost:" + server.getPort() + "/", trusting(ca)).connect(10);
        assertTrue(result.success(), result.errorStr());
      }
      // The server's handshake timeout (2 s here) drops the stalled client.
      stalled.setSoTimeout(10_000);
      InputStream in = stalled.getInputStream();
      int read;
      try {
        read = in.read();
        while (read != -1) {
          read = in.read();
        }
      } catch (IOException e) {
        read = -1; // reset: dropped as well
      }
      long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
      assertEquals(-1, read);
      assertTrue(elapsedMillis < 9_000, "dropped after " + elapsedMillis + " ms");
    }
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void aServerStalledInTheTlsHandshakeFailsTheClientWithinItsHandshakeTimeout(TlsEngine engine)
      throws Exception {
    use(engine);
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Socket> accepted =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return silent.accept();
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      WebSocket client = client("wss://127.0.0.1:" + silent.getLocalPort() + "/", trusting(ca));
      long started = System.nanoTime();
      WebSocketInitResult result = client.connect(1);
      long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
      assertFalse(result.success());
      assertTrue(result.errorStr().contains("timed out after 1000 ms"), result.errorStr());
      assertTrue(elapsedMillis < 5_000, "failed after " + elapsedMillis + " ms");
      accepted.get(5, TimeUnit.SECONDS).close();
    } catch (SocketTimeoutException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void aRunningServerRotatesItsCertificateForNewConnectionsOnly(TlsEngine engine) {
    use(engine);
    EventRecorder<WebSocketMessage> serverEvents = new EventRecorder<>();
    WebSocketServer server = tlsServer(serverOptions(serverCert, KeyFormat.PKCS8), serverEvents);
    EventRecorder<WebSocketMessage> events = new EventRecorder<>();
    WebSocket before = client("wss://localhost:" + server.getPort() + "/", trusting(ca));
    before.setOnMessageCallback(events::accept);
    before.start();
    assertEquals(WebSocketMessageType.OPEN, events.next().type());
    assertEquals(WebSocketMessageType.OPEN, serverEvents.next().type());

    Issued rotated = otherCa.server(KeyType.RSA, "localhost");
    ListenResult update = server.updateTLSOptions(serverOptions(rotated, KeyFormat.TRADITIONAL));
    assertTrue(update.ok(), update.errorMessage());

    // New connections get the new certificate: trusted by the other CA only.
    WebSocketInitResult oldTrust =
        client("wss://localhost:" + server.getPort() + "/", trusting(ca)).connect(10);
    assertFalse(oldTrust.success());
    assertTrue(oldTrust.errorStr().contains("issued by CN=Other CA"), oldTrust.errorStr());
    WebSocketInitResult newTrust =
        client("wss://localhost:" + server.getPort() + "/", trusting(otherCa)).connect(10);
    assertTrue(newTrust.success(), newTrust.errorStr());

    // The connection opened before the rotation goes on.
    before.send("still here");
    assertEquals("still here", events.next().str());
    assertEquals(WebSocketMessageType.OPEN, serverEvents.next().type());
    assertEquals("still here", serverEvents.next().str());

    // Bad new options leave the current certificate in place.
    ListenResult bad =
        server.updateTLSOptions(
            SocketTLSOptions.builder()
                .tls(true)
                .certFile("/nope.pem")
                .keyFile("/nope.key")
                .build());
    assertFalse(bad.ok());
    assertEquals("Invalid TLS options: couldn't find cert file: /nope.pem", bad.errorMessage());
    WebSocketInitResult after =
        client("wss://localhost:" + server.getPort() + "/", trusting(otherCa)).connect(10);
    assertTrue(after.success(), after.errorStr());
    before.stop();
    assertEquals(WebSocketMessageType.CLOSE, events.next().type());
    // The server's side of that close comes last: the other connections' events came before it.
    serverEvents.nextMatching(
        msg -> msg.type() == WebSocketMessageType.CLOSE, java.time.Duration.ofSeconds(10));
    serverEvents.skipRemaining();
  }
}
