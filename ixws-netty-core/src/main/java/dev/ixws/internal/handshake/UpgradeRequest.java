package dev.ixws.internal.handshake;

import dev.ixws.WebSocketHttpHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The client's opening-handshake request (RFC 6455 section 4.1), written as bytes: the request
 * line, {@code Host}, {@code Upgrade}, {@code Connection}, {@code Sec-WebSocket-Key}, {@code
 * Sec-WebSocket-Version: 13}, the offered subprotocols and extensions, {@code Origin} (unless the
 * extra headers carry one) and the extra headers. Like the server's {@code 101}, it skips Netty's
 * request object and encoder: it is sent once per connection and nothing else is ever encoded as
 * HTTP on a WebSocket pipeline.
 *
 * @param target the request target: path and query
 * @param host the {@code Host} header's value
 * @param origin the {@code Origin} header's value, or null for none
 * @param key the {@code Sec-WebSocket-Key}
 * @param subprotocols offered in {@code Sec-WebSocket-Protocol}, in order; none when empty
 * @param extensions offered in {@code Sec-WebSocket-Extensions}; none when empty
 * @param extraHeaders the application's headers; those the handshake itself sets are left out
 */
public record UpgradeRequest(
    String target,
    String host,
    String origin,
    String key,
    List<String> subprotocols,
    List<Extensions.Offer> extensions,
    WebSocketHttpHeaders extraHeaders) {

  /** Lower-cased names the handshake sets itself: an application's value for them is dropped. */
  private static final Set<String> OWN_HEADERS =
      Set.of(
          "host",
          "upgrade",
          "connection",
          "sec-websocket-key",
          "sec-websocket-version",
          "sec-websocket-extensions");

  /**
   * Checks the parts.
   *
   * @throws IllegalArgumentException when an extra header's name is not an HTTP token
   */
  public UpgradeRequest {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(key, "key");
    subprotocols = List.copyOf(subprotocols);
    extensions = List.copyOf(extensions);
    // Values cannot hold CR or LF (WebSocketHttpHeaders refuses them); names must be tokens.
    extraHeaders.forEach(
        (name, value) -> {
          if (!HeaderTokens.isToken(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a valid header name");
          }
        });
  }

  /** What the client offers, for checking the response. */
  public ClientHandshakeCheck.Offer offer() {
    return new ClientHandshakeCheck.Offer(key, subprotocols, extensions);
  }

  /** The request as text, ending with the empty line. */
  public String text() {
    StringBuilder request = new StringBuilder(256);
    request.append("GET ").append(target).append(" HTTP/1.1\r\n");
    line(request, "Host", host);
    line(request, "Upgrade", "websocket");
    line(request, "Connection", "Upgrade");
    line(request, "Sec-WebSocket-Key", key);
    line(request, "Sec-WebSocket-Version", "13");
    if (!subprotocols.isEmpty()) {
      line(request, "Sec-WebSocket-Protocol", String.join(", ", subprotocols));
    }
    if (!extensions.isEmpty()) {
      List<String> offers = extensions.stream().map(Extensions.Offer::header).toList();
      line(request, "Sec-WebSocket-Extensions", String.join(", ", offers));
    }
    if (origin != null && !extraHeaders.contains("Origin")) {
      line(request, "Origin", origin);
    }
    extraHeaders.forEach(
        (name, value) -> {
          String lower = name.toLowerCase(Locale.ROOT);
          boolean ours =
              OWN_HEADERS.contains(lower)
                  || (lower.equals("sec-websocket-protocol") && !subprotocols.isEmpty());
          if (!ours) {
            line(request, name, value);
          }
        });
    return request.append("\r\n").toString();
  }

  /** The request as bytes (UTF-8, as IXWebSocket writes its strings), in a new buffer. */
  public ByteBuf encode(ByteBufAllocator alloc) {
    byte[] bytes = text().getBytes(StandardCharsets.UTF_8);
    return alloc.buffer(bytes.length).writeBytes(bytes);
  }

  private static void line(StringBuilder request, String name, String value) {
    request.append(name).append(": ").append(value).append("\r\n");
  }
}
