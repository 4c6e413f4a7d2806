package dev.ixws.testkit;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * What this process holds: heap in use after GC, live threads, open file descriptors (Linux {@code
 * /proc/self/fd}). A test takes a {@link Snapshot} before a run, and after it waits until the
 * threads and descriptors are back within a tolerance and checks the heap, to prove that the code
 * under test freed everything (as the soak test in {@code interop-tests} does).
 *
 * <p>Meaningful only while nothing else runs in the JVM, so within one test method.
 */
public final class ProcessResources {

  private ProcessResources() {}

  /** The process at one moment. */
  public record Snapshot(long heapBytes, int threads, long fds) {

    @Override
    public String toString() {
      return String.format(
          "heap %.1f MB, %d threads, %d fds", heapBytes / (1024.0 * 1024.0), threads, fds);
    }
  }

  /** Heap after GC, threads and file descriptors now (runs a few full collections). */
  public static Snapshot take() {
    return new Snapshot(heapAfterGc(), liveThreads(), openFds());
  }

  /** Live threads of this JVM. */
  public static int liveThreads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  /** Open file descriptors of this process. */
  public static long openFds() {
    try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
      return entries.count();
    } catch (IOException e) {
      throw new AssertionError("cannot list /proc/self/fd", e);
    }
  }

  /** The smallest heap use seen over a few full collections (GC timing varies). */
  public static long heapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long smallest = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      smallest = Math.min(smallest, memory.getHeapMemoryUsage().getUsed());
    }
    return smallest;
  }

  /**
   * Waits until threads and file descriptors are back to {@code before} plus the tolerances, then
   * checks the heap after GC; fails the test otherwise. Returns the snapshot it ended with.
   */
  public static Snapshot assertBackTo(
      Snapshot before,
      int threadTolerance,
      long fdTolerance,
      long heapToleranceBytes,
      Duration timeout) {
    Await.until(
        "threads back to " + before.threads() + " (+" + threadTolerance + "), now " + liveThreads(),
        timeout,
        () -> liveThreads() <= before.threads() + threadTolerance);
    Await.until(
        "open file descriptors back to " + before.fds() + " (+" + fdTolerance + ")",
        timeout,
        () -> openFds() <= before.fds() + fdTolerance);
    Snapshot after = take();
    if (after.heapBytes() > before.heapBytes() + heapToleranceBytes) {
      after = take(); // one more chance: objects with finalizers or cleaners go at a later GC
    }
    if (after.heapBytes() > before.heapBytes() + heapToleranceBytes) {
      throw new AssertionError("heap after GC grew from " + before + " to " + after);
    }
    return after;
  }
}
