package dev.ixws.internal.tls;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
    for (Throwable t : chain(cause)) {
      if (t instanceof SSLException || t instanceof PeerCertificateException) {
        return true;
      }
    }
    return false;
  }

  /** {@code cause}, its causes and their suppressed exceptions (BoringSSL's engine adds there). */
  private static List<Throwable> chain(Throwable cause) {
    List<Throwable> all = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Throwable> pending = new ArrayDeque<>();
    if (cause != null) {
      pending.add(cause);
    }
    while (!pending.isEmpty() && all.size() < 32) {
      Throwable t = pending.poll();
      if (!seen.add(t)) {
        continue;
      }
      all.add(t);
      if (t.getCause() != null) {
        pending.add(t.getCause());
      }
      pending.addAll(List.of(t.getSuppressed()));
    }
    return all;
  }

  /**
   * As {@link #describe(Throwable)}, for a client that knows whether it sent a certificate: the
   * engines' different alerts for "no client certificate" ({@code certificate_required} from
   * BoringSSL, {@code bad_certificate} from the JDK) then read the same.
   */
  public static String describe(Throwable cause, boolean sentCertificate) {
    for (Throwable t : chain(cause)) {
      if (t instanceof PeerCertificateException || t instanceof NotSslRecordException) {
        return describe(cause);
      }
    }
    for (Throwable t : chain(cause)) {
      String alert = alert(t.getMessage());
      if (alert != null && CLIENT_CERTIFICATE_ALERTS.contains(alert)) {
        return sentCertificate
            ? "the server refused our client certificate (alert: " + alert + ")"
            : "the server requires a client certificate: set certFile and keyFile (alert: "
                + alert
                + ")";
      }
    }
    return describe(cause);
  }

  private static final Set<String> CLIENT_CERTIFICATE_ALERTS =
      Set.of("certificate_required", "bad_certificate", "certificate_unknown", "unknown_ca");

  /**
   * A readable reason for {@code cause}: "certificate for localhost does not match host 127.0.0.2",
   * "the peer does not speak TLS", "the peer refused our certificate (alert: unknown_ca)"... Falls
   * back to the most specific message of the cause chain.
   */
  public static String describe(Throwable cause) {
    List<Throwable> chain = chain(cause);
    for (Throwable t : chain) {
      if (t instanceof PeerCertificateException) {
        return t.getMessage();
      }
    }
    for (Throwable t : chain) {
      if (t instanceof NotSslRecordException) {
        return "the peer does not speak TLS (it sent plain data)";
      }
    }
    for (Throwable t : chain) {
      if (t instanceof ClosedChannelException) {
        return "the connection closed during the TLS handshake";
      }
    }
    for (Throwable t : chain) {
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
