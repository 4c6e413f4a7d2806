package dev.ixws.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket implementation nobody here wrote, run as a separate process: how to start its
 * scripts and how to check it is installed.
 *
 * <p>A missing peer fails the test with the Debian package to install; it is never skipped.
 */
enum Peer {
  NODE_WS("node ws", "node_echo_server.js", "node_client.js") {
    @Override
    List<String> interpreter() {
      return List.of(NODE.toString());
    }

    @Override
    void checkInstalled() {
      if (!Files.isExecutable(NODE) || !Files.isDirectory(NODE_MODULES.resolve("ws"))) {
        fail(
            "node's ws module is missing ("
                + NODE
                + " and "
                + NODE_MODULES.resolve("ws")
                + " are needed): run `sudo .ci/install-peers` (Debian packages nodejs and"
                + " node-ws) or ./test");
      }
    }
  },

  PYTHON_WEBSOCKETS("python websockets", "python_echo_server.py", "python_client.py") {
    @Override
    List<String> interpreter() {
      // -I: ignore PYTHONPATH and user site-packages, so Debian's websockets 10.4 is the one used.
      return List.of(PYTHON.toString(), "-I");
    }

    @Override
    void checkInstalled() {
      String problem = PythonCheck.PROBLEM;
      if (problem != null) {
        fail(
            "Python's websockets is missing ("
                + problem
                + "): run `sudo .ci/install-peers` (Debian packages python3 and"
                + " python3-websockets) or ./test");
      }
    }
  };

  static final Path NODE = Path.of("/usr/bin/node");
  static final Path NODE_MODULES = Path.of("/usr/share/nodejs");
  static final Path PYTHON = Path.of("/usr/bin/python3");

  private final String displayName;
  private final String serverScript;
  private final String clientScript;

  Peer(String displayName, String serverScript, String clientScript) {
    this.displayName = displayName;
    this.serverScript = serverScript;
    this.clientScript = clientScript;
  }

  /** The command that runs a script of this peer, without the script. */
  abstract List<String> interpreter();

  /** Fails the test, naming the Debian package, when the peer is not installed. */
  abstract void checkInstalled();

  /** The command line of the echo server script. */
  List<String> serverCommand() {
    return command(serverScript, List.of());
  }

  /** The command line of the per-message deflate echo server, with its options as JSON. */
  List<String> deflateServerCommand(String optionsJson) {
    return command(
        this == NODE_WS ? "node_deflate_server.js" : "python_deflate_server.py",
        List.of(optionsJson));
  }

  /** The command line of the per-message deflate client for {@code url}, options as JSON. */
  List<String> deflateClientCommand(String url, String optionsJson) {
    return command(
        this == NODE_WS ? "node_deflate_client.js" : "python_deflate_client.py",
        List.of(url, optionsJson));
  }

  /** The command line of the client script for {@code url} and {@code scenario}. */
  List<String> clientCommand(String url, String scenario) {
    return command(clientScript, List.of(url, scenario));
  }

  private List<String> command(String script, List<String> arguments) {
    List<String> command = new ArrayList<>(interpreter());
    command.add(PeerProcess.script(script).toString());
    command.addAll(arguments);
    return command;
  }

  @Override
  public String toString() {
    return displayName;
  }

  /** Runs the Python check once per test JVM, on first use. */
  private static final class PythonCheck {
    static final String PROBLEM = pythonImportProblem();
  }

  /** Why {@code import websockets} fails with Debian's interpreter, or null if it works. */
  private static String pythonImportProblem() {
    if (!Files.isExecutable(PYTHON)) {
      return PYTHON + " not found";
    }
    try {
      Process check =
          new ProcessBuilder(PYTHON.toString(), "-I", "-c", "import websockets")
              .redirectErrorStream(true)
              .start();
      if (!check.waitFor(20, TimeUnit.SECONDS)) {
        check.destroyForcibly();
        return "'import websockets' did not finish in 20 s";
      }
      String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return check.exitValue() == 0 ? null : "'import websockets' failed: " + output.strip();
    } catch (IOException e) {
      return "cannot run " + PYTHON + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while checking";
    }
  }
}
