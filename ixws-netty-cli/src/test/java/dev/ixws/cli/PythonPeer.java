package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Python {@code websockets} (Debian's python3-websockets 10.4) script run as a separate process:
 * a real peer nobody here wrote. The script prints the port it listens on as its first line. A
 * missing interpreter or module fails the test with the packages to install; it is never skipped.
 */
final class PythonPeer implements AutoCloseable {

  private static final Path PYTHON = Path.of("/usr/bin/python3");

  private final Process process;
  private final int port;

  private PythonPeer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts {@code script}, which must print its port first, and waits up to 20 s for it. */
  static PythonPeer start(String script) {
    if (!Files.isExecutable(PYTHON)) {
      fail(PYTHON + " is missing: install the Debian packages python3 and python3-websockets");
    }
    try {
      Process process =
          new ProcessBuilder(PYTHON.toString(), "-I", "-c", script)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      if (first == null || !first.matches("\\d+")) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        return fail(
            "the Python websockets peer did not start (first line: "
                + first
                + "; is python3-websockets installed?)");
      }
      return new PythonPeer(process, Integer.parseInt(first));
    } catch (IOException e) {
      return fail("cannot run " + PYTHON + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted");
    }
  }

  /**
   * Runs {@code script} with {@code args} to its end (at most 30 s) and returns its stdout lines;
   * fails on a non-zero exit, with its output.
   */
  static List<String> run(String script, String... args) {
    if (!Files.isExecutable(PYTHON)) {
      fail(PYTHON + " is missing: install the Debian packages python3 and python3-websockets");
    }
    List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-I", "-c", script));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      // Read on another thread, so that the 30 s bound holds even when the peer never ends.
      CompletableFuture<String> output =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return new String(
                      process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                  return "(output unreadable: " + e.getMessage() + ")";
                }
              });
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return fail("the Python peer did not finish in 30 s: " + output.getNow("(no output)"));
      }
      if (process.exitValue() != 0) {
        return fail(
            "the Python peer failed (is python3-websockets installed?), exit "
                + process.exitValue()
                + ":\n"
                + output.join());
      }
      return output.join().lines().toList();
    } catch (IOException e) {
      return fail("cannot run " + PYTHON + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted");
    }
  }

  /** A server that answers pings (as websockets does by itself) and sends nothing. */
  static PythonPeer silentServer() {
    return start(
        String.join(
            "\n",
            "import asyncio, websockets",
            "async def handler(ws, path):",
            "    await ws.wait_closed()",
            "async def main():",
            "    async with websockets.serve(handler, '127.0.0.1', 0, compression=None) as s:",
            "        print(s.sockets[0].getsockname()[1], flush=True)",
            "        await asyncio.Future()",
            "asyncio.run(main())"));
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
