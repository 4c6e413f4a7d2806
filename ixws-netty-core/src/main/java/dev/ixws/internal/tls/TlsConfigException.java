package dev.ixws.internal.tls;

/**
 * TLS settings that cannot be used: a missing or unreadable file, PEM that holds no certificate or
 * key, a key that does not match its certificate, ciphers the engine does not know. The message is
 * for a person ("cannot read key file /etc/k.pem: ..."); it becomes a client's {@code ERROR} reason
 * or a server's failed {@code listen()}.
 */
public final class TlsConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A problem described by {@code message}. */
  public TlsConfigException(String message) {
    super(message);
  }

  /** A problem described by {@code message}, caused by {@code cause}. */
  public TlsConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
