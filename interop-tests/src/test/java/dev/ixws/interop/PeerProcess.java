package dev.ixws.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A peer script running as a child process: its stdout is read line by line into a queue, its
 * stderr is kept for failure messages, and {@link #close()} kills it.
 *
 * <p>Server scripts print {@code PORT <n>} as their first line; {@link #startServer} waits for it.
 * Thread-safe for one test thread plus the two reader threads it starts.
 */
final class PeerProcess implements AutoCloseable {

  private static final Pattern PORT_LINE = Pattern.compile("PORT (\\d+)");
  private static final Duration PORT_TIMEOUT = Duration.ofSeconds(10);

  private final String description;
  private final Process process;
  private final LinkedBlockingQueue<String> stdout = new LinkedBlockingQueue<>();
  private final StringBuffer stderr = new StringBuffer();
  private final Thread stdoutReader;
  private final Thread stderrReader;
  private int port;

  private PeerProcess(String description, Process process) {
    this.description = description;
    this.process = process;
    this.stdoutReader = reader(process.getInputStream(), "stdout", stdout::add);
    this.stderrReader =
        reader(process.getErrorStream(), "stderr", line -> stderr.append(line).append('\n'));
  }

  /** Starts {@code peer}'s echo server and waits for its port. */
  static PeerProcess startServer(Peer peer) {
    return startServer(peer, peer + " echo server", peer.serverCommand());
  }

  /** Starts {@code peer}'s per-message deflate echo server with {@code optionsJson}. */
  static PeerProcess startDeflateServer(Peer peer, String optionsJson) {
    return startServer(
        peer, peer + " deflate echo server " + optionsJson, peer.deflateServerCommand(optionsJson));
  }

  /** Starts {@code peer}'s per-message deflate client against {@code url}. */
  static PeerProcess startDeflateClient(Peer peer, String url, String optionsJson) {
    return start(
        peer, peer + " deflate client " + optionsJson, peer.deflateClientCommand(url, optionsJson));
  }

  private static PeerProcess startServer(Peer peer, String description, List<String> command) {
    PeerProcess server = start(peer, description, command);
    try {
      String first = server.nextLine(PORT_TIMEOUT);
      Matcher matcher = PORT_LINE.matcher(first);
      if (!matcher.matches()) {
        fail(server + " printed '" + first + "' instead of its port" + server.stderrNote());
      }
      server.port = Integer.parseInt(matcher.group(1));
      return server;
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  /** Starts {@code peer}'s client script against {@code url} with {@code scenario}. */
  static PeerProcess startClient(Peer peer, String url, String scenario) {
    return start(peer, peer + " client (" + scenario + ")", peer.clientCommand(url, scenario));
  }

  private static PeerProcess start(Peer peer, String description, List<String> command) {
    peer.checkInstalled();
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("NODE_PATH", Peer.NODE_MODULES.toString());
    builder.environment().put("PYTHONUNBUFFERED", "1");
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      return new PeerProcess(description, process);
    } catch (IOException e) {
      throw new AssertionError("cannot start " + description + ": " + command, e);
    }
  }

  /** The path of a peer script among the test resources. */
  static Path script(String name) {
    URL url = PeerProcess.class.getResource("/peers/" + name);
    if (url == null) {
      fail("peer script /peers/" + name + " is not among the test resources");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The port a server script listens on. */
  int port() {
    return port;
  }

  /** The {@code ws://} URL of a server script. */
  String url() {
    return "ws://127.0.0.1:" + port + "/";
  }

  /** The next stdout line, failing the test if none comes within {@code timeout}. */
  String nextLine(Duration timeout) {
    try {
      String line = stdout.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (line == null) {
        fail(description + " printed no line within " + timeout + exitNote() + stderrNote());
      }
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while reading " + description, e);
    }
  }

  /**
   * Waits for the process to exit and returns every stdout line not taken yet; fails the test if it
   * does not exit within {@code timeout}.
   */
  List<String> awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        fail(
            description
                + " did not exit within "
                + timeout
                + "; it printed "
                + stdout
                + stderrNote());
      }
      // The readers end at end-of-stream, soon after the exit.
      stdoutReader.join(5000);
      stderrReader.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + description, e);
    }
    List<String> lines = new ArrayList<>();
    stdout.drainTo(lines);
    return lines;
  }

  /** The exit code; only after {@link #awaitExit}. */
  int exitValue() {
    return process.exitValue();
  }

  /** What the process wrote on stderr so far. */
  String stderr() {
    return stderr.toString();
  }

  /** A note with the process's stderr for a failure message, or nothing if it wrote none. */
  String stderrNote() {
    String text = stderr().strip();
    return text.isEmpty() ? "" : "\n" + description + " stderr:\n" + text;
  }

  private String exitNote() {
    return process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")";
  }

  /** Kills the process (politely, then forcibly) and waits for it to end. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(3, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return description;
  }

  private Thread reader(InputStream stream, String name, Consumer<String> sink) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  sink.accept(line);
                }
              } catch (IOException e) {
                // The stream closes when the process is killed; nothing more to read.
              }
            },
            description + " " + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
