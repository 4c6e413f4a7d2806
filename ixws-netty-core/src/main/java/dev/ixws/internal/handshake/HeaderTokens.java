package dev.ixws.internal.handshake;

import java.util.List;

/** Reading the comma-separated token lists of HTTP headers (RFC 9110 section 5.6.1). */
public final class HeaderTokens {

  private HeaderTokens() {}

  /** Whether the comma-separated {@code value} contains {@code token}, ignoring ASCII case. */
  public static boolean hasToken(String value, String token) {
    if (value == null) {
      return false;
    }
    for (String part : value.split(",", -1)) {
      if (asciiEqualsIgnoreCase(part.trim(), token)) {
        return true;
      }
    }
    return false;
  }

  /** Whether any of {@code values} (one per header line) contains {@code token}, ignoring case. */
  public static boolean anyHasToken(List<String> values, String token) {
    for (String value : values) {
      if (hasToken(value, token)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code a} and {@code b} are equal ignoring the case of ASCII letters only, as RFC 6455
   * means by "ASCII case-insensitive" ({@link String#equalsIgnoreCase} also folds non-ASCII
   * letters: it takes "webſocket", with a long s, for "websocket").
   */
  public static boolean asciiEqualsIgnoreCase(String a, String b) {
    if (a.length() != b.length()) {
      return false;
    }
    for (int i = 0; i < a.length(); i++) {
      if (asciiLower(a.charAt(i)) != asciiLower(b.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static char asciiLower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  /** Whether {@code name} is an HTTP token (RFC 9110 section 5.6.2): a header name, say. */
  public static boolean isToken(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (!isTokenChar(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code c} may appear in an HTTP token ({@code tchar}). */
  public static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
