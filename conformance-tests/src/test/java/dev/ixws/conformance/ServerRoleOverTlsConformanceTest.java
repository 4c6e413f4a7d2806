package dev.ixws.conformance;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.ListenResult;
import dev.ixws.SocketTLSOptions;
import dev.ixws.server.WebSocketServer;
import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.RawWebSocketClient;
import dev.ixws.testkit.TestCertificates;
import dev.ixws.testkit.TestCertificates.Authority;
import dev.ixws.testkit.TestCertificates.Issued;
import dev.ixws.testkit.TestCertificates.KeyType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The server-role suite once more, over TLS: the same raw client, speaking through the JDK's {@code
 * SSLSocket}, against our echo server with TLS on (the default engine, BoringSSL here). The session
 * engine sits above the TLS handler, so every case must end as it does in plain TCP. The verdicts
 * are checked here, not added to the conformance report (which describes the plain run).
 */
class ServerRoleOverTlsConformanceTest {

  private static WebSocketServer server;
  private static SSLContext tls;

  @BeforeAll
  static void startTlsEchoServer() {
    Authority ca = TestCertificates.authority("Conformance CA", KeyType.EC);
    Issued certificate = ca.server(KeyType.EC, "localhost", "127.0.0.1");
    tls = TestCertificates.clientContext(ca, null);
    server = new WebSocketServer(0);
    server.setTLSOptions(
        SocketTLSOptions.builder()
            .tls(true)
            .certFile(certificate.chainPem())
            .keyFile(certificate.keyPem())
            .build());
    server.setOnConnectionCallback(TestServers.echoing(msg -> {}));
    ListenResult listen = server.listen();
    assertTrue(listen.ok(), listen.errorMessage());
    server.start();
  }

  @AfterAll
  static void stopServer() {
    server.stop();
  }

  @TestFactory
  Stream<DynamicNode> serverRoleCasesOverTls() {
    Map<String, List<DynamicNode>> families = new LinkedHashMap<>();
    for (WireCase c : Cases.all(Role.SERVER)) {
      String family = c.id().substring(0, c.id().indexOf('.'));
      families
          .computeIfAbsent(family, f -> new ArrayList<>())
          .add(DynamicTest.dynamicTest(c.id() + " " + c.description(), () -> run(c)));
    }
    return families.entrySet().stream()
        .map(e -> DynamicContainer.dynamicContainer("family " + e.getKey(), e.getValue()));
  }

  private static void run(WireCase c) {
    CaseResult result =
        assertTimeoutPreemptively(
            c.timeout().multipliedBy(3).plus(Duration.ofSeconds(10)),
            () -> {
              DeflateTerms deflate = c.deflate();
              try (RawWebSocketClient client =
                  RawWebSocketClient.openTls(
                      server.getPort(), "/", tls, deflate == null ? null : deflate.header())) {
                return ServerRoleConformanceTest.runOn(c, client);
              }
            });
    assertNotEquals(
        Verdict.FAILED,
        result.verdict(),
        () ->
            c.id()
                + " "
                + c.description()
                + " over TLS: expected "
                + c.expectation()
                + "; observed "
                + result.observed());
  }
}
