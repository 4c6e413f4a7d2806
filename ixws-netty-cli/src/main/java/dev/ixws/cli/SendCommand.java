package dev.ixws.cli;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketSendInfo;
import dev.ixws.client.WebSocket;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ixws send URL FILE}: IX's {@code ws send}, through a {@code transfer} relay to a {@code
 * receive}. The file is read and sent in chunks of {@value FileTransfer#CHUNK_BYTES} bytes, never
 * held whole in memory, at most {@value FileTransfer#WINDOW_BYTES} bytes ahead of what the receiver
 * reports written, with its SHA-256 at the end; the command exits with {@link Ixws#EXIT_OK} once
 * the receiver confirms the same hash. It fails with {@link Ixws#EXIT_FAILURE} and one line on
 * stderr when no receiver answers, the receiver refuses (a file name it will not write, a hash that
 * differs) or the connection drops mid-file (nothing is resumed: send again). See {@link
 * FileTransfer} for the protocol.
 */
@Command(
    name = "send",
    header = "Send a file through a transfer relay.",
    mixinStandardHelpOptions = true,
    description = "Send FILE through a transfer relay to a receive command, SHA-256 verified.")
final class SendCommand implements Callable<Integer> {

  private final Terminal terminal;

  @Parameters(index = "0", paramLabel = "URL", description = "The transfer relay's URL")
  private String url;

  @Parameters(index = "1", paramLabel = "FILE", description = "The file to send")
  private Path file;

  @Option(
      names = {"--ready-timeout", "--ready_timeout"},
      defaultValue = "60",
      paramLabel = "SECS",
      description =
          "How long to wait for a receiver to accept the file (default: ${DEFAULT-VALUE}).")
  private int readyTimeoutSecs;

  /** What the receiver said last; guarded by {@code this}. */
  private String refused;

  private boolean ready;
  private long writtenByReceiver;
  private String confirmedSha;
  private String closed;

  @Option(
      names = {"-x", "--disable-deflate"},
      description =
          "Do not offer per-message deflate (IX's -x; worth it for data that is already compressed).")
  private boolean disableDeflate;

  @Mixin private TlsFlags tls = new TlsFlags();

  SendCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      terminal.err().println("Error: cannot read " + file + ": not a readable file");
      return Ixws.EXIT_FAILURE;
    }
    String name = file.getFileName().toString();
    String id = UUID.randomUUID().toString();
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
    webSocket.disableAutomaticReconnection();
    webSocket.setOnMessageCallback(msg -> onMessage(id, msg));
    PrintStream out = terminal.out();
    ShutdownHook hook = ShutdownHook.install(webSocket::stop);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      webSocket.start();
      if (!await(() -> webSocket.getReadyState() == dev.ixws.ReadyState.OPEN, 60)) {
        return fail("cannot connect to " + url + (closed == null ? "" : ": " + closed));
      }
      out.println("Sending " + name + " (" + size + " bytes) to " + url);
      webSocket.sendText(FileTransfer.file(id, name, size));
      if (!await(() -> ready, readyTimeoutSecs)) {
        return fail(
            refused != null
                ? "the receiver refused: " + refused
                : closed != null
                    ? "connection closed: " + closed
                    : "no receiver accepted the file within " + readyTimeoutSecs + " s");
      }
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      ByteBuffer buffer = ByteBuffer.allocate(FileTransfer.CHUNK_BYTES);
      Progress progress = new Progress(terminal, "Sent", size);
      long sent = 0;
      while (sent < size) {
        long alreadySent = sent;
        // The window: wait for the receiver's progress, and for our own socket to drain.
        if (!await(
            () ->
                alreadySent - writtenByReceiver < FileTransfer.WINDOW_BYTES
                    && webSocket.getBufferedAmount() < FileTransfer.WINDOW_BYTES,
            60)) {
          return fail(failure(sent, size));
        }
        buffer.clear();
        int n = channel.read(buffer, sent);
        if (n < 0) {
          return fail(file + " shrank while being sent");
        }
        buffer.flip();
        sha256.update(buffer.duplicate());
        WebSocketSendInfo result = webSocket.sendBinary(buffer);
        if (!result.success()) {
          return fail(failure(sent, size));
        }
        sent += n;
        progress.update(sent);
      }
      byte[] digest = sha256.digest();
      webSocket.sendText(FileTransfer.end(id, digest));
      String hex = FileTransfer.hex(digest);
      if (!await(() -> confirmedSha != null, 60)) {
        return fail(refused != null ? "the receiver refused: " + refused : failure(sent, size));
      }
      if (!confirmedSha.equals(hex)) {
        return fail("the receiver confirmed another SHA-256: " + confirmedSha);
      }
      out.println("Sent " + name + ": " + size + " bytes, sha256 " + hex + " confirmed");
      return Ixws.EXIT_OK;
    } catch (IOException e) {
      return fail("cannot read " + file + ": " + e.getMessage());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Ixws.EXIT_INTERRUPTED;
    } finally {
      hook.remove();
      webSocket.stop();
    }
  }

  private synchronized String failure(long sent, long size) {
    String why =
        refused != null
            ? "the receiver refused: " + refused
            : closed != null ? "connection closed: " + closed : "the receiver stopped answering";
    return why + " after " + sent + " of " + size + " bytes";
  }

  private int fail(String reason) {
    terminal.err().println("Error: " + reason);
    return Ixws.EXIT_FAILURE;
  }

  /** A condition over the fields guarded by {@code this}. */
  private interface Condition {
    boolean holds();
  }

  /**
   * Waits until {@code condition} holds (true), or the receiver refused, the connection closed or
   * {@code timeoutSecs} passed (false).
   */
  private synchronized boolean await(Condition condition, int timeoutSecs)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSecs);
    while (!condition.holds()) {
      long left = deadline - System.nanoTime();
      if (refused != null || closed != null || left <= 0) {
        return false;
      }
      // Woken by every event; the bound also covers the socket draining, which signals nothing.
      wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 10)));
    }
    return true;
  }

  // Runs on the event loop: records what the receiver said and wakes the sending thread.
  private synchronized void onMessage(String id, WebSocketMessage msg) {
    switch (msg.type()) {
      case MESSAGE -> {
        Optional<Map<String, Object>> parsed =
            msg.binary() ? Optional.empty() : FileTransfer.parse(msg.str());
        if (parsed.isEmpty() || !id.equals(parsed.get().get("id"))) {
          return; // another transfer's, or not for us
        }
        Map<String, Object> fields = parsed.get();
        switch ((String) fields.get("kind")) {
          case "ready" -> ready = true;
          case "progress" -> {
            if (fields.get("bytes") instanceof Long bytes) {
              writtenByReceiver = Math.max(writtenByReceiver, bytes);
            }
          }
          case "done" -> {
            if (fields.get("sha256") instanceof String sha) {
              confirmedSha = sha;
            }
          }
          case "error" ->
              refused = fields.get("message") instanceof String m ? m : "no reason given";
          default -> {
            // Our own kinds, relayed back by nobody: ignored.
          }
        }
      }
      case CLOSE -> closed = Messages.describe(msg.closeInfo());
      case ERROR -> closed = Messages.describe(msg.errorInfo());
      default -> {
        return;
      }
    }
    notifyAll();
  }
}
