package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code ixws} command line running in-process on its own thread, with its stdin fed from a
 * pipe the test writes to and its stdout and stderr captured line by line.
 */
final class CommandRun {

  final CapturedLines out = new CapturedLines();
  final CapturedLines err = new CapturedLines();
  private final PipedOutputStream stdin = new PipedOutputStream();
  private final Thread thread;
  private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();

  private CommandRun(String... args) {
    InputStream in;
    try {
      in = new PipedInputStream(stdin, 64 * 1024);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Terminal terminal = new Terminal(in, StandardCharsets.UTF_8, out.stream(), err.stream());
    thread =
        new Thread(
            () -> {
              try {
                exitCode.complete(Ixws.run(terminal, args));
              } catch (Throwable t) {
                exitCode.completeExceptionally(t);
              }
            },
            "ixws-command");
    thread.setDaemon(true);
  }

  /** The next line of stdout, waiting up to 10 s; on a timeout the failure shows stderr. */
  String nextOut() {
    try {
      return out.next();
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; stderr so far:\n" + err.text(), e);
    }
  }

  /** Starts {@code ixws args...} on a new thread. */
  static CommandRun start(String... args) {
    CommandRun run = new CommandRun(args);
    run.thread.start();
    return run;
  }

  /** Runs {@code ixws args...} with an empty stdin and returns its exit code. */
  static CommandRun runToEnd(String... args) {
    CommandRun run = start(args);
    run.closeStdin();
    run.awaitExit();
    return run;
  }

  /** Writes {@code line} and a newline to the command's stdin. */
  void type(String line) {
    try {
      stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends the command's stdin, as Ctrl-D does. */
  void closeStdin() {
    try {
      stdin.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Interrupts the command's thread, as Ctrl-C stops the real tool. */
  void interrupt() {
    thread.interrupt();
  }

  /** The exit code, waiting up to 10 s for the command to return. */
  int awaitExit() {
    return awaitExit(Duration.ofSeconds(10));
  }

  /** The exit code, waiting up to {@code timeout} for the command to return. */
  int awaitExit(Duration timeout) {
    try {
      return exitCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException e) {
      throw new AssertionError("the command threw", e.getCause());
    } catch (TimeoutException e) {
      return fail(
          "the command did not return within "
              + timeout
              + "; stdout:\n"
              + out.text()
              + "\nstderr:\n"
              + err.text()
              + "\nthreads in our code:\n"
              + ourThreads());
    }
  }

  /** The stacks of the threads running our code: what a hung command was waiting for. */
  private static String ourThreads() {
    StringBuilder dump = new StringBuilder();
    Thread.getAllStackTraces()
        .forEach(
            (thread, stack) -> {
              boolean ours = false;
              for (StackTraceElement frame : stack) {
                ours |= frame.getClassName().startsWith("dev.ixws.");
              }
              if (ours) {
                dump.append('"').append(thread.getName()).append("\" ").append(thread.getState());
                for (StackTraceElement frame : stack) {
                  dump.append("\n    at ").append(frame);
                }
                dump.append('\n');
              }
            });
    return dump.toString();
  }
}
