package dev.ixws.internal.codec;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory that messages still being received may hold, shared by every connection of one owner
 * (a server): each {@link FrameReader} charges its message buffer here while the message waits for
 * more bytes, and gives it back when the message is delivered, fails or the connection ends. A
 * reader whose charge would take the total over the limit fails its connection with 1009 ({@link
 * #exhaustedReason()}), so that many stalled peers cost the process a bounded amount, never an
 * {@code OutOfMemoryError}.
 *
 * <p>Only what is held between reads is charged: a message that arrives whole within one read is
 * delivered without touching the shared counter, so small messages pay nothing for the budget.
 *
 * <p>Thread-safe: the readers of different event loops charge it concurrently.
 */
public final class ReceiveBudget {

  /**
   * No limit and no accounting: every charge succeeds and nothing is counted (clients, whose
   * connections are each bounded by their max message size and which choose their own peers).
   */
  public static final ReceiveBudget UNLIMITED = new ReceiveBudget("unlimited", Long.MAX_VALUE);

  private final String owner;
  private final long limitBytes;
  private final AtomicLong usedBytes = new AtomicLong();

  /**
   * A budget of {@code limitBytes}.
   *
   * @param owner who the budget belongs to, for the close reason ("server")
   */
  public ReceiveBudget(String owner, long limitBytes) {
    if (limitBytes < 1) {
      throw new IllegalArgumentException("receive budget must be positive: " + limitBytes);
    }
    this.owner = owner;
    this.limitBytes = limitBytes;
  }

  /**
   * A server's default: a quarter of the maximum heap ({@link Runtime#maxMemory()}), which leaves
   * the rest for the messages already delivered, the application and the other connections.
   */
  public static long defaultServerLimitBytes() {
    return Math.max(1, Runtime.getRuntime().maxMemory() / 4);
  }

  /** The limit, in bytes. */
  public long limitBytes() {
    return limitBytes;
  }

  /** The bytes charged now, over all connections; 0 for {@link #UNLIMITED}. */
  public long usedBytes() {
    return usedBytes.get();
  }

  /**
   * Charges {@code bytes} if the total stays within the limit; false (and nothing charged) if it
   * would not.
   */
  boolean tryCharge(long bytes) {
    if (this == UNLIMITED) {
      return true;
    }
    while (true) {
      long used = usedBytes.get();
      long next = used + bytes;
      if (next > limitBytes || next < 0) {
        return false;
      }
      if (usedBytes.compareAndSet(used, next)) {
        return true;
      }
    }
  }

  /** Gives back {@code bytes} charged before. */
  void release(long bytes) {
    if (this != UNLIMITED) {
      usedBytes.addAndGet(-bytes);
    }
  }

  /** The close reason of a connection failed because the budget is spent. */
  String exhaustedReason() {
    return owner + " receive budget of " + limitBytes + " bytes exhausted";
  }

  @Override
  public String toString() {
    return "ReceiveBudget[" + owner + ", " + usedBytes.get() + "/" + limitBytes + " bytes]";
  }
}
