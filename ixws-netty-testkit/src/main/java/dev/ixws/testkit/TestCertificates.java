package dev.ixws.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made at test time with BouncyCastle, never checked in: a CA ({@link #authority}),
 * server and client certificates it issues (valid, expired, not yet valid, for another host), RSA
 * or EC keys, written as PEM text or files in PKCS#8 or the traditional OpenSSL forms (PKCS#1 RSA,
 * SEC1 EC). Certificates default to valid from one hour ago for one day. Thread-safe.
 */
public final class TestCertificates {

  /** The key algorithm of a certificate. */
  public enum KeyType {
    /** RSA 2048. */
    RSA,
    /** EC P-256. */
    EC
  }

  /** How a private key is written. */
  public enum KeyFormat {
    /** {@code -----BEGIN PRIVATE KEY-----} (PKCS#8). */
    PKCS8,
    /** {@code RSA PRIVATE KEY} (PKCS#1) or {@code EC PRIVATE KEY} (SEC1). */
    TRADITIONAL
  }

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private TestCertificates() {}

  /** A new self-signed certificate authority named {@code CN=commonName}. */
  public static Authority authority(String commonName, KeyType type) {
    KeyPair keys = generate(type);
    X500Name name = new X500Name("CN=" + commonName);
    Instant now = Instant.now();
    try {
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              name,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(30))),
              name,
              keys.getPublic());
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(
              Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(
              Extension.subjectKeyIdentifier,
              false,
              utils.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate certificate = sign(builder, keys.getPrivate());
      return new Authority(new Issued(certificate, keys.getPrivate(), List.of(certificate)));
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make a test CA", e);
    }
  }

  /** A certificate authority: issues certificates signed by its key. */
  public static final class Authority {
    private final Issued self;

    private Authority(Issued self) {
      this.self = self;
    }

    /** The CA's own certificate (the root to trust). */
    public X509Certificate certificate() {
      return self.certificate();
    }

    /** The CA's certificate as PEM text: a {@code caFile} value. */
    public String certificatePem() {
      return self.certificatePem();
    }

    /** Writes {@link #certificatePem()} to {@code dir/name} and returns the path. */
    public Path writeCertificate(Path dir, String name) {
      return write(dir.resolve(name), certificatePem());
    }

    /**
     * A server certificate for {@code names} (host names and IP addresses, as subject alternative
     * names; the first is also the common name), valid now.
     */
    public Issued server(KeyType type, String... names) {
      Instant now = Instant.now();
      return issue(
          names[0],
          type,
          List.of(names),
          now.minus(Duration.ofHours(1)),
          now.plus(Duration.ofDays(1)),
          false);
    }

    /** A client certificate for {@code CN=commonName}, valid now. */
    public Issued client(KeyType type, String commonName) {
      Instant now = Instant.now();
      return issue(
          commonName,
          type,
          List.of(),
          now.minus(Duration.ofHours(1)),
          now.plus(Duration.ofDays(1)),
          true);
    }

    /** A server certificate for {@code names} that expired an hour ago. */
    public Issued expiredServer(KeyType type, String... names) {
      Instant now = Instant.now();
      return issue(
          names[0],
          type,
          List.of(names),
          now.minus(Duration.ofDays(2)),
          now.minus(Duration.ofHours(1)),
          false);
    }

    /** A server certificate for {@code names} valid only from tomorrow. */
    public Issued futureServer(KeyType type, String... names) {
      Instant now = Instant.now();
      return issue(
          names[0],
          type,
          List.of(names),
          now.plus(Duration.ofDays(1)),
          now.plus(Duration.ofDays(2)),
          false);
    }

    /**
     * A certificate for {@code CN=commonName} with {@code names} as SANs (IP addresses detected),
     * valid from {@code notBefore} to {@code notAfter}, for TLS clients or servers.
     */
    public Issued issue(
        String commonName,
        KeyType type,
        List<String> names,
        Instant notBefore,
        Instant notAfter,
        boolean forClient) {
      KeyPair keys = generate(type);
      try {
        X509v3CertificateBuilder builder =
            new JcaX509v3CertificateBuilder(
                self.certificate(),
                BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(notBefore),
                Date.from(notAfter),
                new javax.security.auth.x500.X500Principal("CN=" + commonName),
                keys.getPublic());
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        builder
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
            .addExtension(
                Extension.keyUsage,
                true,
                new KeyUsage(
                    type == KeyType.RSA
                        ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                        : KeyUsage.digitalSignature))
            .addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(
                    forClient ? KeyPurposeId.id_kp_clientAuth : KeyPurposeId.id_kp_serverAuth))
            .addExtension(
                Extension.subjectKeyIdentifier,
                false,
                utils.createSubjectKeyIdentifier(keys.getPublic()))
            .addExtension(
                Extension.authorityKeyIdentifier,
                false,
                utils.createAuthorityKeyIdentifier(self.certificate()));
        if (!names.isEmpty()) {
          List<GeneralName> sans = new ArrayList<>();
          for (String name : names) {
            sans.add(
                isIp(name)
                    ? new GeneralName(GeneralName.iPAddress, name)
                    : new GeneralName(GeneralName.dNSName, name));
          }
          builder.addExtension(
              Extension.subjectAlternativeName,
              false,
              new GeneralNames(sans.toArray(GeneralName[]::new)));
        }
        X509Certificate certificate = sign(builder, self.key());
        return new Issued(certificate, keys.getPrivate(), List.of(certificate, self.certificate()));
      } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
        throw new IllegalStateException("cannot issue a test certificate", e);
      }
    }
  }

  /**
   * An issued certificate, its private key and its chain (leaf first, then the CA).
   *
   * @param chain the leaf and the CA's certificate
   */
  public record Issued(X509Certificate certificate, PrivateKey key, List<X509Certificate> chain) {

    /** The leaf certificate as PEM. */
    public String certificatePem() {
      return pem(List.of(certificate));
    }

    /** The chain (leaf, then CA) as one PEM text. */
    public String chainPem() {
      return pem(chain);
    }

    /** The private key as PEM in {@code format}. */
    public String keyPem(KeyFormat format) {
      if (format == KeyFormat.PKCS8) {
        return "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
      }
      if (key.getAlgorithm().equals("EC")) {
        // As OpenSSL writes it: SEC1 with the curve's OID in [0] parameters (RFC 5915 section 3).
        try {
          PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
          org.bouncycastle.asn1.sec.ECPrivateKey inner =
              org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
          org.bouncycastle.asn1.sec.ECPrivateKey sec1 =
              new org.bouncycastle.asn1.sec.ECPrivateKey(
                  256,
                  inner.getKey(),
                  inner.getPublicKey() == null
                      ? null
                      : new DERBitString(inner.getPublicKey().getBytes()),
                  info.getPrivateKeyAlgorithm().getParameters());
          return "-----BEGIN EC PRIVATE KEY-----\n"
              + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(sec1.getEncoded())
              + "\n-----END EC PRIVATE KEY-----\n";
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      StringWriter out = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
        writer.writeObject(key); // BouncyCastle writes an RSA key as PKCS#1
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toString();
    }

    /** The private key as PKCS#8 PEM. */
    public String keyPem() {
      return keyPem(KeyFormat.PKCS8);
    }

    /** Writes the leaf certificate to {@code dir/name}. */
    public Path writeCertificate(Path dir, String name) {
      return write(dir.resolve(name), certificatePem());
    }

    /** Writes the chain to {@code dir/name}. */
    public Path writeChain(Path dir, String name) {
      return write(dir.resolve(name), chainPem());
    }

    /** Writes the key in {@code format} to {@code dir/name}. */
    public Path writeKey(Path dir, String name, KeyFormat format) {
      return write(dir.resolve(name), keyPem(format));
    }

    /** The subject's public key. */
    public PublicKey publicKey() {
      return certificate.getPublicKey();
    }
  }

  /**
   * A JDK client {@link SSLContext} that trusts {@code authority} (and nothing else), for raw TLS
   * test clients; it presents {@code identity} when not null.
   */
  public static SSLContext clientContext(Authority authority, Issued identity) {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("ca", authority.certificate());
      TrustManagerFactory trustManagers =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trust);
      KeyManager[] keyManagers = null;
      if (identity != null) {
        KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
        keys.load(null, null);
        char[] password = "test".toCharArray();
        keys.setKeyEntry(
            "identity", identity.key(), password, identity.chain().toArray(X509Certificate[]::new));
        KeyManagerFactory factory =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, password);
        keyManagers = factory.getKeyManagers();
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers, trustManagers.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a test TLS context", e);
    }
  }

  private static Path write(Path path, String text) {
    try {
      return Files.writeString(path, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String pem(List<X509Certificate> certificates) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      for (X509Certificate certificate : certificates) {
        writer.writeObject(certificate);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static boolean isIp(String name) {
    return name.contains(":") || name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  private static KeyPair generate(KeyType type) {
    try {
      KeyPairGenerator generator;
      if (type == KeyType.RSA) {
        generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
      } else {
        generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a " + type + " key", e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws OperatorCreationException, GeneralSecurityException {
    String algorithm = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    ContentSigner contentSigner = new JcaContentSignerBuilder(algorithm).build(signer);
    return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
  }
}
