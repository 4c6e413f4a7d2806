package dev.ixws.internal;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Builds the part of a pipeline that runs once the opening handshake is done, the same on client
 * and server: Netty's frame codec (installed by its handshaker), then UTF-8 validation of text,
 * flush consolidation, and the {@link WebSocketSession}.
 */
public final class SessionPipeline {

  /** Flushes at most every this many writes while a read is in progress. */
  private static final int FLUSH_EVERY_WRITES = 256;

  private SessionPipeline() {}

  /**
   * The frame decoder settings: masking as RFC 6455 section 5.1 requires for the role (a server
   * fails unmasked frames, a client masked ones), no extensions yet, frames up to the message size
   * limit, and protocol violations handed to the session instead of closing on the spot.
   */
  public static WebSocketDecoderConfig decoderConfig(SessionConfig config) {
    return WebSocketDecoderConfig.newBuilder()
        .expectMaskedFrames(!config.client())
        .allowMaskMismatch(false)
        .allowExtensions(false)
        .maxFramePayloadLength(config.maxMessageSize())
        .closeOnProtocolViolation(false)
        .withUTF8Validator(false)
        .build();
  }

  /** Appends the handlers that follow the frame codec, ending with {@code session}. */
  public static void install(ChannelPipeline pipeline, WebSocketSession session) {
    // Text frames, fragmented ones included, are validated as they arrive (RFC 6455 8.1, 1007).
    pipeline.addLast("ws-utf8", new Utf8FrameValidator(false));
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
