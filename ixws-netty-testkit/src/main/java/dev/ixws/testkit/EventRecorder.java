package dev.ixws.testkit;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Queues every event a callback receives so a test can take them in order, with a timeout, and
 * check that nothing unexpected is left (after OkHttp's {@code WebSocketRecorder}).
 *
 * <p>Strict: a test fails when an event that arrived while the test method ran is still unread when
 * it returns ({@link UnreadEventsExtension}, registered for every test JVM). Events that arrive
 * before the test method (set-up) or after it (tear-down, such as the {@code CLOSE} of a client
 * stopped in {@code @AfterEach}) are not the test's business. A test that does not care about some
 * events says so: {@link #skipRemaining()} or {@link #nextMatching}.
 *
 * <p>Thread-safe: callbacks may run on any thread.
 */
public final class EventRecorder<T> implements Consumer<T> {

  /** How long {@link #next()} waits by default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final LinkedBlockingQueue<Entry<T>> events = new LinkedBlockingQueue<>();
  private final AtomicLong received = new AtomicLong();

  private record Entry<T>(long sequence, T event) {}

  /** Creates an empty recorder. */
  public EventRecorder() {
    UnreadEventsExtension.register(this);
  }

  @Override
  public void accept(T event) {
    events.add(new Entry<>(received.getAndIncrement(), event));
  }

  /** How many events arrived so far: a mark for {@link #unreadSince}. */
  long mark() {
    return received.get();
  }

  /** The events still unread that arrived at or after {@code mark}. */
  List<T> unreadSince(long mark) {
    List<T> unread = new ArrayList<>();
    for (Entry<T> entry : events) {
      if (entry.sequence() >= mark) {
        unread.add(entry.event());
      }
    }
    return unread;
  }

  /** Takes every event queued now, for a test that does not care about them; returns them. */
  public List<T> skipRemaining() {
    List<Entry<T>> drained = new ArrayList<>();
    events.drainTo(drained);
    return drained.stream().map(Entry::event).toList();
  }

  /** The next event, waiting up to {@link #DEFAULT_TIMEOUT}; fails the test if none arrives. */
  public T next() {
    return next(DEFAULT_TIMEOUT);
  }

  /** The next event, waiting up to {@code timeout}; fails the test if none arrives. */
  public T next(Duration timeout) {
    try {
      Entry<T> entry = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (entry == null) {
        fail("no event within " + timeout);
      }
      return entry.event();
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
      Entry<T> entry = events.poll(quietPeriod.toMillis(), TimeUnit.MILLISECONDS);
      assertNull(entry, () -> "unexpected event: " + entry.event());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Fails if an event is already queued. */
  public void assertEmpty() {
    Entry<T> entry = events.peek();
    assertNull(entry, () -> "unexpected event: " + entry.event());
  }
}
