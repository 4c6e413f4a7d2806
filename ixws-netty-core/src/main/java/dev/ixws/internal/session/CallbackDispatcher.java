package dev.ixws.internal.session;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the user callbacks of one WebSocket in order and never two at once: inline on the calling
 * event-loop thread by default, or one after the other on a user executor.
 *
 * <p>A callback that throws is logged; the exception never reaches the I/O code.
 */
public final class CallbackDispatcher {

  private static final Logger log = LoggerFactory.getLogger(CallbackDispatcher.class);

  // Inline dispatch has no state: one instance serves every connection (an idle server holds one
  // dispatcher per connection, so a queue each would cost about 110 bytes per connection).
  private static final CallbackDispatcher INLINE = new CallbackDispatcher(null);

  private final Executor executor;
  // Guarded by itself; null without an executor.
  private final ArrayDeque<Runnable> queue;
  private boolean draining;

  /**
   * Callbacks run inline when {@code executor} is null, on the executor otherwise; {@link
   * #forExecutor} shares one inline dispatcher instead of making one per connection.
   */
  public CallbackDispatcher(Executor executor) {
    this.executor = executor;
    this.queue = executor == null ? null : new ArrayDeque<>();
  }

  /**
   * A dispatcher whose callbacks run inline when {@code executor} is null (the shared stateless
   * one), on the executor otherwise (one per WebSocket: it keeps their order).
   */
  public static CallbackDispatcher forExecutor(Executor executor) {
    return executor == null ? INLINE : new CallbackDispatcher(executor);
  }

  /**
   * Calls {@code target} with {@code value} after every callback dispatched before it; inline, it
   * allocates nothing (the per-message path).
   */
  public <T> void dispatch(Consumer<T> target, T value) {
    if (executor == null) {
      try {
        target.accept(value);
      } catch (RuntimeException | Error e) {
        log.warn("a WebSocket callback threw; the connection is not affected", e);
      }
      return;
    }
    dispatch(() -> target.accept(value));
  }

  /** Runs {@code callback} after every callback dispatched before it. */
  public void dispatch(Runnable callback) {
    if (executor == null) {
      runSafely(callback);
      return;
    }
    synchronized (queue) {
      queue.add(callback);
      if (draining) {
        return;
      }
      draining = true;
    }
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException e) {
      log.warn("callback executor rejected a task; running callbacks inline", e);
      drain();
    }
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (queue) {
        next = queue.poll();
        if (next == null) {
          draining = false;
          return;
        }
      }
      runSafely(next);
    }
  }

  private static void runSafely(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException | Error e) {
      log.warn("a WebSocket callback threw; the connection is not affected", e);
    }
  }
}
