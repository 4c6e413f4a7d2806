package dev.ixws.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ixws transfer}: IX's {@code ws transfer}, the relay between {@code send} and {@code
 * receive}: every message to every other client, as {@code broadcast-server} does and with its
 * bounded backlog per client. The sender's window ({@value FileTransfer#WINDOW_BYTES} bytes beyond
 * what the receiver reports written) keeps a healthy receiver's backlog well under the limit; a
 * receiver that stops reading is closed with 1008 once its backlog passes it, and the sender then
 * fails instead of waiting forever.
 */
@Command(
    name = "transfer",
    header = "The relay for send and receive.",
    mixinStandardHelpOptions = true,
    description = "Run the relay that send and receive talk through (a broadcast server).")
final class TransferCommand implements Callable<Integer> {

  /** Twice the sender's window: room for the window plus the control messages. */
  static final long DEFAULT_MAX_QUEUED_BYTES = 2 * FileTransfer.WINDOW_BYTES;

  private final Terminal terminal;

  @Mixin private ServerOptions server;

  @Option(
      names = {"--max-queued-bytes", "--max_queued_bytes"},
      defaultValue = "" + DEFAULT_MAX_QUEUED_BYTES,
      paramLabel = "BYTES",
      description =
          "A client with more than this many bytes waiting to be sent to it is closed with 1008"
              + " (default: ${DEFAULT-VALUE}).")
  private long maxQueuedBytes;

  @Mixin private TlsFlags tls = new TlsFlags();

  TransferCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    if (maxQueuedBytes < 1) {
      terminal.err().println("Error: --max-queued-bytes must be at least 1");
      return Ixws.EXIT_USAGE;
    }
    return new BroadcastServerCommand.Relay(terminal, server, tls, maxQueuedBytes).serve();
  }
}
