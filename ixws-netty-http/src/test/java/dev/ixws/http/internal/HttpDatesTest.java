package dev.ixws.http.internal;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.DateFormatter;
import java.util.Date;
import org.junit.jupiter.api.Test;

class HttpDatesTest {

  @Test
  void isTheCurrentSecondAsAnHttpDate() {
    long before = System.currentTimeMillis() / 1000 * 1000;
    Date parsed = DateFormatter.parseHttpDate(HttpDates.now());
    long after = System.currentTimeMillis();
    assertTrue(
        parsed != null && parsed.getTime() >= before && parsed.getTime() <= after,
        "not now: " + parsed);
  }

  @Test
  void isFormattedOncePerSecond() {
    String first = HttpDates.now();
    String second = HttpDates.now();
    // Within one second the same text is handed out; across a second boundary the next one.
    if (DateFormatter.parseHttpDate(first).equals(DateFormatter.parseHttpDate(second))) {
      assertSame(first, second);
    } else {
      assertTrue(
          DateFormatter.parseHttpDate(second).getTime()
              == DateFormatter.parseHttpDate(first).getTime() + 1000);
    }
  }
}
