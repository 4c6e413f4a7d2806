package dev.ixws.internal;

import dev.ixws.WebSocketHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Map;

/** Converts between our {@link WebSocketHttpHeaders} and Netty's {@link HttpHeaders}. */
public final class HeaderConversions {

  private HeaderConversions() {}

  /** Netty's headers as ours; repeated names are joined with {@code ", "}. */
  public static WebSocketHttpHeaders fromNetty(HttpHeaders headers) {
    WebSocketHttpHeaders.Builder builder = WebSocketHttpHeaders.builder();
    for (Map.Entry<String, String> header : headers) {
      builder.add(header.getKey(), header.getValue());
    }
    return builder.build();
  }

  /** Our headers as Netty's. */
  public static HttpHeaders toNetty(WebSocketHttpHeaders headers) {
    HttpHeaders netty = new DefaultHttpHeaders();
    headers.forEach(netty::set);
    return netty;
  }
}
