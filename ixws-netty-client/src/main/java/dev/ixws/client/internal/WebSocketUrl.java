package dev.ixws.client.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A parsed {@code ws://} or {@code wss://} URL.
 *
 * @param original the URL as given
 * @param secure whether the scheme is {@code wss}
 * @param host the host name or address (IPv6 without brackets)
 * @param port the port, defaulted to 80 or 443
 * @param target the request target: path (at least {@code /}) and query
 */
public record WebSocketUrl(String original, boolean secure, String host, int port, String target) {

  /**
   * Parses {@code url}.
   *
   * @throws IllegalArgumentException with a readable reason when it is not a usable WebSocket URL
   */
  public static WebSocketUrl parse(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Invalid WebSocket URL '" + url + "': " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean secure;
    switch (scheme) {
      case "ws" -> secure = false;
      case "wss" -> secure = true;
      default ->
          throw new IllegalArgumentException(
              "Invalid WebSocket URL '" + url + "': the scheme must be ws:// or wss://");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("Invalid WebSocket URL '" + url + "': no host");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (uri.getRawFragment() != null) {
      // RFC 6455 section 3: fragment identifiers are meaningless in WebSocket URIs.
      throw new IllegalArgumentException(
          "Invalid WebSocket URL '" + url + "': a fragment (#...) is not allowed");
    }
    int port = uri.getPort() == -1 ? (secure ? 443 : 80) : uri.getPort();
    if (port < 1 || port > 65535) {
      // java.net.URI accepts any digits as a port; a TCP port is 1-65535.
      throw new IllegalArgumentException(
          "Invalid WebSocket URL '" + url + "': port " + port + " is out of range 1-65535");
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    return new WebSocketUrl(url, secure, host, port, target);
  }

  /** {@code host:port}, with brackets around an IPv6 address. */
  public String authority() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** The URL as a {@link URI}. */
  public URI toUri() {
    return URI.create((secure ? "wss://" : "ws://") + authority() + target);
  }

  /**
   * The request's {@code Host} header (RFC 6455 section 4.1 item 4, RFC 9110 section 7.2): the
   * host, bracketed when IPv6, with the port unless it is the scheme's default.
   */
  public String hostHeader() {
    String name = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return port == (secure ? 443 : 80) ? name : name + ":" + port;
  }

  /** The {@code Origin} the client sends, as Netty's handshaker did: {@code http://} + Host. */
  public String origin() {
    return (secure ? "https://" : "http://") + hostHeader();
  }
}
