package dev.ixws.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The file {@code --log-file} names (IX's {@code --logfile}): every line a command prints goes
 * there, appended, each line prefixed as IX's spdlog prefixes them, {@code [2026-12-08
 * 03:41:33.123] [info] } for stdout and {@code [error]} for stderr. Lines of stdout and stderr are
 * written whole, never interleaved within a line. Thread-safe.
 */
final class LogFile implements AutoCloseable {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  private final OutputStream file;

  private LogFile(OutputStream file) {
    this.file = file;
  }

  /**
   * Opens (creating or appending to) {@code path}.
   *
   * @throws IOException if it cannot be opened for writing
   */
  static LogFile open(Path path) throws IOException {
    return new LogFile(
        Files.newOutputStream(
            path, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE));
  }

  /** A stream whose lines go to the file as {@code [TIME] [level] LINE}. */
  PrintStream lines(String level) {
    return new PrintStream(new Lines(level, null), true, StandardCharsets.UTF_8);
  }

  /** Like {@link #lines}, and each byte also goes to {@code also} (stderr stays visible). */
  PrintStream linesAlsoTo(String level, PrintStream also) {
    return new PrintStream(new Lines(level, also), true, StandardCharsets.UTF_8);
  }

  private void writeLine(String level, byte[] line) {
    String prefix = "[" + LocalDateTime.now().format(TIME) + "] [" + level + "] ";
    synchronized (file) {
      try {
        file.write(prefix.getBytes(StandardCharsets.UTF_8));
        file.write(line);
        file.write('\n');
        file.flush();
      } catch (IOException e) {
        // A log that cannot be written (disk full) must not stop the command; stderr still works.
      }
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (file) {
      file.close();
    }
  }

  /** Collects bytes into lines; a carriage return (a progress line rewritten) ends one too. */
  private final class Lines extends OutputStream {
    private final String level;
    private final PrintStream also;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    Lines(String level, PrintStream also) {
      this.level = level;
      this.also = also;
    }

    @Override
    public synchronized void write(int b) {
      if (also != null) {
        also.write(b);
      }
      if (b == '\n' || b == '\r') {
        if (line.size() > 0) {
          writeLine(level, line.toByteArray());
          line.reset();
        }
      } else {
        line.write(b);
      }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
      for (int i = offset; i < offset + length; i++) {
        write(bytes[i]);
      }
    }

    @Override
    public synchronized void flush() {
      if (also != null) {
        also.flush();
      }
    }
  }
}
