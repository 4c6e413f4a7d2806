package dev.ixws.cli;

import dev.ixws.testkit.EventRecorder;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A PrintStream whose lines a test takes one by one, with a timeout, as they are printed. */
final class CapturedLines {

  private final EventRecorder<String> lines = new EventRecorder<>();
  private final List<String> all = new ArrayList<>();
  private final PrintStream stream;

  CapturedLines() {
    OutputStream sink =
        new OutputStream() {
          private final ByteArrayOutputStream line = new ByteArrayOutputStream();

          @Override
          public synchronized void write(int b) {
            if (b == '\n') {
              String text = line.toString(StandardCharsets.UTF_8);
              line.reset();
              synchronized (all) {
                all.add(text);
              }
              lines.accept(text);
            } else {
              line.write(b);
            }
          }
        };
    stream = new PrintStream(sink, true, StandardCharsets.UTF_8);
  }

  PrintStream stream() {
    return stream;
  }

  /** The next line not yet taken, waiting up to 10 s. */
  String next() {
    return lines.next();
  }

  /** Skips lines until one starts with {@code prefix}, waiting up to 10 s. */
  String nextStartingWith(String prefix) {
    return lines.nextMatching(line -> line.startsWith(prefix), Duration.ofSeconds(10));
  }

  /** Takes every line printed and not yet taken, for lines a test does not care about. */
  List<String> skipRemaining() {
    return lines.skipRemaining();
  }

  /**
   * Takes every line not yet taken and returns them joined with newlines: for a test that checks
   * the output of a command that has exited as a whole.
   */
  String takeAll() {
    return String.join("\n", lines.skipRemaining());
  }

  /** Fails if a line not yet taken is waiting. */
  void assertNoMoreLines() {
    lines.assertEmpty();
  }

  /** Every line printed so far, taken or not, joined with newlines. */
  String text() {
    synchronized (all) {
      return String.join("\n", all);
    }
  }
}
