package dev.ixws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketTLSOptionsTest {

  private static final String PEM =
      "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

  @Test
  void defaultsAreIxDefaults() {
    SocketTLSOptions options = SocketTLSOptions.defaults();
    assertEquals("", options.certFile());
    assertEquals("", options.keyFile());
    assertEquals("SYSTEM", options.caFile());
    assertEquals("DEFAULT", options.ciphers());
    assertFalse(options.tls());
    assertFalse(options.disableHostnameValidation());
    assertTrue(options.isValid());
    assertEquals("", options.getErrorMsg());
    assertTrue(options.isUsingSystemDefaults());
    assertTrue(options.isUsingDefaultCiphers());
    assertFalse(options.isPeerVerifyDisabled());
    assertFalse(options.isUsingInMemoryCAs());
    assertFalse(options.hasCertAndKey());
    assertEquals("", options.keyPassword());
  }

  @Test
  void theKeyPasswordIsKeptAndComparedButNeverShown() {
    SocketTLSOptions options =
        SocketTLSOptions.builder()
            .certFile("c.pem")
            .keyFile("k.pem")
            .keyPassword("hunter2")
            .build();
    assertEquals("hunter2", options.keyPassword());
    assertEquals("hunter2", options.toBuilder().build().keyPassword());
    assertNotEquals(options, options.toBuilder().keyPassword("other").build());
    assertFalse(options.toString().contains("hunter2"), options.toString());
    assertTrue(options.toString().contains("keyPassword=<set>"), options.toString());
    assertFalse(options.getDescription().contains("hunter2"), options.getDescription());
    assertFalse(SocketTLSOptions.defaults().toString().contains("keyPassword"));
    assertThrows(NullPointerException.class, () -> SocketTLSOptions.builder().keyPassword(null));
  }

  @Test
  void specialCaFileValues() {
    assertTrue(SocketTLSOptions.builder().caFile("NONE").build().isPeerVerifyDisabled());
    assertTrue(SocketTLSOptions.builder().caFile("NONE").build().isValid());
    assertTrue(SocketTLSOptions.builder().caFile("").build().isUsingSystemDefaults());
    SocketTLSOptions inMemory = SocketTLSOptions.builder().caFile(PEM).build();
    assertTrue(inMemory.isUsingInMemoryCAs());
    assertTrue(inMemory.isValid());
    assertFalse(inMemory.isUsingSystemDefaults());
  }

  @Test
  void missingFilesAreNamedInIxWords(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), PEM);
    Path key = Files.writeString(dir.resolve("key.pem"), "k");
    SocketTLSOptions noCert =
        SocketTLSOptions.builder().certFile("/nope/cert.pem").keyFile(key.toString()).build();
    assertFalse(noCert.isValid());
    assertEquals("couldn't find cert file: /nope/cert.pem", noCert.getErrorMsg());
    SocketTLSOptions noKey =
        SocketTLSOptions.builder().certFile(cert.toString()).keyFile("/nope/key.pem").build();
    assertEquals("couldn't find key file: /nope/key.pem", noKey.getErrorMsg());
    SocketTLSOptions noCa = SocketTLSOptions.builder().caFile("/nope/ca.pem").build();
    assertEquals("couldn't find ca file: /nope/ca.pem", noCa.getErrorMsg());
    SocketTLSOptions both =
        SocketTLSOptions.builder().certFile(cert.toString()).keyFile(key.toString()).build();
    assertTrue(both.isValid());
    assertTrue(both.hasCertAndKey());
  }

  @Test
  void aCertWithoutItsKeyIsInvalid() {
    SocketTLSOptions options = SocketTLSOptions.builder().certFile(PEM).build();
    assertFalse(options.isValid());
    assertEquals("a cert file needs its key file (keyFile is empty)", options.getErrorMsg());
  }

  @Test
  void descriptionNeverPrintsPemText() {
    SocketTLSOptions options =
        SocketTLSOptions.builder().certFile(PEM).keyFile("/k.pem").caFile("NONE").tls(true).build();
    String description = options.getDescription();
    assertTrue(description.startsWith("TLS Options:\n"), description);
    assertTrue(description.contains("certFile = <in-memory PEM>"), description);
    assertTrue(description.contains("keyFile  = /k.pem"), description);
    assertTrue(description.contains("caFile   = NONE"), description);
    assertTrue(description.contains("tls      = true"), description);
    assertFalse(description.contains("MIIB"), description);
    assertFalse(options.toString().contains("MIIB"));
  }

  @Test
  void valueSemanticsAndToBuilder() {
    SocketTLSOptions a =
        SocketTLSOptions.builder().tls(true).ciphers("ECDHE-RSA-AES128-GCM-SHA256").build();
    SocketTLSOptions b = a.toBuilder().build();
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, a.toBuilder().disableHostnameValidation(true).build());
    assertFalse(a.isUsingDefaultCiphers());
    assertThrows(NullPointerException.class, () -> SocketTLSOptions.builder().caFile(null));
  }
}
