package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A node {@code ws} (Debian's node-ws 8.11) script run as a separate process: a strict real peer
 * nobody here wrote. The script prints the port it listens on as its first line. A missing node or
 * module fails the test with the packages to install; it is never skipped.
 */
final class NodePeer implements AutoCloseable {

  private static final Path NODE = Path.of("/usr/bin/node");
  private static final Path NODE_MODULES = Path.of("/usr/share/nodejs");

  private final Process process;
  private final int port;

  private NodePeer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts {@code script}, which must print its port first, and waits for that line. */
  static NodePeer start(String script) {
    if (!Files.isExecutable(NODE) || !Files.isDirectory(NODE_MODULES.resolve("ws"))) {
      fail("node's ws module is missing: install the Debian packages nodejs and node-ws");
    }
    try {
      ProcessBuilder builder =
          new ProcessBuilder(NODE.toString(), "-e", script)
              .redirectError(ProcessBuilder.Redirect.INHERIT);
      builder.environment().put("NODE_PATH", NODE_MODULES.toString());
      Process process = builder.start();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      if (first == null || !first.matches("\\d+")) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        return fail("the node ws peer did not start (first line: " + first + ")");
      }
      return new NodePeer(process, Integer.parseInt(first));
    } catch (IOException e) {
      return fail("cannot run " + NODE + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted");
    }
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
