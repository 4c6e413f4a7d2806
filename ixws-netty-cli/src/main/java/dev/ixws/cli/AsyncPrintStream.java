package dev.ixws.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A PrintStream that never blocks its caller: each print is queued and written to the real stream
 * by a thread of its own, so a slow terminal or a full pipe never stalls a connection's event loop
 * (the commands print from their callbacks). The queue is bounded by {@link #MAX_PENDING_CHARS};
 * what does not fit is dropped and the number of dropped prints said in the next line that gets
 * through. {@link #close()} writes everything queued before returning; the real stream stays open.
 */
final class AsyncPrintStream extends PrintStream {

  /** The most output held for a slow stream (about 4 MB of text) before prints are dropped. */
  static final long MAX_PENDING_CHARS = 4L * 1024 * 1024;

  private static final Runnable END = () -> {};

  /** The streams not yet closed, for {@link #drainAll} at JVM shutdown. */
  private static final Set<AsyncPrintStream> OPEN = ConcurrentHashMap.newKeySet();

  // Written and read by the writer thread only (a redirect is a queued task, in order).
  private PrintStream target;
  // The target as of the last redirect call, for writesTo from other threads.
  private volatile PrintStream declaredTarget;
  private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private long pendingChars; // guarded by queue
  private long dropped; // guarded by queue

  AsyncPrintStream(PrintStream target, String threadName) {
    this(target, threadName, new Forwarder());
  }

  private AsyncPrintStream(PrintStream target, String threadName, Forwarder forwarder) {
    super(forwarder, false);
    this.target = target;
    this.declaredTarget = target;
    forwarder.owner = this;
    writer = new Thread(this::drain, threadName);
    writer.setDaemon(true);
    writer.start();
    OPEN.add(this);
  }

  /**
   * Waits (at most 2 s each) until every open stream has written what was queued before this call:
   * for shutdown hooks, since the JVM halts once they are done and the writer threads are daemons.
   */
  static void drainAll() {
    for (AsyncPrintStream stream : OPEN) {
      CountDownLatch written = new CountDownLatch(1);
      stream.queue.add(written::countDown);
      try {
        written.await(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Raw bytes (from PrintWriters over this stream, or {@code write}) pass through unchanged. */
  private static final class Forwarder extends OutputStream {
    AsyncPrintStream owner;

    @Override
    public void write(int b) {
      owner.enqueue(1, () -> owner.target.write(b));
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      byte[] copy = Arrays.copyOfRange(bytes, offset, offset + length);
      owner.enqueue(length, () -> owner.target.write(copy, 0, copy.length));
    }

    @Override
    public void flush() {
      owner.enqueue(0, () -> owner.target.flush());
    }
  }

  /** Whether this writes to {@code stream} (as of the last {@link #redirect}). */
  boolean writesTo(PrintStream stream) {
    return declaredTarget == stream;
  }

  /**
   * Writes what is printed from now on to {@code newTarget}; what was queued before still goes to
   * the current target. Returns the current target.
   */
  PrintStream redirect(PrintStream newTarget) {
    PrintStream previous = declaredTarget;
    declaredTarget = newTarget;
    queue.add(() -> target = newTarget);
    return previous;
  }

  /** Where prints go (as of the last {@link #redirect}). */
  PrintStream target() {
    return declaredTarget;
  }

  /** Waits (at most 10 s) until everything queued before this call has been written. */
  void awaitWritten() {
    CountDownLatch written = new CountDownLatch(1);
    queue.add(written::countDown);
    try {
      written.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void println(String line) {
    String text = String.valueOf(line);
    enqueue(text.length(), () -> target.println(text));
  }

  @Override
  public void println(Object value) {
    println(String.valueOf(value));
  }

  @Override
  public void println() {
    enqueue(1, () -> target.println());
  }

  @Override
  public void print(String text) {
    String value = String.valueOf(text);
    enqueue(value.length(), () -> target.print(value));
  }

  @Override
  public void flush() {
    enqueue(0, () -> target.flush());
  }

  /** Writes everything queued, then stops the writer thread; waits at most 10 s for a slow end. */
  @Override
  public void close() {
    OPEN.remove(this);
    queue.add(END);
    try {
      writer.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    declaredTarget.flush();
  }

  private void enqueue(long chars, Runnable print) {
    synchronized (queue) {
      if (pendingChars + chars > MAX_PENDING_CHARS) {
        dropped++;
        return;
      }
      if (dropped > 0) {
        long count = dropped;
        dropped = 0;
        queue.add(() -> target.println("[ixws: " + count + " prints dropped: output too slow]"));
      }
      pendingChars += chars;
      queue.add(
          () -> {
            print.run();
            synchronized (queue) {
              pendingChars -= chars;
            }
          });
    }
  }

  private void drain() {
    try {
      Runnable next;
      while ((next = queue.take()) != END) {
        next.run();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
