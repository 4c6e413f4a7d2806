package dev.ixws.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A transfer's progress, printed at most once a second: bytes done, percentage, rate and ETA. On an
 * interactive terminal the line is rewritten in place (a progress bar); otherwise each update is
 * its own line, for logs. Not thread-safe: one thread updates it.
 */
final class Progress {

  private static final long INTERVAL_NANOS = 1_000_000_000L;

  private final PrintStream out;
  private final String verb;
  private final long total;
  private final boolean interactive;
  private final long startNanos = System.nanoTime();
  private long lastPrintNanos = startNanos;
  private boolean printedInPlace;

  Progress(Terminal terminal, String verb, long total) {
    this(terminal.out(), System.out, verb, total);
  }

  /**
   * A progress printed on {@code out}, which is (or writes to) {@code console} (System.out or
   * System.err) when the tool runs on a terminal; {@code total} -1 when unknown.
   */
  Progress(PrintStream out, PrintStream console, String verb, long total) {
    this.out = out;
    this.verb = verb;
    this.total = total;
    this.interactive =
        System.console() != null
            && (out == console
                || (out instanceof AsyncPrintStream async && async.writesTo(console)));
  }

  /** Records that {@code done} bytes are done; prints if a second has passed since the last. */
  void update(long done) {
    long now = System.nanoTime();
    boolean finished = total >= 0 && done >= total;
    if (now - lastPrintNanos < INTERVAL_NANOS && !finished) {
      return;
    }
    if (finished && !printedInPlace) {
      return; // finished within the first second: the final line says it all
    }
    lastPrintNanos = now;
    String line = line(done, now - startNanos);
    if (interactive) {
      out.print("\r" + line + (finished ? "\n" : ""));
      out.flush();
    } else {
      out.println(line);
    }
    printedInPlace = !finished;
  }

  /** The transfer ended with {@code done} bytes: ends a meter that was shown with its last line. */
  void finish(long done) {
    if (!printedInPlace) {
      return; // nothing shown (it took under a second), or the last update already ended it
    }
    String line = line(done, System.nanoTime() - startNanos);
    out.println(interactive ? "\r" + line : line);
    out.flush();
    printedInPlace = false;
  }

  /** {@code Sent 12582912 of 104857600 bytes (12%), 41.9 MB/s, ETA 2 s}. */
  String line(long done, long elapsedNanos) {
    double seconds = Math.max(elapsedNanos, 1) / 1e9;
    double rate = done / seconds;
    if (total < 0) {
      return String.format(Locale.ROOT, "%s %d bytes, %.1f MB/s", verb, done, rate / 1e6);
    }
    long percent = total == 0 ? 100 : done * 100 / total;
    long eta = rate <= 0 ? 0 : (long) Math.ceil((total - done) / rate);
    return String.format(
        Locale.ROOT,
        "%s %d of %d bytes (%d%%), %.1f MB/s, ETA %d s",
        verb,
        done,
        total,
        percent,
        rate / 1e6,
        eta);
  }
}
