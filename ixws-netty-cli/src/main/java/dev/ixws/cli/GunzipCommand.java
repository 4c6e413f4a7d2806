package dev.ixws.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ixws gunzip FILE.gz}: IX's {@code ws gunzip}. Decompresses {@code FILE.gz} into {@code
 * FILE} (or {@code -o}), streaming in 64 KiB chunks (IX reads the whole file and inflates it in
 * memory), and prints IX's lines: the input's size and djb2 checksum, then the output's. Data that
 * is not gzip, or is cut short, fails with one line on stderr and leaves no partial output (it is
 * written to a temporary file and moved into place when complete). An input whose name does not end
 * in {@code .gz} needs {@code -o} (IX strips any extension, and overwrites a name without one); an
 * existing output is kept unless {@code -f}.
 */
@Command(
    name = "gunzip",
    header = "Decompress FILE.gz to FILE, streaming.",
    mixinStandardHelpOptions = true,
    description = "Decompress FILE.gz into FILE (or -o) in chunks, printing sizes and checksums.")
final class GunzipCommand implements Callable<Integer> {

  private final Terminal terminal;

  @Parameters(paramLabel = "FILE", description = "The gzip file to decompress.")
  private Path file;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write here instead of FILE without its .gz.")
  private Path output;

  @Option(
      names = {"-f", "--force"},
      description = "Replace the output file if it exists.")
  private boolean force;

  GunzipCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    Path out = output;
    if (out == null) {
      String name = file.toString();
      if (!name.endsWith(".gz") || name.length() == 3) {
        terminal.err().println("Error: " + file + " does not end in .gz: name the output with -o");
        return Ixws.EXIT_USAGE;
      }
      out = Path.of(name.substring(0, name.length() - 3));
    }
    Integer problem = GzipCommand.checkFiles(terminal, file, out, force);
    if (problem != null) {
      return problem;
    }
    Gzip.Digest in = new Gzip.Digest();
    Gzip.Digest plain = new Gzip.Digest();
    try {
      Gzip.streamFile(file, out, false, force, in, plain);
    } catch (IOException e) {
      return GzipCommand.failed(terminal, "cannot decompress " + file, e, out);
    }
    terminal.out().println("gunzip input: " + file + " size " + in.size() + " cksum " + in.cksum());
    terminal
        .out()
        .println("gunzip output: " + out + " size " + plain.size() + " cksum " + plain.cksum());
    return Ixws.EXIT_OK;
  }
}
