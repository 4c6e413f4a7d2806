package dev.ixws.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ixws gzip FILE}: IX's {@code ws gzip}. Compresses {@code FILE} into {@code FILE.gz} (or
 * {@code -o}), streaming in 64 KiB chunks (IX reads the whole file into memory), and prints IX's
 * lines: the input's size and djb2 checksum, the median time of {@code --run-count} runs, and the
 * output's size and checksum. The output is written to a temporary file and moved into place when
 * complete, so a failure leaves no partial file; an existing output is kept unless {@code -f} (IX
 * overwrites it).
 */
@Command(
    name = "gzip",
    header = "Compress a file to FILE.gz, streaming.",
    mixinStandardHelpOptions = true,
    description = "Compress FILE into FILE.gz (or -o) in chunks, printing sizes and checksums.")
final class GzipCommand implements Callable<Integer> {

  private final Terminal terminal;

  @Parameters(paramLabel = "FILE", description = "The file to compress.")
  private Path file;

  @Option(
      names = {"--run-count", "--run_count"},
      defaultValue = "1",
      paramLabel = "N",
      description = "Compress N times and print the median time (default: ${DEFAULT-VALUE}).")
  private int runCount;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write here instead of FILE.gz.")
  private Path output;

  @Option(
      names = {"-f", "--force"},
      description = "Replace the output file if it exists.")
  private boolean force;

  GzipCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    if (runCount < 1) {
      terminal.err().println("Error: --run-count must be at least 1");
      return Ixws.EXIT_USAGE;
    }
    Path out = output != null ? output : Path.of(file + ".gz");
    Integer problem = checkFiles(terminal, file, out, force);
    if (problem != null) {
      return problem;
    }
    long[] nanos = new long[runCount];
    Gzip.Digest in = null;
    Gzip.Digest compressed = null;
    for (int i = 0; i < runCount; i++) {
      in = new Gzip.Digest();
      compressed = new Gzip.Digest();
      long start = System.nanoTime();
      try {
        Gzip.streamFile(file, out, true, force || i > 0, in, compressed);
      } catch (IOException e) {
        return failed(terminal, "cannot compress " + file, e, out);
      }
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    terminal.out().println("gzip input: " + file + " size " + in.size() + " cksum " + in.cksum());
    terminal
        .out()
        .println(
            String.format(
                Locale.ROOT,
                "median runtime to compress file: %.3f ms (%d run%s)",
                nanos[runCount / 2] / 1e6,
                runCount,
                runCount == 1 ? "" : "s"));
    terminal
        .out()
        .println(
            "gzip output: " + out + " size " + compressed.size() + " cksum " + compressed.cksum());
    return Ixws.EXIT_OK;
  }

  /**
   * Null when {@code in} can be read and {@code out} written; otherwise prints the one-line reason
   * and returns the exit code.
   */
  static Integer checkFiles(Terminal terminal, Path in, Path out, boolean force) {
    if (!Files.exists(in)) {
      terminal.err().println("Error: cannot read " + in + ": no such file");
      return Ixws.EXIT_FAILURE;
    }
    if (!Files.isRegularFile(in) || !Files.isReadable(in)) {
      terminal.err().println("Error: cannot read " + in + ": not a readable file");
      return Ixws.EXIT_FAILURE;
    }
    if (Files.exists(out) && !force) {
      terminal.err().println("Error: " + out + " exists (-f replaces it)");
      return Ixws.EXIT_FAILURE;
    }
    return null;
  }

  /** Prints why the stream failed (no partial output is left) and returns the exit code. */
  static int failed(Terminal terminal, String what, IOException e, Path out) {
    String why =
        e instanceof FileAlreadyExistsException
            ? out + " appeared meanwhile (-f replaces it)"
            : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    terminal.err().println("Error: " + what + ": " + why);
    return Ixws.EXIT_FAILURE;
  }
}
