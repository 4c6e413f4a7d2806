package dev.ixws.internal.tls;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Why a TLS connection failed, in words: the reason a {@link PeerVerifier} gave, or the TLS alert
 * the peer sent, or the peer not speaking TLS at all; the same text whichever engine failed.
 * Stateless.
 */
public final class TlsFailures {

  private TlsFailures() {}

  /** Whether {@code cause} (or one of its causes) is a TLS failure. */
  public static boolean isTls(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SSLException || t instanceof PeerCertificateException) {
        return true;
      }
    }
    return false;
  }

  /**
   * A readable reason for {@code cause}: "certificate for localhost does not match host 127.0.0.2",
   * "the peer does not speak TLS", "the peer refused our certificate (alert: unknown_ca)"... Falls
   * back to the most specific message of the cause chain.
   */
  public static String describe(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof PeerCertificateException) {
        return t.getMessage();
      }
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof NotSslRecordException) {
        return "the peer does not speak TLS (it sent plain data)";
      }
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      String alert = alert(t.getMessage());
      if (alert != null) {
        return alertReason(alert);
      }
    }
    Throwable deepest = cause;
    while (deepest instanceof DecoderException && deepest.getCause() != null) {
      deepest = deepest.getCause();
    }
    String message = deepest.getMessage();
    if (deepest instanceof SSLHandshakeException && message != null) {
      return "TLS handshake failed: " + message;
    }
    return message == null ? deepest.toString() : message;
  }

  /**
   * The TLS alert name in an engine's message, normalized: the JDK says "Received fatal alert:
   * unknown_ca", BoringSSL "...:TLSV1_ALERT_UNKNOWN_CA" or "SSLV3_ALERT_BAD_CERTIFICATE".
   */
  static String alert(String message) {
    if (message == null) {
      return null;
    }
    String lower = message.toLowerCase(Locale.ROOT);
    int jdk = lower.indexOf("received fatal alert: ");
    if (jdk >= 0) {
      return lower.substring(jdk + "received fatal alert: ".length()).trim();
    }
    for (String prefix : new String[] {"tlsv1_alert_", "sslv3_alert_", "tlsv13_alert_"}) {
      int at = lower.indexOf(prefix);
      if (at >= 0) {
        String rest = lower.substring(at + prefix.length());
        int end = 0;
        while (end < rest.length()
            && (Character.isLetterOrDigit(rest.charAt(end)) || rest.charAt(end) == '_')) {
          end++;
        }
        return rest.substring(0, end);
      }
    }
    return null;
  }

  private static String alertReason(String alert) {
    return switch (alert) {
      case "certificate_required" ->
          "the peer requires a client certificate (set certFile and keyFile)"
              + " (alert: certificate_required)";
      case "unknown_ca", "bad_certificate", "certificate_unknown", "unsupported_certificate" ->
          "the peer refused our certificate (alert: " + alert + ")";
      case "certificate_expired" -> "the peer says our certificate expired (alert: " + alert + ")";
      case "certificate_revoked" ->
          "the peer says our certificate is revoked (alert: " + alert + ")";
      case "protocol_version" ->
          "the peer speaks no TLS version we accept (1.2 or 1.3) (alert: " + alert + ")";
      case "handshake_failure", "insufficient_security" ->
          "the peer and we share no cipher suite or parameters (alert: " + alert + ")";
      default -> "the peer ended the TLS handshake (alert: " + alert + ")";
    };
  }
}
