package dev.ixws.internal.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads the certificates and private keys of {@code SocketTLSOptions}: from a file, or from the
 * value itself when it contains {@code -----BEGIN}. With the JDK alone (no BouncyCastle): PKCS#8
 * keys ({@code PRIVATE KEY}: RSA, EC, Ed25519, RSASSA-PSS) directly, and the traditional OpenSSL
 * forms, PKCS#1 RSA ({@code RSA PRIVATE KEY}) and SEC1 EC ({@code EC PRIVATE KEY}), by wrapping
 * their DER in the PKCS#8 structure that carries them (RFC 5208 section 5, RFC 5915 section 3).
 * Encrypted keys are decrypted with the options' {@code keyPassword}: PKCS#8 {@code ENCRYPTED
 * PRIVATE KEY} (PBES2 with PBKDF2 and AES, OpenSSL 3's default, or the older PKCS#12 PBE schemes
 * the JDK knows) and traditional PEM with {@code Proc-Type: 4,ENCRYPTED} ({@code DEK-Info} AES-CBC
 * or DES-EDE3-CBC, the key derived as OpenSSL's {@code EVP_BytesToKey} with MD5); without a
 * password they are refused with a message that says to set one. Stateless.
 */
public final class Pem {

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);
  private static final String MARKER = "-----BEGIN";

  // DER of the AlgorithmIdentifier OIDs: rsaEncryption (1.2.840.113549.1.1.1) and
  // id-ecPublicKey (1.2.840.10045.2.1).
  private static final byte[] RSA_ENCRYPTION_OID = {
    0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01
  };
  private static final byte[] EC_PUBLIC_KEY_OID = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };
  private static final String[] PKCS8_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"};

  private Pem() {}

  /** A PEM block: its label ({@code CERTIFICATE}, {@code PRIVATE KEY}...) and decoded bytes. */
  record Block(String label, byte[] der, String headers) {}

  /** Whether {@code value} is PEM text rather than a path. */
  public static boolean isInMemory(String value) {
    return value.contains(MARKER);
  }

  /**
   * The certificates in {@code value} (a path or PEM text), in file order.
   *
   * @param what names the value in messages, e.g. "cert file" or "ca file"
   * @throws TlsConfigException when it cannot be read or holds no valid certificate
   */
  public static List<X509Certificate> readCertificates(String value, String what)
      throws TlsConfigException {
    String source = describe(value, what);
    List<X509Certificate> certificates = new ArrayList<>();
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new TlsConfigException("X.509 is not available in this JVM: " + e.getMessage(), e);
    }
    for (Block block : blocks(text(value, what, source))) {
      if (!block.label().equals("CERTIFICATE")) {
        continue;
      }
      try {
        certificates.add(
            (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
      } catch (CertificateException e) {
        throw new TlsConfigException(
            source + " holds an invalid certificate: " + e.getMessage(), e);
      }
    }
    if (certificates.isEmpty()) {
      throw new TlsConfigException(
          source + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return List.copyOf(certificates);
  }

  /**
   * The unencrypted private key in {@code value} (a path or PEM text): the first key block found.
   *
   * @throws TlsConfigException when it cannot be read, holds no key, or the key is encrypted
   */
  public static PrivateKey readPrivateKey(String value, String what) throws TlsConfigException {
    return readPrivateKey(value, what, "");
  }

  /**
   * The private key in {@code value} (a path or PEM text): the first key block found, decrypted
   * with {@code password} when it is encrypted.
   *
   * @param password the key's password; empty when the key is not encrypted
   * @throws TlsConfigException when it cannot be read, holds no key, is encrypted and no password
   *     is given, or cannot be decrypted with the password
   */
  public static PrivateKey readPrivateKey(String value, String what, String password)
      throws TlsConfigException {
    String source = describe(value, what);
    for (Block block : blocks(text(value, what, source))) {
      switch (block.label()) {
        case "PRIVATE KEY":
          return pkcs8(block.der(), source);
        case "RSA PRIVATE KEY":
          return pkcs8(wrapPkcs1Rsa(traditional(block, source, password)), source);
        case "EC PRIVATE KEY":
          return pkcs8(wrapSec1Ec(traditional(block, source, password), source), source);
        case "ENCRYPTED PRIVATE KEY":
          return pkcs8(decryptPkcs8(block.der(), source, password), source);
        default:
          // EC PARAMETERS, CERTIFICATE...: not the key.
      }
    }
    throw new TlsConfigException(
        source
            + " holds no PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or"
            + " EC PRIVATE KEY)");
  }

  private static TlsConfigException needsPassword(String source) {
    return new TlsConfigException(
        source
            + " holds an encrypted private key and no keyPassword is set: set keyPassword, or"
            + " decrypt the key first (openssl pkey -in KEY -out PLAIN_KEY)");
  }

  private static TlsConfigException wrongPassword(String source, Exception cause) {
    return new TlsConfigException(
        "cannot decrypt the encrypted private key of "
            + source
            + " with the keyPassword given: wrong password?",
        cause);
  }

  /** The DER of a traditional key block, decrypted when its headers say it is encrypted. */
  private static byte[] traditional(Block block, String source, String password)
      throws TlsConfigException {
    if (!block.headers().contains("ENCRYPTED")) {
      return block.der();
    }
    if (password.isEmpty()) {
      throw needsPassword(source);
    }
    Matcher dek =
        Pattern.compile("DEK-Info:\\s*([A-Za-z0-9-]+)\\s*,\\s*([0-9A-Fa-f]+)")
            .matcher(block.headers());
    if (!dek.find()) {
      throw new TlsConfigException(source + " holds an encrypted key without a DEK-Info header");
    }
    String name = dek.group(1).toUpperCase(java.util.Locale.ROOT);
    String transformation;
    String keyAlgorithm;
    int keyBytes;
    switch (name) {
      case "AES-128-CBC" -> {
        transformation = "AES/CBC/PKCS5Padding";
        keyAlgorithm = "AES";
        keyBytes = 16;
      }
      case "AES-192-CBC" -> {
        transformation = "AES/CBC/PKCS5Padding";
        keyAlgorithm = "AES";
        keyBytes = 24;
      }
      case "AES-256-CBC" -> {
        transformation = "AES/CBC/PKCS5Padding";
        keyAlgorithm = "AES";
        keyBytes = 32;
      }
      case "DES-EDE3-CBC" -> {
        transformation = "DESede/CBC/PKCS5Padding";
        keyAlgorithm = "DESede";
        keyBytes = 24;
      }
      default ->
          throw new TlsConfigException(
              source
                  + " is encrypted with "
                  + name
                  + ", which is not supported (AES-128/192/256-CBC and DES-EDE3-CBC are): convert"
                  + " it with openssl pkcs8 -topk8 -in KEY -out NEW_KEY");
    }
    byte[] iv;
    try {
      iv = java.util.HexFormat.of().parseHex(dek.group(2));
    } catch (IllegalArgumentException e) {
      throw new TlsConfigException(source + " has an invalid DEK-Info IV", e);
    }
    if (iv.length < 8) {
      throw new TlsConfigException(source + " has an invalid DEK-Info IV");
    }
    byte[] key =
        bytesToKey(password.getBytes(StandardCharsets.UTF_8), Arrays.copyOf(iv, 8), keyBytes);
    try {
      Cipher cipher = Cipher.getInstance(transformation);
      cipher.init(
          Cipher.DECRYPT_MODE, new SecretKeySpec(key, keyAlgorithm), new IvParameterSpec(iv));
      byte[] plain = cipher.doFinal(block.der());
      requireSequence(plain, source, null);
      return plain;
    } catch (GeneralSecurityException e) {
      throw wrongPassword(source, e);
    }
  }

  /**
   * OpenSSL's {@code EVP_BytesToKey} with MD5 and one iteration, as traditional PEM encryption
   * derives its key: D_i = MD5(D_(i-1) || password || salt), concatenated.
   */
  static byte[] bytesToKey(byte[] password, byte[] salt, int length) {
    MessageDigest md5;
    try {
      md5 = MessageDigest.getInstance("MD5");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("MD5 is not available", e);
    }
    byte[] key = new byte[length];
    byte[] previous = new byte[0];
    int filled = 0;
    while (filled < length) {
      md5.update(previous);
      md5.update(password);
      md5.update(salt);
      previous = md5.digest();
      int n = Math.min(previous.length, length - filled);
      System.arraycopy(previous, 0, key, filled, n);
      filled += n;
    }
    return key;
  }

  /** The PrivateKeyInfo inside an EncryptedPrivateKeyInfo (RFC 5208 section 6, RFC 8018). */
  private static byte[] decryptPkcs8(byte[] der, String source, String password)
      throws TlsConfigException {
    if (password.isEmpty()) {
      throw needsPassword(source);
    }
    EncryptedPrivateKeyInfo info;
    try {
      info = new EncryptedPrivateKeyInfo(der);
    } catch (IOException e) {
      throw new TlsConfigException(source + " holds an invalid encrypted private key", e);
    }
    // For PBES2 the JDK names the scheme by its parameters, e.g. PBEWithHmacSHA256AndAES_256.
    String scheme = info.getAlgName();
    if ((scheme.equalsIgnoreCase("PBES2") || scheme.equals("1.2.840.113549.1.5.13"))
        && info.getAlgParameters() != null) {
      scheme = info.getAlgParameters().toString();
    }
    Cipher cipher;
    javax.crypto.SecretKey key;
    try {
      SecretKeyFactory factory = SecretKeyFactory.getInstance(scheme);
      key = factory.generateSecret(new PBEKeySpec(password.toCharArray()));
      cipher = Cipher.getInstance(scheme);
    } catch (GeneralSecurityException e) {
      throw new TlsConfigException(
          source
              + " is encrypted with "
              + scheme
              + ", which this JVM cannot decrypt: convert it with openssl pkcs8 -topk8 -v2"
              + " aes-256-cbc -in KEY -out NEW_KEY",
          e);
    }
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, info.getAlgParameters());
      byte[] plain = info.getKeySpec(cipher).getEncoded();
      requireSequence(plain, source, null);
      return plain;
    } catch (GeneralSecurityException e) {
      throw wrongPassword(source, e);
    }
  }

  /** A wrong password that happens to unpad cleanly still yields no DER SEQUENCE: say so. */
  private static void requireSequence(byte[] plain, String source, Exception cause)
      throws TlsConfigException {
    try {
      Der outer = new Der(plain, 0);
      if (outer.tag != 0x30 || outer.end != plain.length) {
        throw wrongPassword(source, cause);
      }
    } catch (IOException | ArrayIndexOutOfBoundsException e) {
      throw wrongPassword(source, e);
    }
  }

  private static PrivateKey pkcs8(byte[] der, String source) throws TlsConfigException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : PKCS8_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        // Not this algorithm: try the next.
      }
    }
    throw new TlsConfigException(
        source + " holds a private key that is not valid RSA, EC or EdDSA PKCS#8");
  }

  /** PKCS#1 RSAPrivateKey into PrivateKeyInfo (RFC 5208 section 5, RFC 8017 appendix A.1.2). */
  static byte[] wrapPkcs1Rsa(byte[] pkcs1) {
    byte[] algorithm = sequence(RSA_ENCRYPTION_OID, new byte[] {0x05, 0x00});
    return sequence(new byte[] {0x02, 0x01, 0x00}, algorithm, tlv(0x04, pkcs1));
  }

  /**
   * SEC1 ECPrivateKey (RFC 5915 section 3) into PrivateKeyInfo (RFC 5915 section 2): the curve's
   * OID comes from the key's own {@code [0] parameters}.
   */
  static byte[] wrapSec1Ec(byte[] sec1, String source) throws TlsConfigException {
    byte[] curve = null;
    int privateKeyLength = 0;
    try {
      Der outer = new Der(sec1, 0);
      if (outer.tag != 0x30) {
        throw new IOException("not a SEQUENCE");
      }
      int at = outer.valueStart;
      while (at < outer.end) {
        Der field = new Der(sec1, at);
        if (field.tag == 0x04) {
          privateKeyLength = field.end - field.valueStart;
        }
        if (field.tag == (byte) 0xa0) {
          Der oid = new Der(sec1, field.valueStart);
          curve = Arrays.copyOfRange(sec1, oid.start, oid.end);
        }
        at = field.end;
      }
    } catch (IOException | ArrayIndexOutOfBoundsException e) {
      throw new TlsConfigException(source + " holds an invalid EC private key", e);
    }
    if (curve == null) {
      // Keys written without their parameters: the NIST curve TLS uses with that key size. The
      // key-matches-certificate check catches a wrong guess.
      curve =
          switch (privateKeyLength) {
            case 32 ->
                new byte[] {
                  0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07
                };
            case 48 -> new byte[] {0x06, 0x05, 0x2b, (byte) 0x81, 0x04, 0x00, 0x22};
            case 66 -> new byte[] {0x06, 0x05, 0x2b, (byte) 0x81, 0x04, 0x00, 0x23};
            default -> null;
          };
    }
    if (curve == null) {
      throw new TlsConfigException(
          source
              + " holds an EC private key without its curve; convert it to PKCS#8"
              + " (openssl pkcs8 -topk8 -nocrypt)");
    }
    byte[] algorithm = sequence(EC_PUBLIC_KEY_OID, curve);
    return sequence(new byte[] {0x02, 0x01, 0x00}, algorithm, tlv(0x04, sec1));
  }

  /** One DER element: tag, where its value starts, where it ends. */
  private static final class Der {
    final byte tag;
    final int start;
    final int valueStart;
    final int end;

    Der(byte[] der, int at) throws IOException {
      start = at;
      tag = der[at++];
      int length = der[at++] & 0xff;
      if (length >= 0x80) {
        int count = length & 0x7f;
        if (count < 1 || count > 3) {
          throw new IOException("bad DER length");
        }
        length = 0;
        for (int i = 0; i < count; i++) {
          length = (length << 8) | (der[at++] & 0xff);
        }
      }
      valueStart = at;
      end = at + length;
      if (end > der.length) {
        throw new IOException("truncated DER");
      }
    }
  }

  private static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      content.writeBytes(part);
    }
    return tlv(0x30, content.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
    out.write(tag);
    int length = value.length;
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else if (length < 0x10000) {
      out.write(0x82);
      out.write(length >>> 8);
      out.write(length);
    } else {
      out.write(0x83);
      out.write(length >>> 16);
      out.write(length >>> 8);
      out.write(length);
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  static List<Block> blocks(String text) {
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String body = m.group(2);
      // RFC 1421 headers (Proc-Type, DEK-Info) of traditional encrypted keys end at a blank line.
      String headers = "";
      int colon = body.indexOf(':');
      if (colon >= 0) {
        int blank = body.indexOf("\n\n", colon);
        if (blank < 0) {
          blank = body.indexOf("\r\n\r\n", colon);
        }
        headers = blank < 0 ? body : body.substring(0, blank);
        body = blank < 0 ? "" : body.substring(blank);
      }
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(body.strip());
      } catch (IllegalArgumentException e) {
        der = new byte[0];
      }
      blocks.add(new Block(m.group(1), der, headers));
    }
    return blocks;
  }

  private static String describe(String value, String what) {
    return isInMemory(value) ? "the in-memory " + what + " PEM" : what + " " + value;
  }

  private static String text(String value, String what, String source) throws TlsConfigException {
    if (isInMemory(value)) {
      return value;
    }
    try {
      return Files.readString(Path.of(value), StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new TlsConfigException("couldn't find " + what + ": " + value, e);
    } catch (IOException | InvalidPathException e) {
      throw new TlsConfigException("cannot read " + source + ": " + e.getMessage(), e);
    }
  }
}
