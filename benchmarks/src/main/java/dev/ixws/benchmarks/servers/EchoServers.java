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

  /**
   * The certificate and key files after {@code --tls} ({@code --tls CERT KEY}, PEM), or null for a
   * plain server. The engine is chosen by the system property {@value #ENGINE_PROPERTY} ({@code
   * boringssl}, the default, or {@code jdk}), for our server (which reads it itself) and for the
   * peers alike.
   */
  static String[] tlsFiles(String[] args) {
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--tls")) {
        if (i + 2 >= args.length) {
          throw new IllegalArgumentException("--tls needs a certificate file and a key file");
        }
        return new String[] {args[i + 1], args[i + 2]};
      }
    }
    return null;
  }

  /** The system property that picks the TLS engine (the one our library reads). */
  static final String ENGINE_PROPERTY = "dev.ixws.tls.engine";

  /** Whether the TLS engine asked for is the JDK's (otherwise BoringSSL through tcnative). */
  static boolean jdkEngine() {
    String engine = System.getProperty(ENGINE_PROPERTY, "boringssl");
    if (!engine.equals("jdk") && !engine.equals("boringssl")) {
      throw new IllegalArgumentException(ENGINE_PROPERTY + " must be boringssl or jdk: " + engine);
    }
    return engine.equals("jdk");
  }

  /** Prints the line the harness waits for. */
  static void ready(int port) {
    System.out.println("PORT " + port);
    System.out.flush();
  }
}
