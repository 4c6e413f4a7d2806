package dev.ixws.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.ListenResult;
import dev.ixws.SocketTLSOptions;
import dev.ixws.internal.tls.TlsEngine;
import dev.ixws.server.WebSocketServer;
import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.TestCertificates;
import dev.ixws.testkit.TestCertificates.Authority;
import dev.ixws.testkit.TestCertificates.Issued;
import dev.ixws.testkit.TestCertificates.KeyType;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Headless Chromium's own {@code WebSocket} against our {@code wss://} server, with each engine.
 * Chromium trusts our test certificate through {@code --ignore-certificate-errors-spki-list} (its
 * public-key pin; a test CA would need an NSS database and its tools), so a server presenting
 * another key is still refused: the pin is what makes the browser accept ours.
 */
@Timeout(90)
class ChromiumOverTlsTest {

  private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(30);

  private static Authority ca;
  private static Issued pinned;
  private static Chromium chromium;

  private WebSocketServer server;

  @BeforeAll
  static void startChromium() throws Exception {
    ca = TestCertificates.authority("Browser CA", KeyType.EC);
    pinned = ca.server(KeyType.EC, "localhost", "127.0.0.1");
    String spki =
        Base64.getEncoder()
            .encodeToString(
                MessageDigest.getInstance("SHA-256").digest(pinned.publicKey().getEncoded()));
    chromium = Chromium.start(List.of("--ignore-certificate-errors-spki-list=" + spki));
  }

  @AfterAll
  static void stopChromium() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop();
    }
    System.clearProperty(TlsEngine.PROPERTY);
  }

  private void startServer(Issued certificate) {
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

  private String scenario() {
    return "{\"scenario\":\"text\",\"url\":"
        + ChromiumAgainstOurServerTest.quote("wss://127.0.0.1:" + server.getPort() + "/browser")
        + ",\"text\":\"over tls\"}";
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void chromiumRoundTripsATextMessageOverWss(TlsEngine engine) {
    System.setProperty(TlsEngine.PROPERTY, engine.name().toLowerCase(Locale.ROOT));
    startServer(pinned);
    String report = chromium.run(scenario(), SCENARIO_TIMEOUT);
    assertTrue(report.startsWith("{\"scenario\":\"text\",\"echo\":\"over tls\""), report);
    assertTrue(
        report.contains("\"close\":{\"code\":1000,\"reason\":\"done\",\"wasClean\":true}"), report);
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void chromiumRefusesAServerWhoseKeyItWasNotTold(TlsEngine engine) {
    System.setProperty(TlsEngine.PROPERTY, engine.name().toLowerCase(Locale.ROOT));
    startServer(ca.server(KeyType.EC, "localhost", "127.0.0.1"));
    // The driver's scenario that reports the first event and the close, whatever they are.
    String report =
        chromium.run(
            "{\"scenario\":\"subprotocol-refused\",\"url\":"
                + ChromiumAgainstOurServerTest.quote(
                    "wss://127.0.0.1:" + server.getPort() + "/browser")
                + ",\"protocols\":[]}",
            SCENARIO_TIMEOUT);
    assertEquals(
        "{\"scenario\":\"subprotocol-refused\",\"first\":\"error\","
            + "\"close\":{\"code\":1006,\"reason\":\"\",\"wasClean\":false}}",
        report);
  }
}
