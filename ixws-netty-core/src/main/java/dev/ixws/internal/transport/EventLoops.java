package dev.ixws.internal.transport;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The process-wide event-loop group behind {@code NetSystem}: started lazily on first use, shared
 * by every client and server, stopped by {@code NetSystem.uninit()}.
 */
public final class EventLoops {

  /** One I/O thread per available processor. */
  public static final int DEFAULT_THREADS = Runtime.getRuntime().availableProcessors();

  private static final Transport TRANSPORT = Transport.detect();
  private static EventLoopGroup group;
  private static int threads;

  private EventLoops() {}

  /** Starts the group with {@code ioThreads} threads unless it is running. */
  public static synchronized void start(int ioThreads) {
    if (group != null) {
      if (ioThreads != threads) {
        throw new IllegalStateException(
            "NetSystem already runs " + threads + " I/O threads; uninit() it first");
      }
      return;
    }
    group =
        new MultiThreadIoEventLoopGroup(
            ioThreads, new DefaultThreadFactory("ixws-io", true), TRANSPORT.ioHandlerFactory());
    threads = ioThreads;
  }

  /** The shared group, started with the default thread count if needed. */
  public static synchronized EventLoopGroup group() {
    if (group == null) {
      start(DEFAULT_THREADS);
    }
    return group;
  }

  /** One event loop of the shared group, chosen round-robin. */
  public static EventLoop next() {
    return group().next();
  }

  /**
   * Whether the calling thread is one of the shared event loops, where blocking would stall every
   * connection of that loop.
   */
  public static boolean inEventLoop() {
    EventLoopGroup current;
    synchronized (EventLoops.class) {
      current = group;
    }
    if (current == null) {
      return false;
    }
    for (io.netty.util.concurrent.EventExecutor executor : current) {
      if (executor.inEventLoop()) {
        return true;
      }
    }
    return false;
  }

  /** Stops the group and waits for its threads to end. */
  public static void shutdown() {
    EventLoopGroup stopping;
    synchronized (EventLoops.class) {
      stopping = group;
      group = null;
    }
    if (stopping != null) {
      stopping.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10_000);
    }
  }

  /** Whether the group is running. */
  public static synchronized boolean isRunning() {
    return group != null;
  }

  /** The transport in use. */
  public static Transport transport() {
    return TRANSPORT;
  }
}
