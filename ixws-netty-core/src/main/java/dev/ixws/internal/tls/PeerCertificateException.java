package dev.ixws.internal.tls;

import java.security.cert.CertificateException;

/**
 * Why a peer's certificate was refused, in words a person can act on ("certificate for localhost
 * does not match host 127.0.0.2"). Thrown by {@link PeerVerifier} into the TLS engine, which fails
 * the handshake with it as the cause; {@link TlsFailures} finds it again to report the reason, the
 * same with both engines.
 */
public final class PeerCertificateException extends CertificateException {
  private static final long serialVersionUID = 1L;

  PeerCertificateException(String message) {
    super(message);
  }

  PeerCertificateException(String message, Throwable cause) {
    super(message, cause);
  }
}
