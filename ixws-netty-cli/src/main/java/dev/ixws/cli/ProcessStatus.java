package dev.ixws.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process's own thread count and resident memory, from Linux's {@code /proc/self/status}.
 *
 * @param threads the process's threads as the kernel counts them (every JVM thread: I/O, GC, JIT
 *     compiler...); elsewhere than Linux, the live Java threads
 * @param rssKb resident set size in kB ({@code VmRSS}); -1 when unknown
 */
record ProcessStatus(int threads, long rssKb) {

  private static final Path STATUS = Path.of("/proc/self/status");

  /** Reads the current figures. */
  static ProcessStatus read() {
    int threads = -1;
    long rssKb = -1;
    try {
      List<String> lines = Files.readAllLines(STATUS);
      for (String line : lines) {
        if (line.startsWith("Threads:")) {
          threads = Integer.parseInt(value(line));
        } else if (line.startsWith("VmRSS:")) {
          rssKb = Long.parseLong(value(line).replace("kB", "").trim());
        }
      }
    } catch (IOException | RuntimeException notLinux) {
      // No procfs: fall back below.
    }
    if (threads < 0) {
      threads = Thread.getAllStackTraces().size();
    }
    return new ProcessStatus(threads, rssKb);
  }

  /** The CPU time this process has used so far (all threads), in nanoseconds; -1 if unknown. */
  static long cpuNanos() {
    return ProcessHandle.current()
        .info()
        .totalCpuDuration()
        .map(duration -> duration.toNanos())
        .orElse(-1L);
  }

  private static String value(String line) {
    return line.substring(line.indexOf(':') + 1).trim();
  }
}
