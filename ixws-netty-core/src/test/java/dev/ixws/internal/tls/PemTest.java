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
  void encryptedKeysAreRefusedWithAMessageThatSaysSo() {
    String pkcs8 =
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
    String traditional =
        "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n"
            + "-----END RSA PRIVATE KEY-----\n";
    for (String pem : List.of(pkcs8, traditional)) {
      TlsConfigException e =
          assertThrows(TlsConfigException.class, () -> Pem.readPrivateKey(pem, "key file"));
      assertTrue(
          e.getMessage().contains("encrypted private key, which is not supported"), e.getMessage());
    }
  }

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
