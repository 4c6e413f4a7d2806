package dev.ixws.cli;

import dev.ixws.WebSocketMessage;
import dev.ixws.client.WebSocket;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ixws receive URL}: IX's {@code ws receive}. Connects to a {@code transfer} relay, accepts
 * the first file a {@code send} offers, writes it into {@code --output-dir} and exits with {@link
 * Ixws#EXIT_OK} once its SHA-256 matches the sender's.
 *
 * <p>The file is streamed to a temporary file in the output directory and renamed to its name
 * (atomically, after an fsync) only once the hash matched: a half-received file never appears under
 * its final name, and the temporary file is removed when the transfer fails, the connection drops
 * or the command is interrupted. A file name with a directory part, {@code ..}, or control
 * characters is refused (the sender is told why) and the command goes on waiting. File writes run
 * on a thread of the command's own, never on the connection's event loop.
 */
@Command(
    name = "receive",
    header = "Receive a file from a transfer relay.",
    mixinStandardHelpOptions = true,
    description = "Receive one file sent through a transfer relay by a send command.")
final class ReceiveCommand implements Callable<Integer> {

  private final Terminal terminal;

  @Parameters(index = "0", paramLabel = "URL", description = "The transfer relay's URL")
  private String url;

  @Option(
      names = {"--output-dir", "--output_dir"},
      defaultValue = ".",
      paramLabel = "DIR",
      description = "Where the file is written (default: the current directory).")
  private Path outputDir;

  @Option(
      names = "--delay",
      defaultValue = "0",
      paramLabel = "MILLIS",
      description = "Wait this long after each chunk, to play a slow receiver (IX's --delay).")
  private int delayMillis;

  @Option(
      names = {"--idle-timeout", "--idle_timeout"},
      defaultValue = "60",
      paramLabel = "SECS",
      description =
          "Give up a file (and remove it) when no chunk has come for SECS seconds (default:"
              + " ${DEFAULT-VALUE}).")
  private int idleTimeoutSecs;

  /** The file being received; touched only on the callback thread. */
  private Incoming incoming;

  private final CompletableFuture<Integer> ended = new CompletableFuture<>();

  /** Set by Ctrl-C: the writer thread skips the events still queued. */
  private volatile boolean interrupted;

  private static final class Incoming {
    final String id;
    final String name;
    final long size;
    final Path temp;
    final FileChannel channel;
    final MessageDigest sha256;
    final Progress progress;
    long received;
    long reported;
    long lastChunkNanos = System.nanoTime();

    Incoming(String id, String name, long size, Path temp, FileChannel channel, Progress progress)
        throws NoSuchAlgorithmException {
      this.id = id;
      this.name = name;
      this.size = size;
      this.temp = temp;
      this.channel = channel;
      this.sha256 = MessageDigest.getInstance("SHA-256");
      this.progress = progress;
    }
  }

  @Option(
      names = {"-x", "--disable-deflate"},
      description =
          "Do not offer per-message deflate (IX's -x; worth it for data that is already compressed).")
  private boolean disableDeflate;

  @Mixin private TlsFlags tls = new TlsFlags();

  ReceiveCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    if (!Files.isDirectory(outputDir) || !Files.isWritable(outputDir)) {
      terminal.err().println("Error: " + outputDir + " is not a writable directory");
      return Ixws.EXIT_FAILURE;
    }
    WebSocket webSocket = new WebSocket();
    webSocket.setTLSOptions(tls.options());
    if (disableDeflate) {
      webSocket.disablePerMessageDeflate();
    }
    try {
      webSocket.setUrl(url);
    } catch (IllegalArgumentException e) {
      terminal.err().println("Error: " + e.getMessage());
      return Ixws.EXIT_USAGE;
    }
    ScheduledExecutorService writer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "ixws-receive");
              thread.setDaemon(true);
              return thread;
            });
    webSocket.disableAutomaticReconnection();
    webSocket.setCallbackExecutor(
        task -> {
          try {
            writer.execute(task);
          } catch (RejectedExecutionException commandEnded) {
            // An event after the command returned (the last close's): nothing is left to do.
          }
        });
    webSocket.setOnMessageCallback(msg -> onMessage(webSocket, msg));
    // Ctrl-C: close, then have the writer thread remove the partial file before the JVM halts.
    ShutdownHook hook =
        ShutdownHook.install(
            () -> {
              interrupted = true; // events still queued are skipped, the file is given up
              try {
                // The sender is told before the close: the relay would not tell it.
                writer
                    .submit(() -> giveUp(webSocket, "the receiver was interrupted"))
                    .get(5, TimeUnit.SECONDS);
              } catch (RejectedExecutionException | ExecutionException | TimeoutException e) {
                // The command has returned (and cleaned up) or the writer is stuck: nothing to do.
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              webSocket.stop();
            });
    // On the writer thread, like every event: a sender that went silent mid-file.
    writer.scheduleWithFixedDelay(() -> checkIdle(webSocket), 1, 1, TimeUnit.SECONDS);
    webSocket.start();
    boolean wasInterrupted = false;
    try {
      return ended.get();
    } catch (InterruptedException e) {
      wasInterrupted = true;
      return Ixws.EXIT_INTERRUPTED;
    } catch (ExecutionException e) {
      throw new IllegalStateException("the future completes only normally", e);
    } finally {
      // Ended (if an interrupt got here first): the close that follows is not news.
      ended.complete(Ixws.EXIT_INTERRUPTED);
      hook.remove();
      if (wasInterrupted) {
        // As on Ctrl-C: the chunks still queued for a slow disk are skipped, and the sender is
        // told before the close (the relay would not tell it).
        interrupted = true;
        try {
          writer
              .submit(() -> giveUp(webSocket, "the receiver was interrupted"))
              .get(5, TimeUnit.SECONDS);
        } catch (RejectedExecutionException
            | ExecutionException
            | TimeoutException
            | InterruptedException stuck) {
          // The writer is stuck: the discard below still runs when it gets to it.
        }
      }
      webSocket.stop();
      // The callback thread owns the partial file: let it remove it, then stop it.
      writer.execute(() -> discard(null));
      writer.shutdown();
      try {
        writer.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (wasInterrupted) {
        Thread.currentThread().interrupt(); // kept for the caller, once the cleanup is done
      }
    }
  }

  // Runs on the writer thread, one event at a time: file I/O is allowed here.
  private void onMessage(WebSocket webSocket, WebSocketMessage msg) {
    if (interrupted) {
      return;
    }
    PrintStream out = terminal.out();
    switch (msg.type()) {
      case OPEN -> out.println("Waiting for a file on " + url);
      case MESSAGE -> {
        if (msg.binary()) {
          onChunk(webSocket, msg);
        } else {
          FileTransfer.parse(msg.str()).ifPresent(fields -> onControl(webSocket, fields));
        }
      }
      case CLOSE -> {
        discard("connection closed: " + Messages.describe(msg.closeInfo()));
        ended.complete(Ixws.EXIT_FAILURE);
      }
      case ERROR -> {
        discard(Messages.describe(msg.errorInfo()));
        ended.complete(Ixws.EXIT_FAILURE);
      }
      default -> {
        // Pings are answered by the library.
      }
    }
  }

  private void onControl(WebSocket webSocket, Map<String, Object> fields) {
    String id = (String) fields.get("id");
    switch ((String) fields.get("kind")) {
      case "file" -> {
        if (incoming != null || ended.isDone()) {
          webSocket.sendText(FileTransfer.error(id, "busy with another file"));
          return;
        }
        if (!(fields.get("name") instanceof String name)
            || !(fields.get("size") instanceof Long size)
            || size < 0) {
          webSocket.sendText(FileTransfer.error(id, "a file needs a name and a size"));
          return;
        }
        Optional<String> refusal = FileTransfer.refusal(name, outputDir);
        if (refusal.isPresent()) {
          terminal.err().println("Error: refused file name '" + name + "': " + refusal.get());
          webSocket.sendText(FileTransfer.error(id, "refused file name: " + refusal.get()));
          return;
        }
        try {
          Path temp = Files.createTempFile(outputDir, "." + name + ".", ".part");
          FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
          incoming =
              new Incoming(id, name, size, temp, channel, new Progress(terminal, "Received", size));
        } catch (IOException | NoSuchAlgorithmException e) {
          webSocket.sendText(FileTransfer.error(id, "cannot create the file"));
          discard("cannot create a file in " + outputDir + ": " + e.getMessage());
          ended.complete(Ixws.EXIT_FAILURE);
          return;
        }
        terminal.out().println("Receiving " + name + " (" + size + " bytes)");
        webSocket.sendText(FileTransfer.ready(id));
      }
      case "end" -> {
        Incoming file = incoming;
        if (file == null || !file.id.equals(id)) {
          return;
        }
        String expected = fields.get("sha256") instanceof String s ? s : "";
        String actual = FileTransfer.hex(file.sha256.digest());
        if (file.received != file.size || !actual.equals(expected)) {
          String reason =
              file.received != file.size
                  ? "received " + file.received + " of " + file.size + " bytes"
                  : "SHA-256 mismatch: sender " + expected + ", received " + actual;
          webSocket.sendText(FileTransfer.error(id, reason));
          discard(reason);
          ended.complete(Ixws.EXIT_FAILURE);
          return;
        }
        Path target = outputDir.resolve(file.name);
        try {
          file.channel.force(true);
          file.channel.close();
          readableByAll(file.temp);
          Files.move(file.temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          webSocket.sendText(FileTransfer.error(id, "cannot write the file"));
          discard("cannot write " + target + ": " + e.getMessage());
          ended.complete(Ixws.EXIT_FAILURE);
          return;
        }
        incoming = null;
        webSocket.sendText(FileTransfer.done(id, actual));
        terminal
            .out()
            .println(
                "Received "
                    + file.name
                    + ": "
                    + file.size
                    + " bytes, sha256 "
                    + actual
                    + " verified, written to "
                    + target);
        ended.complete(Ixws.EXIT_OK);
      }
      default -> {
        // progress, ready, done, error: the other side's messages, relayed to everyone.
      }
    }
  }

  private void onChunk(WebSocket webSocket, WebSocketMessage msg) {
    Incoming file = incoming;
    if (file == null) {
      return; // a chunk of a transfer this receiver did not accept
    }
    try {
      if (file.received + msg.size() > file.size) {
        throw new IOException("more bytes than the announced " + file.size);
      }
      ByteBuffer data = msg.data();
      file.sha256.update(data.duplicate());
      while (data.hasRemaining()) {
        file.channel.write(data);
      }
      file.received += msg.size();
      file.lastChunkNanos = System.nanoTime();
      file.progress.update(file.received);
      if (file.received - file.reported >= FileTransfer.PROGRESS_BYTES
          || file.received == file.size) {
        file.reported = file.received;
        webSocket.sendText(FileTransfer.progress(file.id, file.received));
      }
      if (delayMillis > 0) {
        Thread.sleep(delayMillis); // on the writer thread, never the event loop
      }
    } catch (IOException e) {
      webSocket.sendText(FileTransfer.error(file.id, "cannot write the file"));
      discard("cannot write the file: " + e.getMessage());
      ended.complete(Ixws.EXIT_FAILURE);
      webSocket.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Gives the file the usual rw-r--r-- instead of the temporary file's rw-------, so it ends as any
   * other downloaded file (where the file system has POSIX permissions).
   */
  private static void readableByAll(Path path) throws IOException {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException notPosix) {
      // The file system's default applies.
    }
  }

  /** Gives up the file being received when no chunk has come for the idle timeout. */
  private void checkIdle(WebSocket webSocket) {
    Incoming file = incoming;
    if (file != null
        && System.nanoTime() - file.lastChunkNanos > TimeUnit.SECONDS.toNanos(idleTimeoutSecs)) {
      giveUp(webSocket, "no data from the sender for " + idleTimeoutSecs + " s");
      ended.complete(Ixws.EXIT_FAILURE);
    }
  }

  /** Tells the sender of the file being received, if any, why it is given up, and removes it. */
  private void giveUp(WebSocket webSocket, String reason) {
    Incoming file = incoming;
    if (file != null) {
      webSocket.sendText(FileTransfer.error(file.id, reason));
      discard(reason);
    }
  }

  /** Closes and deletes the partial file, if any, saying why when {@code reason} is not null. */
  private void discard(String reason) {
    Incoming file = incoming;
    incoming = null;
    if (file == null) {
      if (reason != null && !ended.isDone()) {
        terminal.err().println("Error: " + reason);
      }
      return;
    }
    try {
      file.channel.close();
      Files.deleteIfExists(file.temp);
    } catch (IOException e) {
      terminal.err().println("Error: cannot remove " + file.temp + ": " + e.getMessage());
    }
    terminal
        .err()
        .println(
            "Error: "
                + (reason == null ? "interrupted" : reason)
                + " after "
                + file.received
                + " of "
                + file.size
                + " bytes of "
                + file.name
                + "; the partial file was removed");
  }
}
