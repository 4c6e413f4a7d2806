package dev.ixws.examples;

import dev.ixws.NetSystem;
import java.util.function.Consumer;

/**
 * The guide's "Windows note": {@code ix::initNetSystem()} at the start of {@code main} and {@code
 * ix::uninitNetSystem()} at the end.
 *
 * <p>In Java both calls are optional and portable: {@link NetSystem#init()} starts the shared
 * event-loop threads (the first WebSocket or server would start them anyway) and {@link
 * NetSystem#uninit()} stops them, closing whatever is still open.
 */
public final class NetSystemExample {

  /**
   * What the example observed.
   *
   * @param initOk what {@code init()} returned
   * @param initializedInMain whether the threads were running between the two calls
   * @param transport the transport in use ({@code epoll} on Linux, otherwise {@code nio})
   * @param uninitOk what {@code uninit()} returned
   * @param initializedAfterUninit whether the threads were still running after {@code uninit()}
   */
  public record Result(
      boolean initOk,
      boolean initializedInMain,
      String transport,
      boolean uninitOk,
      boolean initializedAfterUninit) {}

  private NetSystemExample() {}

  /** Runs the example, printing to standard output. */
  public static void main(String[] args) {
    run(System.out::println);
  }

  /**
   * Initializes the net system, "runs the application", and uninitializes it. Must not run while
   * other code of the process still uses WebSockets: {@code uninit()} closes them.
   */
  public static Result run(Consumer<String> out) {
    boolean initOk = NetSystem.init();

    // ... the application's clients and servers run here ...
    boolean running = NetSystem.isInitialized();
    String transport = NetSystem.transportName();
    out.accept("net system running: " + running + " (transport " + transport + ")");

    boolean uninitOk = NetSystem.uninit();
    boolean runningAfter = NetSystem.isInitialized();
    out.accept("net system running after uninit: " + runningAfter);
    return new Result(initOk, running, transport, uninitOk, runningAfter);
  }
}
