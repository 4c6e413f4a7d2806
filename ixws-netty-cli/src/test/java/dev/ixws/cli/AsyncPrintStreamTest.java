package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class AsyncPrintStreamTest {

  /** A stream that takes nothing until released, as a terminal that is not being read. */
  private static final class StuckStream extends OutputStream {
    final CountDownLatch released = new CountDownLatch(1);
    final ByteArrayOutputStream written = new ByteArrayOutputStream();

    @Override
    public void write(int b) {
      try {
        released.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (written) {
        written.write(b);
      }
    }

    String text() {
      synchronized (written) {
        return written.toString(StandardCharsets.UTF_8);
      }
    }
  }

  @Test
  void printsReturnAtOnceOnAStuckStreamAndWhatDoesNotFitIsDroppedAndCounted() {
    StuckStream stuck = new StuckStream();
    AsyncPrintStream out =
        new AsyncPrintStream(new PrintStream(stuck, true, StandardCharsets.UTF_8), "test-out");

    long start = System.nanoTime();
    out.println("first grüße");
    String big = "x".repeat(1024 * 1024);
    for (int i = 0; i < 6; i++) {
      out.println(big); // 3 fit in the 4 MiB budget with the first line, 3 are dropped
    }
    out.println("after");
    // Nothing of that waited on the stuck stream.
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    assertEquals("", stuck.text());

    stuck.released.countDown();
    out.close();
    String[] lines = stuck.text().split("\n");
    assertEquals("first grüße", lines[0]);
    assertEquals(6, lines.length, stuck.text().length() + " chars");
    for (int i = 1; i <= 3; i++) {
      assertEquals(big, lines[i]);
    }
    assertEquals("[ixws: 3 prints dropped: output too slow]", lines[4]);
    assertEquals("after", lines[5]);
  }
}
