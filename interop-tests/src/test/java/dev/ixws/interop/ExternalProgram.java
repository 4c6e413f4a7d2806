package dev.ixws.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The process plumbing shared by the peers that are installed programs (Chromium, nginx). */
final class ExternalProgram {

  private ExternalProgram() {}

  /**
   * Fails the test, naming the command and the Debian package that install it, if {@code
   * executable} is missing.
   */
  static void requireInstalled(Path executable, String debianPackage) {
    if (!Files.isExecutable(executable)) {
      fail(
          debianPackage
              + " is missing ("
              + executable
              + "): run `sudo .ci/install-peers` (Debian package "
              + debianPackage
              + ") or ./test");
    }
  }

  /**
   * Starts {@code command} with no input and its output and errors written to {@code output};
   * throws an {@link AssertionError} if it cannot be started.
   */
  static Process start(List<String> command, Path output) {
    try {
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
    } catch (IOException e) {
      throw new AssertionError("cannot start " + command, e);
    }
  }

  /** What {@code check} (a program's version command) prints, or "unknown" after 20 s. */
  static String version(ProcessBuilder check) {
    try {
      Process process = check.start();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return "unknown";
      }
      return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  /** Deletes {@code root} and everything under it, as far as it can. */
  static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (IOException e) {
                  // A file still held by a dying process; the temp directory is cleaned later.
                }
              });
    } catch (IOException e) {
      // Nothing to delete, or not readable: leave it to the temp directory's cleanup.
    }
  }
}
