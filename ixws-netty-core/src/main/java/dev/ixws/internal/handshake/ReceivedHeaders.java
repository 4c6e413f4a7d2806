package dev.ixws.internal.handshake;

import dev.ixws.WebSocketHttpHeaders;
import java.util.Map;
import java.util.function.Function;

/**
 * Makes {@link WebSocketHttpHeaders} of headers read off the wire that are built only when first
 * used: a handshake's headers are copied for its {@code OPEN} event, and most applications never
 * read them (the JDK's "shared secrets" pattern: {@code WebSocketHttpHeaders} registers its private
 * constructor here from its static initializer).
 */
public final class ReceivedHeaders {

  private static volatile Function<
          Iterable<? extends Map.Entry<String, String>>, WebSocketHttpHeaders>
      factory;

  private ReceivedHeaders() {}

  /** Called once by {@code WebSocketHttpHeaders}'s static initializer. */
  public static void register(
      Function<Iterable<? extends Map.Entry<String, String>>, WebSocketHttpHeaders> lazyHeaders) {
    factory = lazyHeaders;
  }

  /**
   * The headers of {@code received}, in order, repeated names joined with {@code ", "}, read from
   * it on first use: {@code received} must not change afterwards.
   */
  public static WebSocketHttpHeaders of(Iterable<? extends Map.Entry<String, String>> received) {
    if (factory == null) {
      // Runs WebSocketHttpHeaders' static initializer, which registers the factory.
      WebSocketHttpHeaders.EMPTY.size();
    }
    return factory.apply(received);
  }
}
