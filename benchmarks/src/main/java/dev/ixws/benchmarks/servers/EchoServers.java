package dev.ixws.benchmarks.servers;

/** Shared bits of the echo-server main classes: the port argument and the ready line. */
final class EchoServers {

  /** Largest message every echo server accepts (scenario 3 sends 1 MB). */
  static final int MAX_MESSAGE = 16 * 1024 * 1024;

  /** Listen backlog: large enough for the 10,000-connection storm. */
  static final int BACKLOG = 4096;

  private EchoServers() {}

  /** The port from {@code args[0]}, 0 (any free port) when absent. */
  static int port(String[] args) {
    return args.length > 0 ? Integer.parseInt(args[0]) : 0;
  }

  /** Whether {@code flag} is one of the arguments after the port. */
  static boolean flag(String[] args, String flag) {
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals(flag)) {
        return true;
      }
    }
    return false;
  }

  /** Prints the line the harness waits for. */
  static void ready(int port) {
    System.out.println("PORT " + port);
    System.out.flush();
  }
}
