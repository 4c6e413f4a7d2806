package dev.ixws.internal.session;

import dev.ixws.internal.codec.FrameReader;
import dev.ixws.internal.codec.ReceiveBudget;
import dev.ixws.internal.deflate.DeflateParameters;
import dev.ixws.internal.deflate.MessageInflater;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Builds the part of a pipeline that runs once the opening handshake is done, the same on client
 * and server: our {@link FrameReader} and Netty's frame encoder (installed by the handshakers),
 * then flush consolidation, the heartbeat's idle timer and the {@link WebSocketSession}.
 */
public final class SessionPipeline {

  /** Flushes at most every this many writes while a read is in progress. */
  private static final int FLUSH_EVERY_WRITES = 256;

  private SessionPipeline() {}

  /**
   * The frame reader for the role: masking as RFC 6455 section 5.1 requires (a server fails
   * unmasked frames, a client masked ones), no extension, messages up to the size limit. The
   * handshakers install it in place of Netty's frame decoder.
   */
  public static FrameReader newFrameReader(SessionConfig config) {
    return newFrameReader(config, ReceiveBudget.UNLIMITED);
  }

  /**
   * As {@link #newFrameReader(SessionConfig)}, charging the messages it holds between reads to
   * {@code budget} (a server's, shared by its connections).
   */
  public static FrameReader newFrameReader(SessionConfig config, ReceiveBudget budget) {
    return newFrameReader(config, budget, null);
  }

  /**
   * As {@link #newFrameReader(SessionConfig, ReceiveBudget)}, inflating compressed messages when
   * per-message deflate was negotiated with {@code deflate} (null when it was not).
   */
  public static FrameReader newFrameReader(
      SessionConfig config, ReceiveBudget budget, DeflateParameters deflate) {
    MessageInflater inflater =
        deflate == null ? null : new MessageInflater(deflate.noContextTakeover(!config.client()));
    return new FrameReader(!config.client(), config.maxMessageSize(), budget, inflater);
  }

  /** Appends the handlers that follow the frame codec, ending with {@code session}. */
  public static void install(ChannelPipeline pipeline, WebSocketSession session) {
    // Writes made while a read is in progress are flushed once, at the end of the read.
    pipeline.addLast("ws-flush", new FlushConsolidationHandler(FLUSH_EVERY_WRITES, true));
    HeartbeatConfig heartbeat = session.config().heartbeat();
    if (heartbeat.enabled()) {
      // Fires when nothing was read or written for the ping interval (traffic resets it).
      pipeline.addLast(
          "ws-idle",
          new IdleStateHandler(0, 0, heartbeat.pingIntervalMillis(), TimeUnit.MILLISECONDS));
    }
    pipeline.addLast("ws-session", session);
  }
}
