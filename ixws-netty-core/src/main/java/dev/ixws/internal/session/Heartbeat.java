package dev.ixws.internal.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The heartbeat of one session: pings the peer when the connection has been idle (nothing sent or
 * received) for the ping interval, and reports a peer whose pongs stop coming.
 *
 * <p>A ping counts as missed when its pong has not come by the next heartbeat (IXWebSocket's rule)
 * or, with a pong timeout, when that timeout passes (no new ping is sent while one waits for its
 * pong); any pong counts as an answer. After more than {@code maxMissedPongs} misses in a row,
 * {@code onTimeout} runs. Event-loop confined; idleness is detected by Netty's {@code
 * IdleStateHandler}, which calls {@link #onIdle()}.
 */
final class Heartbeat {

  private static final String PAYLOAD_PREFIX = "ixws::heartbeat::";

  private final HeartbeatConfig config;
  private final ChannelHandlerContext ctx;
  private final Runnable onTimeout;
  private long sequence;
  private boolean awaitingPong;
  private long pingSentNanos;
  private int missed;
  private ScheduledFuture<?> pongTimer;
  private volatile long lastRoundTripNanos = -1;

  Heartbeat(HeartbeatConfig config, ChannelHandlerContext ctx, Runnable onTimeout) {
    this.config = config;
    this.ctx = ctx;
    this.onTimeout = onTimeout;
  }

  /** The connection has been idle for the ping interval: check the last ping, send the next. */
  void onIdle() {
    if (awaitingPong) {
      if (config.pongTimeoutMillis() > 0) {
        // The outstanding ping's pong timer decides; a new ping would replace that timer, and with
        // a timeout longer than the interval a silent peer would then never be detected.
        return;
      }
      if (missedOne()) {
        return;
      }
    }
    sequence++;
    awaitingPong = true;
    pingSentNanos = ctx.executor().ticker().nanoTime();
    ByteBuf payload = ByteBufUtil.writeAscii(ctx.alloc(), PAYLOAD_PREFIX + sequence);
    ctx.writeAndFlush(new PingWebSocketFrame(payload), ctx.voidPromise());
    if (config.pongTimeoutMillis() > 0) {
      long pingSequence = sequence;
      cancelPongTimer();
      pongTimer =
          ctx.executor()
              .schedule(
                  () -> {
                    if (awaitingPong && sequence == pingSequence) {
                      awaitingPong = false;
                      missedOne();
                    }
                  },
                  config.pongTimeoutMillis(),
                  TimeUnit.MILLISECONDS);
    }
  }

  /** A pong arrived: the peer is alive. Measures the round trip if it answers our last ping. */
  void onPong(String payload) {
    if (awaitingPong && payload.equals(PAYLOAD_PREFIX + sequence)) {
      lastRoundTripNanos = ctx.executor().ticker().nanoTime() - pingSentNanos;
    }
    awaitingPong = false;
    missed = 0;
    cancelPongTimer();
  }

  /** The round trip of the last answered heartbeat ping in nanoseconds, or -1. Any thread. */
  long lastRoundTripNanos() {
    return lastRoundTripNanos;
  }

  /** Stops the pong timer; the session is closing. */
  void stop() {
    cancelPongTimer();
  }

  /** Counts a missed pong; returns true (and gives up) when the tolerance is exceeded. */
  private boolean missedOne() {
    missed++;
    if (missed > config.maxMissedPongs()) {
      onTimeout.run();
      return true;
    }
    return false;
  }

  private void cancelPongTimer() {
    if (pongTimer != null) {
      pongTimer.cancel(false);
      pongTimer = null;
    }
  }
}
