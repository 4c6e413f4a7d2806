package dev.ixws;

import dev.ixws.internal.transport.EventLoops;

/**
 * Owns the event-loop threads that every {@code WebSocket} and {@code WebSocketServer} of the
 * process shares: IXWebSocket's {@code ix::initNetSystem()} / {@code ix::uninitNetSystem()}.
 *
 * <p>Calling {@link #init()} is optional: the first client or server starts the threads with the
 * default count. Thousands of connections share these few threads; none is created per connection.
 * The threads are daemon threads, so they never keep the JVM alive on their own.
 *
 * <p>Thread-safe. {@link #uninit()} closes every connection and server still open, waits for the
 * threads to end, and lets a later use start them again.
 */
public final class NetSystem {

  private NetSystem() {}

  /**
   * Starts the shared event loops with the default thread count (the number of available
   * processors), if they are not running yet.
   *
   * @return true (IXWebSocket returns whether the platform's network stack started)
   */
  public static boolean init() {
    EventLoops.start(EventLoops.DEFAULT_THREADS);
    return true;
  }

  /**
   * Starts the shared event loops with {@code ioThreads} threads, if they are not running yet.
   *
   * @throws IllegalArgumentException if {@code ioThreads < 1}
   * @throws IllegalStateException if they are already running with another thread count
   */
  public static boolean init(int ioThreads) {
    if (ioThreads < 1) {
      throw new IllegalArgumentException("ioThreads must be at least 1: " + ioThreads);
    }
    EventLoops.start(ioThreads);
    return true;
  }

  /**
   * Stops the shared event loops: open connections are dropped and servers unbound. Blocks until
   * the threads have ended (a few seconds at most). Must not be called from a callback.
   *
   * @return true
   */
  public static boolean uninit() {
    EventLoops.shutdown();
    return true;
  }

  /** Whether the shared event loops are running. */
  public static boolean isInitialized() {
    return EventLoops.isRunning();
  }

  /** The name of the transport in use: {@code "epoll"} on Linux, otherwise {@code "nio"}. */
  public static String transportName() {
    return EventLoops.transport().lowerName();
  }
}
