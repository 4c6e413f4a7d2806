package dev.ixws.testkit.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Captures what the library's handlers log when an exception reaches them ({@code
 * exceptionCaught}), which they do at debug level and then swallow: the only trace of an exception
 * that escaped to the event loop. Install once per test class with {@link #install}; {@link
 * #drain()} after each input. Thread-safe.
 */
public final class CaughtExceptions extends AppenderBase<ILoggingEvent> {

  private final Predicate<ILoggingEvent> isException;
  private final List<String> caught = new ArrayList<>();

  private CaughtExceptions(Predicate<ILoggingEvent> isException) {
    this.isException = isException;
  }

  /**
   * Attaches a capture to each of {@code loggers} (set to debug and detached from the console, so a
   * fuzz run does not flood the log), keeping the events {@code isException} accepts.
   */
  public static CaughtExceptions install(Predicate<ILoggingEvent> isException, String... loggers) {
    CaughtExceptions capture = new CaughtExceptions(isException);
    capture.setContext((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory());
    capture.start();
    for (String name : loggers) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      logger.setLevel(Level.DEBUG);
      logger.setAdditive(false);
      logger.addAppender(capture);
    }
    return capture;
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (isException.test(event)) {
      synchronized (caught) {
        caught.add(event.getLoggerName() + ": " + event.getFormattedMessage());
      }
    }
  }

  /** The exceptions logged since the last call. */
  public List<String> drain() {
    synchronized (caught) {
      List<String> copy = new ArrayList<>(caught);
      caught.clear();
      return copy;
    }
  }
}
