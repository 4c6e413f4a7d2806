package dev.ixws.internal.tls;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;

/**
 * Whether a server certificate matches the host a client connected to (RFC 6125 section 6, RFC 2818
 * section 3.1): an IP literal against the certificate's IP-address SANs only; a host name against
 * its DNS SANs, a {@code *} allowed only as the whole left-most label and matching exactly one
 * label, or against the subject's common name when the certificate has no DNS SAN (what the JDK's
 * HTTPS check does). Done here rather than by the engine so the rule and the message are the same
 * with BoringSSL and the JDK. Stateless.
 */
final class HostnameCheck {

  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;

  private HostnameCheck() {}

  /** Whether {@code host} is an IPv4 or IPv6 literal (brackets allowed). */
  static boolean isIpLiteral(String host) {
    String bare = unbracket(host);
    return NetUtil.isValidIpV4Address(bare) || NetUtil.isValidIpV6Address(bare);
  }

  /**
   * Checks {@code certificate} against {@code host}.
   *
   * @throws PeerCertificateException "certificate for NAMES does not match host HOST"
   */
  static void check(X509Certificate certificate, String host) throws PeerCertificateException {
    if (!matches(certificate, host)) {
      List<String> names = names(certificate);
      throw new PeerCertificateException(
          "certificate for "
              + (names.isEmpty() ? "(no name)" : String.join(", ", names))
              + " does not match host "
              + host);
    }
  }

  static boolean matches(X509Certificate certificate, String host) {
    String bare = unbracket(host);
    if (isIpLiteral(bare)) {
      byte[] wanted = NetUtil.createByteArrayFromIpAddressString(bare);
      for (String ip : sans(certificate, SAN_IP)) {
        byte[] candidate = NetUtil.createByteArrayFromIpAddressString(ip);
        if (candidate != null && sameAddress(wanted, candidate)) {
          return true;
        }
      }
      return false;
    }
    String name = normalize(bare);
    List<String> dns = sans(certificate, SAN_DNS);
    if (dns.isEmpty()) {
      String cn = commonName(certificate);
      return cn != null && matchesName(name, normalize(cn));
    }
    for (String pattern : dns) {
      if (matchesName(name, normalize(pattern))) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameAddress(byte[] a, byte[] b) {
    if (a.length == b.length) {
      return Arrays.equals(a, b);
    }
    // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the same host as a.b.c.d.
    try {
      return InetAddress.getByAddress(a).equals(InetAddress.getByAddress(b));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** RFC 6125 section 6.4.3: a wildcard only as the whole left-most label, for one label. */
  static boolean matchesName(String host, String pattern) {
    if (pattern.startsWith("*.")) {
      String suffix = pattern.substring(1); // ".example.com"
      int firstDot = host.indexOf('.');
      // "*.com" style patterns (one label after the wildcard) are not honoured.
      return firstDot > 0 && host.substring(firstDot).equals(suffix) && suffix.indexOf('.', 1) > 0;
    }
    return host.equals(pattern);
  }

  /** The names a certificate is for: DNS and IP SANs, or its common name when it has none. */
  static List<String> names(X509Certificate certificate) {
    List<String> names = new ArrayList<>(sans(certificate, SAN_DNS));
    names.addAll(sans(certificate, SAN_IP));
    if (names.isEmpty()) {
      String cn = commonName(certificate);
      if (cn != null) {
        names.add(cn);
      }
    }
    return names;
  }

  private static List<String> sans(X509Certificate certificate, int type) {
    List<String> out = new ArrayList<>();
    Collection<List<?>> all;
    try {
      all = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return out;
    }
    if (all == null) {
      return out;
    }
    for (List<?> entry : all) {
      if (entry.size() >= 2
          && entry.get(0) instanceof Integer kind
          && kind == type
          && entry.get(1) instanceof String value) {
        out.add(value);
      }
    }
    return out;
  }

  /** The subject's most specific common name (the first CN of its RFC 2253 form), or null. */
  static String commonName(X509Certificate certificate) {
    String dn = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
    // RFC 2253 lists the most specific RDN first; values escape ',' '+' '"' '\\' with a backslash.
    int at = 0;
    while (at < dn.length()) {
      StringBuilder type = new StringBuilder();
      while (at < dn.length() && dn.charAt(at) != '=') {
        type.append(dn.charAt(at++));
      }
      at++; // '='
      StringBuilder value = new StringBuilder();
      while (at < dn.length() && dn.charAt(at) != ',' && dn.charAt(at) != '+') {
        char c = dn.charAt(at++);
        if (c == '\\' && at < dn.length()) {
          c = dn.charAt(at++);
        }
        value.append(c);
      }
      at++; // ',' or '+'
      if (type.toString().trim().equalsIgnoreCase("CN")) {
        return value.toString();
      }
    }
    return null;
  }

  private static String normalize(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  private static String unbracket(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
