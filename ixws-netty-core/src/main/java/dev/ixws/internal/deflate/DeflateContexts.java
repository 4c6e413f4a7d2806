package dev.ixws.internal.deflate;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many per-connection compression contexts (compressors and inflaters kept for context
 * takeover) are alive in this process: made with a connection's first compressed message, ended
 * with the connection. The per-thread ones shared by connections without context takeover are not
 * counted. Tests use it to prove that closing connections frees them all.
 */
public final class DeflateContexts {

  private static final AtomicInteger LIVE = new AtomicInteger();

  private DeflateContexts() {}

  /** The per-connection contexts alive now. */
  public static int live() {
    return LIVE.get();
  }

  static void made() {
    LIVE.incrementAndGet();
  }

  static void ended() {
    LIVE.decrementAndGet();
  }
}
