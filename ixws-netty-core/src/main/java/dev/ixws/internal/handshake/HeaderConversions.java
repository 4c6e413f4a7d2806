package dev.ixws.internal.handshake;

import dev.ixws.WebSocketHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

/** Converts between our {@link WebSocketHttpHeaders} and Netty's {@link HttpHeaders}. */
public final class HeaderConversions {

  private HeaderConversions() {}

  /**
   * Netty's headers of a received message as ours, built on first use (see {@link
   * ReceivedHeaders}); repeated names are joined with {@code ", "}. {@code headers} must not change
   * afterwards.
   */
  public static WebSocketHttpHeaders fromNetty(HttpHeaders headers) {
    return headers.isEmpty() ? WebSocketHttpHeaders.EMPTY : ReceivedHeaders.of(headers);
  }

  /** Our headers as Netty's. */
  public static HttpHeaders toNetty(WebSocketHttpHeaders headers) {
    HttpHeaders netty = new DefaultHttpHeaders();
    headers.forEach(netty::set);
    return netty;
  }
}
