package dev.ixws.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.testkit.TestCertificates;
import dev.ixws.testkit.TestCertificates.Authority;
import dev.ixws.testkit.TestCertificates.KeyType;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HostnameCheckTest {

  private static Authority ca;

  @BeforeAll
  static void makeCa() {
    ca = TestCertificates.authority("Hostname CA", KeyType.EC);
  }

  @Test
  void dnsNamesMatchIgnoringCaseAndTrailingDot() {
    X509Certificate cert = ca.server(KeyType.EC, "Example.COM", "localhost").certificate();
    assertTrue(HostnameCheck.matches(cert, "example.com"));
    assertTrue(HostnameCheck.matches(cert, "EXAMPLE.com."));
    assertTrue(HostnameCheck.matches(cert, "localhost"));
    assertFalse(HostnameCheck.matches(cert, "www.example.com"));
  }

  @Test
  void wildcardCoversExactlyOneLeftMostLabel() {
    assertTrue(HostnameCheck.matchesName("a.example.com", "*.example.com"));
    assertFalse(HostnameCheck.matchesName("a.b.example.com", "*.example.com"));
    assertFalse(HostnameCheck.matchesName("example.com", "*.example.com"));
    assertFalse(HostnameCheck.matchesName("example.com", "*.com"));
  }

  @Test
  void ipLiteralsMatchOnlyIpSans() {
    X509Certificate cert = ca.server(KeyType.EC, "localhost", "127.0.0.1", "::1").certificate();
    assertTrue(HostnameCheck.matches(cert, "127.0.0.1"));
    assertTrue(HostnameCheck.matches(cert, "::1"));
    assertTrue(HostnameCheck.matches(cert, "[0:0:0:0:0:0:0:1]"));
    assertFalse(HostnameCheck.matches(cert, "127.0.0.2"));
    // A DNS SAN spelled like an address does not count for an IP literal.
    X509Certificate dnsOnly = ca.server(KeyType.EC, "localhost").certificate();
    assertFalse(HostnameCheck.matches(dnsOnly, "127.0.0.1"));
  }

  @Test
  void commonNameCountsOnlyWithoutDnsSans() {
    Instant now = Instant.now();
    X509Certificate cnOnly =
        ca.issue(
                "cn.example",
                KeyType.EC,
                List.of(),
                now.minusSeconds(60),
                now.plus(Duration.ofDays(1)),
                false)
            .certificate();
    assertTrue(HostnameCheck.matches(cnOnly, "cn.example"));
    X509Certificate withSan =
        ca.issue(
                "cn.example",
                KeyType.EC,
                List.of("san.example"),
                now.minusSeconds(60),
                now.plus(Duration.ofDays(1)),
                false)
            .certificate();
    assertFalse(HostnameCheck.matches(withSan, "cn.example"));
  }

  @Test
  void mismatchMessageNamesTheCertificateAndTheHost() {
    X509Certificate cert = ca.server(KeyType.EC, "localhost").certificate();
    PeerCertificateException e =
        assertThrows(PeerCertificateException.class, () -> HostnameCheck.check(cert, "127.0.0.2"));
    assertEquals("certificate for localhost does not match host 127.0.0.2", e.getMessage());
  }
}
