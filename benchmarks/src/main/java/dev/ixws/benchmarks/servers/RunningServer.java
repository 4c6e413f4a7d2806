package dev.ixws.benchmarks.servers;

/** An echo server started in-process: its bound port and how to stop it. */
public interface RunningServer extends AutoCloseable {

  /** The bound port. */
  int port();

  /** Stops the server. */
  @Override
  void close();
}
