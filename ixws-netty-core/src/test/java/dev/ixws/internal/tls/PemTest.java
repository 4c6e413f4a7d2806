package dev.ixws.internal.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.testkit.TestCertificates;
import dev.ixws.testkit.TestCertificates.Authority;
import dev.ixws.testkit.TestCertificates.Issued;
import dev.ixws.testkit.TestCertificates.KeyFormat;
import dev.ixws.testkit.TestCertificates.KeyType;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PemTest {

  private static Authority rsaCa;
  private static Authority ecCa;

  @BeforeAll
  static void makeCertificates() {
    rsaCa = TestCertificates.authority("PEM RSA CA", KeyType.RSA);
    ecCa = TestCertificates.authority("PEM EC CA", KeyType.EC);
  }

  @ParameterizedTest
  @EnumSource(KeyFormat.class)
  void readsRsaKeysInPkcs8AndPkcs1(KeyFormat format) throws Exception {
    Issued issued = rsaCa.server(KeyType.RSA, "localhost");
    String pem = issued.keyPem(format);
    assertTrue(
        pem.contains(format == KeyFormat.PKCS8 ? "BEGIN PRIVATE KEY" : "BEGIN RSA PRIVATE KEY"),
        pem);
    PrivateKey key = Pem.readPrivateKey(pem, "key file");
    assertEquals("RSA", key.getAlgorithm());
    assertArrayEquals(issued.key().getEncoded(), key.getEncoded());
  }

  @ParameterizedTest
  @EnumSource(KeyFormat.class)
  void readsEcKeysInPkcs8AndSec1(KeyFormat format) throws Exception {
    Issued issued = ecCa.server(KeyType.EC, "localhost");
    String pem = issued.keyPem(format);
    assertTrue(
        pem.contains(format == KeyFormat.PKCS8 ? "BEGIN PRIVATE KEY" : "BEGIN EC PRIVATE KEY"),
        pem);
    PrivateKey key = Pem.readPrivateKey(pem, "key file");
    assertEquals("EC", key.getAlgorithm());
    // The SEC1 form carries the public key too, so compare the private values.
    assertEquals(
        ((java.security.interfaces.ECPrivateKey) issued.key()).getS(),
        ((java.security.interfaces.ECPrivateKey) key).getS());
  }

  @Test
  void readsSec1EcKeysWrittenWithoutTheirCurve() throws Exception {
    Issued issued = ecCa.server(KeyType.EC, "localhost");
    // The JDK's PKCS#8 of an EC key holds SEC1 without [0] parameters: take that inner key alone.
    byte[] pkcs8 = issued.key().getEncoded();
    byte[] sec1 =
        org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(pkcs8)
            .parsePrivateKey()
            .toASN1Primitive()
            .getEncoded();
    String pem =
        "-----BEGIN EC PRIVATE KEY-----\n"
            + java.util.Base64.getMimeEncoder().encodeToString(sec1)
            + "\n-----END EC PRIVATE KEY-----\n";
    PrivateKey key = Pem.readPrivateKey(pem, "key file");
    assertEquals(
        ((java.security.interfaces.ECPrivateKey) issued.key()).getS(),
        ((java.security.interfaces.ECPrivateKey) key).getS());
  }

  @Test
  void readsAChainFromAFileInOrder(@TempDir Path dir) throws Exception {
    Issued issued = rsaCa.server(KeyType.EC, "localhost");
    Path file = issued.writeChain(dir, "chain.pem");
    List<X509Certificate> chain = Pem.readCertificates(file.toString(), "cert file");
    assertEquals(List.of(issued.certificate(), rsaCa.certificate()), chain);
  }

  @Test
  void ignoresTextAroundTheBlocks() throws Exception {
    String pem = "Bag Attributes\n  friendlyName: x\n" + rsaCa.certificatePem() + "trailing\n";
    assertEquals(List.of(rsaCa.certificate()), Pem.readCertificates(pem, "ca file"));
  }

  @Test
  void aMissingFileSaysSo() {
    TlsConfigException e =
        assertThrows(
            TlsConfigException.class, () -> Pem.readCertificates("/nope/c.pem", "cert file"));
    assertEquals("couldn't find cert file: /nope/c.pem", e.getMessage());
  }

  @Test
  void pemWithoutACertificateSaysSo(@TempDir Path dir) throws Exception {
    Path file = rsaCa.server(KeyType.RSA, "localhost").writeKey(dir, "k.pem", KeyFormat.PKCS8);
    TlsConfigException e =
        assertThrows(
            TlsConfigException.class, () -> Pem.readCertificates(file.toString(), "cert file"));
    assertEquals(
        "cert file " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
        e.getMessage());
  }

  @Test
  void aCorruptCertificateSaysSo() {
    String pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    TlsConfigException e =
        assertThrows(TlsConfigException.class, () -> Pem.readCertificates(pem, "ca file"));
    assertTrue(
        e.getMessage().startsWith("the in-memory ca file PEM holds an invalid certificate"),
        e.getMessage());
  }

  @Test
  void encryptedKeysWithoutAPasswordAreRefusedWithAMessageThatSaysSo() {
    String pkcs8 =
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
    String traditional =
        "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n"
            + "-----END RSA PRIVATE KEY-----\n";
    for (String pem : List.of(pkcs8, traditional)) {
      TlsConfigException e =
          assertThrows(TlsConfigException.class, () -> Pem.readPrivateKey(pem, "key file"));
      assertTrue(
          e.getMessage().contains("holds an encrypted private key and no keyPassword is set"),
          e.getMessage());
    }
  }

  /** The ways openssl 3 encrypts a key: each decrypts with the password, and only with it. */
  static List<List<String>> opensslEncryptions() {
    return List.of(
        List.of("pkcs8", "-topk8"), // PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC: openssl 3's default
        List.of("pkcs8", "-topk8", "-v1", "PBE-SHA1-3DES"),
        List.of("pkey", "-traditional", "-aes256"),
        List.of("pkey", "-traditional", "-aes128"),
        List.of("pkey", "-traditional", "-des3"));
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("opensslEncryptions")
  void keysEncryptedByOpensslAreDecryptedWithTheirPassword(List<String> how, @TempDir Path dir)
      throws Exception {
    for (KeyType type : KeyType.values()) {
      Issued issued = rsaCa.server(type, "localhost");
      Path plain = issued.writeKey(dir, "plain-" + type + ".key", KeyFormat.PKCS8);
      Path encrypted = dir.resolve("enc-" + type + ".key");
      List<String> command = new java.util.ArrayList<>();
      command.add("openssl");
      command.addAll(how);
      command.addAll(
          List.of(
              "-in", plain.toString(), "-out", encrypted.toString(), "-passout", "pass:s3cret"));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes());
      assertEquals(0, process.waitFor(), command + ": " + out);
      String pem = java.nio.file.Files.readString(encrypted);
      assertTrue(pem.contains("ENCRYPTED"), pem);
      PrivateKey key = Pem.readPrivateKey(encrypted.toString(), "key file", "s3cret");
      assertEquals(issued.key().getAlgorithm(), key.getAlgorithm());
      if (type == KeyType.EC) {
        assertEquals(
            ((java.security.interfaces.ECPrivateKey) issued.key()).getS(),
            ((java.security.interfaces.ECPrivateKey) key).getS());
      } else {
        assertArrayEquals(issued.key().getEncoded(), key.getEncoded());
      }
      TlsConfigException wrong =
          assertThrows(
              TlsConfigException.class,
              () -> Pem.readPrivateKey(encrypted.toString(), "key file", "not it"));
      assertTrue(
          wrong.getMessage().contains("with the keyPassword given: wrong password?"),
          wrong.getMessage());
      TlsConfigException none =
          assertThrows(
              TlsConfigException.class, () -> Pem.readPrivateKey(encrypted.toString(), "key file"));
      assertTrue(none.getMessage().contains("no keyPassword is set"), none.getMessage());
    }
  }

  @Test
  void bytesToKeyMatchesOpenssl() {
    // What "openssl enc -aes-128-cbc -pass pass:password -S 0102030405060708 -P -md md5" prints.
    byte[] key =
        Pem.bytesToKey(
            "password".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            new byte[] {1, 2, 3, 4, 5, 6, 7, 8},
            16);
    assertEquals(OPENSSL_KEY, java.util.HexFormat.of().withUpperCase().formatHex(key));
  }

  private static final String OPENSSL_KEY = "E7B0971E52CA5CC8D0539FB3412F6316";

  @Test
  void aCertificateIsNotAKey() {
    TlsConfigException e =
        assertThrows(
            TlsConfigException.class, () -> Pem.readPrivateKey(rsaCa.certificatePem(), "key file"));
    assertTrue(e.getMessage().contains("holds no PEM private key"), e.getMessage());
  }

  @Test
  void garbageKeySaysItIsNotAValidKey() {
    String pem = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    TlsConfigException e =
        assertThrows(TlsConfigException.class, () -> Pem.readPrivateKey(pem, "key file"));
    assertEquals(
        "the in-memory key file PEM holds a private key that is not valid RSA, EC or EdDSA PKCS#8",
        e.getMessage());
  }
}
