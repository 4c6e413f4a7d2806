package dev.ixws.testkit;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves unread an event that one of its {@link EventRecorder}s received while
 * the test method ran (OkHttp's rule for its {@code WebSocketRecorder}).
 *
 * <p>Registered for every test JVM through JUnit's extension auto-detection ({@code
 * META-INF/services}), like the leak detector. Just before the test method it marks every live
 * recorder; right after it, before {@code @AfterEach}, it fails the test listing the events
 * received since the mark and not taken. Events of set-up and tear-down are outside the window.
 */
public final class UnreadEventsExtension
    implements BeforeTestExecutionCallback, AfterTestExecutionCallback {

  // Every recorder created in this JVM that is still reachable; pruned as they are collected.
  private static final List<WeakReference<EventRecorder<?>>> RECORDERS = new ArrayList<>();

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(UnreadEventsExtension.class);

  /** Creates the extension; JUnit calls this. */
  public UnreadEventsExtension() {}

  static synchronized void register(EventRecorder<?> recorder) {
    RECORDERS.add(new WeakReference<>(recorder));
  }

  private static synchronized List<EventRecorder<?>> live() {
    List<EventRecorder<?>> live = new ArrayList<>();
    for (Iterator<WeakReference<EventRecorder<?>>> it = RECORDERS.iterator(); it.hasNext(); ) {
      EventRecorder<?> recorder = it.next().get();
      if (recorder == null) {
        it.remove();
      } else {
        live.add(recorder);
      }
    }
    return live;
  }

  @Override
  public void beforeTestExecution(ExtensionContext context) {
    Map<EventRecorder<?>, Long> marks = new IdentityHashMap<>();
    for (EventRecorder<?> recorder : live()) {
      marks.put(recorder, recorder.mark());
    }
    context.getStore(NAMESPACE).put("marks", marks);
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    @SuppressWarnings("unchecked")
    Map<EventRecorder<?>, Long> marks =
        (Map<EventRecorder<?>, Long>) context.getStore(NAMESPACE).get("marks", Map.class);
    List<String> unread = unreadSince(marks == null ? Map.of() : marks);
    if (!unread.isEmpty() && context.getExecutionException().isEmpty()) {
      throw new AssertionError(
          "the test left events unread (take them, or skip them with skipRemaining()): " + unread);
    }
  }

  /** The unread events each live recorder received since its mark (0 for one made since). */
  static List<String> unreadSince(Map<EventRecorder<?>, Long> marks) {
    List<String> unread = new ArrayList<>();
    for (EventRecorder<?> recorder : live()) {
      List<?> left = recorder.unreadSince(marks.getOrDefault(recorder, 0L));
      if (!left.isEmpty()) {
        unread.add(left.toString());
      }
    }
    return unread;
  }
}
