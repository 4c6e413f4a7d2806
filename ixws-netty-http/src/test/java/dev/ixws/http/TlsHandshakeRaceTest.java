package dev.ixws.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.internal.tls.TlsEngine;
import dev.ixws.testkit.TestCertificates;
import dev.ixws.testkit.TestCertificates.Authority;
import dev.ixws.testkit.TestCertificates.Issued;
import dev.ixws.testkit.TestCertificates.KeyType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Many requests to nginx (a real TLS peer) with a certificate the client does not trust, each on a
 * new client, alternating the engines: every one must answer CANNOT_CONNECT, none may hang. A
 * handshake refused fast enough used to close the channel, and empty its pipeline, before the
 * pool's connect listener (added from the caller's thread) ran; the listener then found no {@code
 * SslHandler}, took the channel for plain TCP and handed out a dead connection whose request waited
 * for ever (once in 200-300 requests here).
 */
class TlsHandshakeRaceTest {

  private static final int REQUESTS = 300;

  private static NginxPeer nginx;

  @AfterAll
  static void stop() throws Exception {
    if (nginx != null) {
      nginx.close();
    }
    System.clearProperty(TlsEngine.PROPERTY);
  }

  @Test
  void aRefusedHandshakeNeverLeavesTheRequestWaiting() throws Exception {
    Authority ca = TestCertificates.authority("untrusted CA", KeyType.EC);
    Issued server = ca.server(KeyType.RSA, "localhost", "127.0.0.1");
    nginx = NginxPeer.startTls(server.chainPem(), server.keyPem());
    for (int i = 0; i < REQUESTS; i++) {
      System.setProperty(TlsEngine.PROPERTY, i % 2 == 0 ? "boringssl" : "jdk");
      try (HttpClient client = new HttpClient()) {
        CompletableFuture<HttpResponse> answer =
            CompletableFuture.supplyAsync(
                () -> client.get(nginx.url("/any"), client.createRequest()));
        HttpResponse response;
        try {
          response = answer.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          throw new AssertionError("request " + i + " got no answer within 10 s", e);
        }
        assertEquals(HttpErrorCode.CANNOT_CONNECT, response.errorCode(), response.toString());
        assertTrue(response.errorMsg().contains("TLS handshake"), response.errorMsg());
      }
    }
  }
}
