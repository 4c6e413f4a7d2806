package dev.ixws.cli;

/**
 * A JVM shutdown hook that a command installs while it runs (so Ctrl-C closes its connections
 * cleanly) and removes when it returns (so in-process runs, as in tests, do not pile hooks up).
 */
final class ShutdownHook {

  private final Thread thread;

  private ShutdownHook(Thread thread) {
    this.thread = thread;
  }

  /**
   * Installs {@code action} to run when the JVM shuts down; what the command printed, the lines the
   * action makes it print included, is written out before the hook ends.
   */
  static ShutdownHook install(Runnable action) {
    Thread thread =
        new Thread(
            () -> {
              try {
                action.run();
              } finally {
                AsyncPrintStream.drainAll();
              }
            },
            "ixws-shutdown");
    Runtime.getRuntime().addShutdownHook(thread);
    return new ShutdownHook(thread);
  }

  /** Removes the hook; does nothing once the JVM is shutting down (the hook is running then). */
  void remove() {
    try {
      Runtime.getRuntime().removeShutdownHook(thread);
    } catch (IllegalStateException shuttingDown) {
      // The hook has been started or has run; it cannot and need not be removed.
    }
  }
}
