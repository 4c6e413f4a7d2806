package dev.ixws.http.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A parsed {@code http} or {@code https} URL: what a request needs to connect and to write its
 * request line. Immutable.
 *
 * @param scheme {@code http} or {@code https}, lower case
 * @param host the host as written (an IPv6 literal keeps its brackets)
 * @param port the port, the scheme's default when the URL has none
 * @param target the request target: raw path (at least {@code /}) and query, no fragment
 */
public record HttpUrl(String scheme, String host, int port, String target) {

  /**
   * Parses {@code url}.
   *
   * @throws IllegalArgumentException with a readable reason when it is not a usable http(s) URL
   */
  public static HttpUrl parse(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("malformed URL '" + url + "': " + e.getMessage());
    }
    return of(uri, url);
  }

  private static HttpUrl of(URI uri, String original) {
    String scheme = uri.getScheme();
    if (scheme == null) {
      throw new IllegalArgumentException("URL '" + original + "' has no scheme (http or https)");
    }
    scheme = scheme.toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "URL '" + original + "' has scheme '" + scheme + "', not http or https");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("URL '" + original + "' has no valid host");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "URL '"
              + original
              + "' has user info, which is not supported (use an Authorization"
              + " header)");
    }
    int port = uri.getPort();
    if (port == -1) {
      port = scheme.equals("https") ? 443 : 80;
    } else if (port == 0 || port > 65535) {
      throw new IllegalArgumentException("URL '" + original + "' has invalid port " + port);
    }
    String path = uri.getRawPath();
    if (path == null || path.isEmpty()) {
      path = "/";
    }
    String query = uri.getRawQuery();
    return new HttpUrl(scheme, host, port, query == null ? path : path + "?" + query);
  }

  /**
   * The URL that {@code location} (a {@code Location} header, absolute or relative) names, seen
   * from this one (RFC 9110 section 10.2.2, RFC 3986 section 5).
   *
   * @throws IllegalArgumentException when it is not a usable http(s) URL
   */
  public HttpUrl resolve(String location) {
    String reference = location.trim();
    if (reference.startsWith("?")) {
      // RFC 3986 section 5.2.2: a query-only reference keeps the base path (java.net.URI follows
      // RFC 2396 here and drops the last segment).
      int query = target.indexOf('?');
      reference = (query < 0 ? target : target.substring(0, query)) + reference;
    }
    try {
      URI base = new URI(toString());
      return of(base.resolve(new URI(reference)), location);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "redirect Location '" + location + "' is not a valid URL: " + e.getMessage());
    }
  }

  /** Whether the scheme is https. */
  public boolean secure() {
    return scheme.equals("https");
  }

  /** The host to connect to: an IPv6 literal without its brackets. */
  public String connectHost() {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** The {@code Host} header: the host, with the port unless it is the scheme's default. */
  public String hostHeader() {
    boolean defaultPort = port == (secure() ? 443 : 80);
    return defaultPort ? host : host + ":" + port;
  }

  /** Where connections to this URL can be shared: scheme, host and port. */
  public Origin origin() {
    return new Origin(scheme, connectHost().toLowerCase(Locale.ROOT), port);
  }

  @Override
  public String toString() {
    return scheme + "://" + hostHeader() + target;
  }

  /** The key of the connection pool: connections are reused for one scheme, host and port. */
  public record Origin(String scheme, String host, int port) {
    @Override
    public String toString() {
      return scheme + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
  }
}
