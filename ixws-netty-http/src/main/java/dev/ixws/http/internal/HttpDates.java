package dev.ixws.http.internal;

import io.netty.handler.codec.DateFormatter;
import java.util.Date;

/**
 * The {@code Date} header of responses (RFC 9110 section 6.6.1: one-second resolution), formatted
 * once per second rather than once per response, as nginx does: formatting an HTTP date walks a
 * {@code GregorianCalendar}, which showed among the hottest frames of a small-response load.
 *
 * <p>Thread-safe: the cached second and its text travel together in one immutable value behind a
 * volatile field; two threads crossing a second at once may both format it, harmlessly.
 */
final class HttpDates {

  private record Cached(long second, String text) {}

  private static volatile Cached cached = new Cached(-1, "");

  private HttpDates() {}

  /** The current time as an IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37 GMT}). */
  static String now() {
    long millis = System.currentTimeMillis();
    long second = millis / 1000;
    Cached c = cached;
    if (c.second() != second) {
      c = new Cached(second, DateFormatter.format(new Date(second * 1000)));
      cached = c;
    }
    return c.text();
  }
}
