package dev.ixws.testkit;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Queues every event a callback receives so a test can take them in order, with a timeout, and
 * check that nothing unexpected is left (after OkHttp's {@code WebSocketRecorder}).
 *
 * <p>Thread-safe: callbacks may run on any thread.
 */
public final class EventRecorder<T> implements Consumer<T> {

  /** How long {@link #next()} waits by default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final LinkedBlockingQueue<T> events = new LinkedBlockingQueue<>();

  /** Creates an empty recorder. */
  public EventRecorder() {}

  @Override
  public void accept(T event) {
    events.add(event);
  }

  /** The next event, waiting up to {@link #DEFAULT_TIMEOUT}; fails the test if none arrives. */
  public T next() {
    return next(DEFAULT_TIMEOUT);
  }

  /** The next event, waiting up to {@code timeout}; fails the test if none arrives. */
  public T next(Duration timeout) {
    try {
      T event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (event == null) {
        fail("no event within " + timeout);
      }
      return event;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for an event", e);
    }
  }

  /** Skips events until one matches, failing if none does within {@code timeout}. */
  public T nextMatching(Predicate<? super T> predicate, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        fail("no matching event within " + timeout);
      }
      T event = next(Duration.ofNanos(left));
      if (predicate.test(event)) {
        return event;
      }
    }
  }

  /** Fails if an event arrives within {@code quietPeriod}. */
  public void assertNoMoreEvents(Duration quietPeriod) {
    try {
      T event = events.poll(quietPeriod.toMillis(), TimeUnit.MILLISECONDS);
      assertNull(event, "unexpected event");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Fails if an event is already queued. */
  public void assertEmpty() {
    assertNull(events.peek(), "unexpected event");
  }
}
