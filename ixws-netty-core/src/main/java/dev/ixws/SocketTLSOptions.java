package dev.ixws;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The TLS settings of a client or server: IXWebSocket's {@code ix::SocketTLSOptions}, as an
 * immutable value made with {@link #builder()}. Pass it to {@code WebSocket.setTLSOptions} or
 * {@code WebSocketServer.setTLSOptions}; a client connecting to a {@code wss://} URL uses TLS with
 * or without it (with {@link #defaults()}), a server only when {@link #tls()} is true.
 *
 * <p>Each of {@link #certFile()}, {@link #keyFile()} and {@link #caFile()} is a file path or, when
 * it contains {@code -----BEGIN}, the PEM text itself (IX documents this for {@code caFile}; here
 * it holds for all three). {@code caFile} also takes two special values: {@link #CA_FILE_SYSTEM}
 * (the default: the JVM's trust store, as IX uses the system's) and {@link #CA_FILE_NONE} (no peer
 * verification at all: for testing connectivity only, logged as a warning once per process).
 *
 * <ul>
 *   <li>Client: the server's chain is verified against {@code caFile} and its certificate must
 *       match the URL's host (DNS names, or IP addresses against IP SANs) unless {@link
 *       #disableHostnameValidation()}; a client certificate is sent when {@code certFile} and
 *       {@code keyFile} are set.
 *   <li>Server: {@code certFile} and {@code keyFile} are required; a {@code caFile} other than
 *       {@code SYSTEM} and {@code NONE} means mutual TLS: every client must present a certificate
 *       signed by one of those roots (IX's documented behaviour).
 * </ul>
 *
 * <p>Keys may be PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) or
 * SEC1 EC ({@code BEGIN EC PRIVATE KEY}); a certificate file may hold a chain (leaf first). An
 * encrypted key ({@code BEGIN ENCRYPTED PRIVATE KEY}, or a traditional key with {@code Proc-Type:
 * 4,ENCRYPTED}) is decrypted with {@link #keyPassword()} (not in IXWebSocket), and refused with a
 * message that says to set it when it is empty. Only TLS 1.2 and 1.3 are spoken. Problems with the
 * files (missing, bad PEM, a key that does not match its certificate) are reported when the options
 * are used: as an {@code ERROR} message on a client, as a failed {@code listen()} on a server. See
 * {@code docs/tls.md}.
 *
 * <p>Immutable and thread-safe; {@link #equals} compares every field.
 */
public final class SocketTLSOptions {

  /** IX's {@code kTLSCAFileUseSystemDefaults}: verify peers against the system's trust store. */
  public static final String CA_FILE_SYSTEM = "SYSTEM";

  /** IX's {@code kTLSCAFileDisableVerify}: do not verify the peer at all (testing only). */
  public static final String CA_FILE_NONE = "NONE";

  /** IX's {@code kTLSCiphersUseDefault}: the TLS engine's own secure defaults. */
  public static final String CIPHERS_DEFAULT = "DEFAULT";

  private static final String PEM_MARKER = "-----BEGIN";
  private static final String PEM_CERTIFICATE_MARKER = "-----BEGIN CERTIFICATE-----";

  private static final SocketTLSOptions DEFAULTS = builder().build();

  private final String certFile;
  private final String keyFile;
  private final String caFile;
  private final boolean tls;
  private final String ciphers;
  private final boolean disableHostnameValidation;
  private final String keyPassword;

  private SocketTLSOptions(Builder builder) {
    this.certFile = builder.certFile;
    this.keyFile = builder.keyFile;
    this.caFile = builder.caFile;
    this.tls = builder.tls;
    this.ciphers = builder.ciphers;
    this.disableHostnameValidation = builder.disableHostnameValidation;
    this.keyPassword = builder.keyPassword;
  }

  /** IX's default options: no certificate, {@code caFile = SYSTEM}, default ciphers, tls off. */
  public static SocketTLSOptions defaults() {
    return DEFAULTS;
  }

  /** A builder holding {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to change some of them. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.certFile = certFile;
    builder.keyFile = keyFile;
    builder.caFile = caFile;
    builder.tls = tls;
    builder.ciphers = ciphers;
    builder.disableHostnameValidation = disableHostnameValidation;
    builder.keyPassword = keyPassword;
    return builder;
  }

  /** The certificate (chain) file, or its PEM text; empty when none (the default). */
  public String certFile() {
    return certFile;
  }

  /** The private key file of {@link #certFile()}, or its PEM text; empty when none. */
  public String keyFile() {
    return keyFile;
  }

  /**
   * The password of an encrypted {@link #keyFile()}; empty (the default) when the key is not
   * encrypted. Never shown by {@link #toString()} or {@link #getDescription()}. Not in IXWebSocket.
   */
  public String keyPassword() {
    return keyPassword;
  }

  /**
   * The trusted roots: {@link #CA_FILE_SYSTEM} (the default), {@link #CA_FILE_NONE}, a PEM bundle
   * file, or PEM text.
   */
  public String caFile() {
    return caFile;
  }

  /**
   * Whether a server speaks TLS (IX: "required in server mode"); false by default. A client uses
   * TLS for {@code wss://} URLs whatever this says.
   */
  public boolean tls() {
    return tls;
  }

  /**
   * The cipher suites, as an OpenSSL-style list separated by {@code :} or {@code ,} (OpenSSL or
   * Java names); {@link #CIPHERS_DEFAULT} (the default) or empty for the engine's secure defaults.
   */
  public String ciphers() {
    return ciphers;
  }

  /**
   * Whether a client skips checking that the server's certificate matches the URL's host (IX's
   * {@code disable_hostname_validation}); false by default. The chain is still verified.
   */
  public boolean disableHostnameValidation() {
    return disableHostnameValidation;
  }

  /**
   * Whether the files named exist (IX's {@code isValid()}): {@code certFile}, {@code keyFile} and a
   * {@code caFile} that is a path; and, beyond IX, whether {@code certFile} and {@code keyFile} are
   * set together. In-memory PEM text and the special values are not checked here; the content of
   * every file is checked when the options are used. Reads the file system at each call.
   */
  public boolean isValid() {
    return getErrorMsg().isEmpty();
  }

  /**
   * Why {@link #isValid()} is false, e.g. {@code "couldn't find cert file: /etc/x.pem"} (IX's
   * wording); empty when it is true.
   */
  public String getErrorMsg() {
    if (!certFile.isEmpty() && !isInMemory(certFile) && !isReadableFile(certFile)) {
      return "couldn't find cert file: " + certFile;
    }
    if (!keyFile.isEmpty() && !isInMemory(keyFile) && !isReadableFile(keyFile)) {
      return "couldn't find key file: " + keyFile;
    }
    if (!caFile.isEmpty()
        && !isPeerVerifyDisabled()
        && !isUsingSystemDefaults()
        && !isUsingInMemoryCAs()
        && !isInMemory(caFile)
        && !isReadableFile(caFile)) {
      return "couldn't find ca file: " + caFile;
    }
    if (certFile.isEmpty() != keyFile.isEmpty()) {
      return certFile.isEmpty()
          ? "a key file needs its cert file (certFile is empty)"
          : "a cert file needs its key file (keyFile is empty)";
    }
    return "";
  }

  /** Whether both {@code certFile} and {@code keyFile} are set. */
  public boolean hasCertAndKey() {
    return !certFile.isEmpty() && !keyFile.isEmpty();
  }

  /** Whether {@code caFile} is {@link #CA_FILE_SYSTEM} (or empty, which IX treats the same). */
  public boolean isUsingSystemDefaults() {
    return caFile.isEmpty() || CA_FILE_SYSTEM.equals(caFile);
  }

  /** Whether {@code caFile} holds PEM certificates in memory rather than naming a file. */
  public boolean isUsingInMemoryCAs() {
    return caFile.contains(PEM_CERTIFICATE_MARKER);
  }

  /** Whether {@code caFile} is {@link #CA_FILE_NONE}: the peer is not verified. */
  public boolean isPeerVerifyDisabled() {
    return CA_FILE_NONE.equals(caFile);
  }

  /** Whether {@code ciphers} is {@link #CIPHERS_DEFAULT} or empty. */
  public boolean isUsingDefaultCiphers() {
    return ciphers.isEmpty() || CIPHERS_DEFAULT.equals(ciphers);
  }

  /**
   * A multi-line summary for logs, as IX's {@code getDescription()}; PEM text held in memory is
   * shown as {@code <in-memory PEM>}, never printed.
   */
  public String getDescription() {
    return "TLS Options:\n"
        + "  certFile = "
        + shown(certFile)
        + "\n  keyFile  = "
        + shown(keyFile)
        + (keyPassword.isEmpty() ? "" : "\n  keyPassword = <set>")
        + "\n  caFile   = "
        + shown(caFile)
        + "\n  ciphers  = "
        + ciphers
        + "\n  tls      = "
        + tls
        + "\n  disableHostnameValidation = "
        + disableHostnameValidation
        + "\n";
  }

  private static String shown(String value) {
    return isInMemory(value) ? "<in-memory PEM>" : value;
  }

  /** Whether a certFile/keyFile/caFile value is PEM text rather than a path. */
  private static boolean isInMemory(String value) {
    return value.contains(PEM_MARKER);
  }

  private static boolean isReadableFile(String path) {
    try {
      Path p = Path.of(path);
      return Files.isRegularFile(p) && Files.isReadable(p);
    } catch (InvalidPathException e) {
      return false;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SocketTLSOptions other
        && certFile.equals(other.certFile)
        && keyFile.equals(other.keyFile)
        && caFile.equals(other.caFile)
        && tls == other.tls
        && ciphers.equals(other.ciphers)
        && disableHostnameValidation == other.disableHostnameValidation
        && keyPassword.equals(other.keyPassword);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        certFile, keyFile, caFile, tls, ciphers, disableHostnameValidation, keyPassword);
  }

  /** The description on one line, PEM text elided. */
  @Override
  public String toString() {
    return "SocketTLSOptions[certFile="
        + shown(certFile)
        + ", keyFile="
        + shown(keyFile)
        + (keyPassword.isEmpty() ? "" : ", keyPassword=<set>")
        + ", caFile="
        + shown(caFile)
        + ", tls="
        + tls
        + ", ciphers="
        + ciphers
        + ", disableHostnameValidation="
        + disableHostnameValidation
        + "]";
  }

  /**
   * Builds {@link SocketTLSOptions}; starts from IX's defaults. Not thread-safe; each {@link
   * #build()} returns a new immutable value.
   */
  public static final class Builder {
    private String certFile = "";
    private String keyFile = "";
    private String caFile = CA_FILE_SYSTEM;
    private boolean tls;
    private String ciphers = CIPHERS_DEFAULT;
    private boolean disableHostnameValidation;
    private String keyPassword = "";

    private Builder() {}

    /** The certificate (chain, leaf first) as a PEM file path or PEM text; "" for none. */
    public Builder certFile(String certFile) {
      this.certFile = Objects.requireNonNull(certFile, "certFile");
      return this;
    }

    /** The private key as a PEM file path or PEM text; "" for none. */
    public Builder keyFile(String keyFile) {
      this.keyFile = Objects.requireNonNull(keyFile, "keyFile");
      return this;
    }

    /**
     * The password of an encrypted key file; "" (the default) for an unencrypted key. Not in
     * IXWebSocket.
     */
    public Builder keyPassword(String keyPassword) {
      this.keyPassword = Objects.requireNonNull(keyPassword, "keyPassword");
      return this;
    }

    /** {@code SYSTEM} (the default), {@code NONE}, a PEM bundle path, or PEM text. */
    public Builder caFile(String caFile) {
      this.caFile = Objects.requireNonNull(caFile, "caFile");
      return this;
    }

    /** Whether a server speaks TLS; false by default. */
    public Builder tls(boolean tls) {
      this.tls = tls;
      return this;
    }

    /** The cipher suites, {@code :}- or {@code ,}-separated; {@code DEFAULT} by default. */
    public Builder ciphers(String ciphers) {
      this.ciphers = Objects.requireNonNull(ciphers, "ciphers");
      return this;
    }

    /**
     * Whether a client skips the hostname check (the chain is still verified); false by default.
     */
    public Builder disableHostnameValidation(boolean disable) {
      this.disableHostnameValidation = disable;
      return this;
    }

    /** The options. */
    public SocketTLSOptions build() {
      return new SocketTLSOptions(this);
    }
  }
}
