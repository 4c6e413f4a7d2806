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

  private final Terminal terminal;
  private final String verb;
  private final long total;
  private final boolean interactive;
  private final long startNanos = System.nanoTime();
  private long lastPrintNanos = startNanos;
  private boolean printedInPlace;

  Progress(Terminal terminal, String verb, long total) {
    this.terminal = terminal;
    this.verb = verb;
    this.total = total;
    PrintStream out = terminal.out();
    this.interactive =
        System.console() != null
            && (out == System.out
                || (out instanceof AsyncPrintStream async && async.writesTo(System.out)));
  }

  /** Records that {@code done} bytes are done; prints if a second has passed since the last. */
  void update(long done) {
    long now = System.nanoTime();
    if (now - lastPrintNanos < INTERVAL_NANOS && done < total) {
      return;
    }
    if (done >= total && !printedInPlace) {
      return; // finished within the first second: the final line says it all
    }
    lastPrintNanos = now;
    String line = line(done, now - startNanos);
    if (interactive) {
      terminal.out().print("\r" + line + (done >= total ? "\n" : ""));
      terminal.out().flush();
      printedInPlace = done < total;
    } else {
      terminal.out().println(line);
      printedInPlace = done < total;
    }
  }

  /** {@code Sent 12582912 of 104857600 bytes (12%), 41.9 MB/s, ETA 2 s}. */
  String line(long done, long elapsedNanos) {
    double seconds = Math.max(elapsedNanos, 1) / 1e9;
    double rate = done / seconds;
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
