package dev.ixws.conformance;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ixws.server.WebSocketServer;
import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.RawWebSocketClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The Autobahn-style suite against our {@code WebSocketServer}: a raw test client (no WebSocket
 * library) drives an echo server through every case; each case is a test, and a FAILED verdict
 * fails it. The results go to {@code target/conformance/}.
 */
class ServerRoleConformanceTest {

  private static WebSocketServer server;

  @BeforeAll
  static void startEchoServer() {
    server = TestServers.echo().start();
  }

  @AfterAll
  static void stopServerAndWriteReport() {
    server.stop();
    ConformanceReport.write();
  }

  @TestFactory
  Stream<DynamicNode> serverRoleCases() {
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

  /**
   * Runs {@code c} on a test client whose handshake offered the case's deflate terms (if any):
   * FAILED when the server's answer does not agree on them, else the case's own verdict.
   */
  static CaseResult runOn(WireCase c, RawWebSocketClient client) {
    Peer peer = new Peer(client, Role.SERVER);
    DeflateTerms deflate = c.deflate();
    if (deflate != null) {
      String problem =
          deflate.checkAnswer(client.handshakeResponse().header("Sec-WebSocket-Extensions"));
      if (problem != null) {
        return new CaseResult(
            c.id(), c.description(), c.expectation(), Role.SERVER, Verdict.FAILED, problem, 0);
      }
      if (deflate.accepted()) {
        peer.useDeflate(deflate);
      }
    }
    return c.runOn(peer, Role.SERVER);
  }

  private static void run(WireCase c) {
    // Each wait is bounded by the case's timeout; this bounds the whole case.
    CaseResult result =
        assertTimeoutPreemptively(
            c.timeout().multipliedBy(3).plus(Duration.ofSeconds(10)),
            () -> {
              DeflateTerms deflate = c.deflate();
              try (RawWebSocketClient client =
                  RawWebSocketClient.open(
                      server.getPort(), "/", deflate == null ? null : deflate.header())) {
                return runOn(c, client);
              }
            });
    ConformanceReport.add(result);
    assertNotEquals(
        Verdict.FAILED,
        result.verdict(),
        () ->
            c.id()
                + " "
                + c.description()
                + ": expected "
                + c.expectation()
                + "; observed "
                + result.observed());
  }
}
