package dev.ixws.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * The streams a command reads and writes: the process's stdin, stdout and stderr in the real tool,
 * pipes and captured streams in tests, so every command can run in-process.
 *
 * @param in where interactive input comes from
 * @param inCharset how the bytes of {@code in} are decoded
 * @param out where results and events are printed
 * @param err where errors are printed
 */
public record Terminal(InputStream in, Charset inCharset, PrintStream out, PrintStream err) {

  /** Checks that no component is null. */
  public Terminal {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(inCharset, "inCharset");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
  }

  /** The process's own stdin, stdout and stderr; stdin is decoded with the platform charset. */
  public static Terminal system() {
    return new Terminal(System.in, Charset.defaultCharset(), System.out, System.err);
  }
}
