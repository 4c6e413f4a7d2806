package dev.ixws.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** The strict recorder rule, proven by running small tests inside this one. */
class UnreadEventsExtensionTest {

  private static Events run(String method) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
        .selectors(selectMethod(Samples.class, method))
        .execute()
        .testEvents();
  }

  @Test
  void aTestThatLeavesAnEventUnreadFailsNamingIt() {
    Events events = run("leavesOneUnread");
    assertEquals(1, events.failed().count());
    Throwable cause =
        events.failed().stream()
            .findFirst()
            .orElseThrow()
            .getPayload(org.junit.platform.engine.TestExecutionResult.class)
            .orElseThrow()
            .getThrowable()
            .orElseThrow();
    assertTrue(cause.getMessage().contains("left events unread"), cause.getMessage());
    assertTrue(cause.getMessage().contains("surprise"), cause.getMessage());
  }

  @Test
  void readingSkippingAndTearDownEventsPass() {
    assertEquals(1, run("readsEverything").succeeded().count());
    assertEquals(1, run("skipsWhatItDoesNotCareAbout").succeeded().count());
    assertEquals(1, run("eventsOfTearDownAreNotTheTestsBusiness").succeeded().count());
  }

  /** Run only through the engine above (a nested class surefire does not pick up). */
  static class Samples {
    private final EventRecorder<String> recorder = new EventRecorder<>();

    @AfterEach
    void tearDown() {
      recorder.accept("close after the test");
    }

    @Test
    void leavesOneUnread() {
      recorder.accept("expected");
      recorder.accept("surprise");
      assertEquals("expected", recorder.next());
    }

    @Test
    void readsEverything() {
      recorder.accept("a");
      assertEquals("a", recorder.next());
    }

    @Test
    void skipsWhatItDoesNotCareAbout() {
      recorder.accept("noise");
      assertEquals(1, recorder.skipRemaining().size());
    }

    @Test
    void eventsOfTearDownAreNotTheTestsBusiness() {}
  }
}
