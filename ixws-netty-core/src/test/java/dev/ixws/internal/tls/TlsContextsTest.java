package dev.ixws.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.SocketTLSOptions;
import dev.ixws.testkit.TestCertificates;
import dev.ixws.testkit.TestCertificates.Authority;
import dev.ixws.testkit.TestCertificates.Issued;
import dev.ixws.testkit.TestCertificates.KeyFormat;
import dev.ixws.testkit.TestCertificates.KeyType;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TlsContextsTest {

  private static Authority ca;
  private static Issued server;
  private static Issued other;

  @BeforeAll
  static void makeCertificates() {
    ca = TestCertificates.authority("Contexts CA", KeyType.EC);
    server = ca.server(KeyType.EC, "localhost");
    other = ca.server(KeyType.EC, "localhost");
  }

  @Test
  void theNativeEngineLoadsOnThisPlatform() {
    // The build ships netty-tcnative for linux-x86_64; both engines are tested, so both must load.
    assertTrue(
        TlsEngine.nativeAvailable(),
        String.valueOf(io.netty.handler.ssl.OpenSsl.unavailabilityCause()));
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void serverContextFromInMemoryPemInEveryKeyForm(TlsEngine engine) throws Exception {
    for (KeyType type : KeyType.values()) {
      Issued issued = ca.server(type, "localhost");
      for (KeyFormat format : KeyFormat.values()) {
        SocketTLSOptions options =
            SocketTLSOptions.builder()
                .tls(true)
                .certFile(issued.chainPem())
                .keyFile(issued.keyPem(format))
                .build();
        SslContext context = TlsContexts.server(options, engine);
        assertTrue(context.isServer());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void aKeyThatDoesNotMatchItsCertificateIsRefused(TlsEngine engine) {
    SocketTLSOptions options =
        SocketTLSOptions.builder()
            .tls(true)
            .certFile(server.certificatePem())
            .keyFile(other.keyPem())
            .build();
    TlsConfigException e =
        assertThrows(TlsConfigException.class, () -> TlsContexts.server(options, engine));
    assertEquals(
        "the private key does not match the certificate CN=localhost (key in memory, certificate"
            + " in memory)",
        e.getMessage());
  }

  @Test
  void aServerNeedsACertificate() {
    TlsConfigException e =
        assertThrows(
            TlsConfigException.class,
            () -> TlsContexts.server(SocketTLSOptions.builder().tls(true).build(), TlsEngine.JDK));
    assertEquals(
        "a TLS server needs a certificate and its key: set certFile and keyFile", e.getMessage());
  }

  @Test
  void mutualTlsOnlyWithRoots() {
    assertFalse(TlsContexts.isMutual(SocketTLSOptions.defaults()));
    assertFalse(TlsContexts.isMutual(SocketTLSOptions.builder().caFile("NONE").build()));
    assertTrue(
        TlsContexts.isMutual(SocketTLSOptions.builder().caFile(ca.certificatePem()).build()));
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void ciphersInOpenSslOrJavaNames(TlsEngine engine) throws Exception {
    assertEquals(
        List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256"),
        TlsContexts.ciphers("ECDHE-ECDSA-AES128-GCM-SHA256:TLS_AES_128_GCM_SHA256", engine));
    TlsConfigException e =
        assertThrows(TlsConfigException.class, () -> TlsContexts.ciphers("NOPE:BAD", engine));
    assertTrue(
        e.getMessage().startsWith("none of the ciphers 'NOPE:BAD' is supported by"),
        e.getMessage());
  }

  @Test
  void equalClientOptionsShareOneContextUntilAFileChanges(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path caPath = ca.writeCertificate(dir, "ca.pem");
    SocketTLSOptions options = SocketTLSOptions.builder().caFile(caPath.toString()).build();
    TlsClient first = TlsClient.prepare(options, TlsEngine.JDK);
    assertTrue(first == TlsClient.prepare(options.toBuilder().build(), TlsEngine.JDK));
    assertFalse(first == TlsClient.prepare(options, TlsEngine.BORINGSSL));
    java.nio.file.Files.setLastModifiedTime(
        caPath, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    assertFalse(first == TlsClient.prepare(options, TlsEngine.JDK));
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void clientContextsForEveryCaFileKind(TlsEngine engine) throws Exception {
    for (String caFile : List.of("SYSTEM", "NONE", ca.certificatePem())) {
      TlsClient client =
          TlsClient.prepare(SocketTLSOptions.builder().caFile(caFile).build(), engine);
      assertEquals(null, client.error());
    }
    TlsClient missing =
        TlsClient.prepare(SocketTLSOptions.builder().caFile("/nope/ca.pem").build(), engine);
    assertEquals("Invalid TLS options: couldn't find ca file: /nope/ca.pem", missing.error());
    assertNotNull(missing.options());
  }
}
