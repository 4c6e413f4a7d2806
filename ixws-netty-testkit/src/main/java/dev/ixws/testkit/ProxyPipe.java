package dev.ixws.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One direction of a {@link FaultProxy} connection: reads from a source socket, holds what it read
 * in a queue (for a stall, a delay or a throttle), and writes it on to the sink socket.
 *
 * <p>Event-loop confined, except the counters, which any thread may read. Invariants: every buffer
 * in the queue is owned by the pipe and is either written (the transport then releases it) or
 * released by {@link #abandon()}; the queue holds at most {@link FaultProxy#MAX_BUFFERED_BYTES}
 * plus one read, because reading from the source stops above that (and while stalled, or while the
 * sink cannot take more).
 */
final class ProxyPipe {

  private static final long MIN_TIMER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private record Chunk(ByteBuf buf, long dueNanos) {}

  private final FaultProxy.Direction direction;
  private final EventLoop loop;
  private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
  private Channel source;
  private Channel sink;
  private long delayNanos;
  private boolean oneByteSegments;
  private long bytesPerSecond;
  private double tokens;
  private long tokensAtNanos;
  private boolean stalled;
  private boolean dead; // abandoned: discard everything, keep reading to notice the close
  private boolean sinkClosed;
  private boolean sourceEnded;
  private boolean sourceReset;
  private boolean writeInFlight;
  private ScheduledFuture<?> timer;
  private volatile long queuedBytes;
  private volatile long forwardedBytes;
  private volatile long writes;

  ProxyPipe(FaultProxy.Direction direction, EventLoop loop, FaultProxy.Shaping shaping) {
    this.direction = direction;
    this.loop = loop;
    this.delayNanos = shaping.delayNanos();
    this.oneByteSegments = shaping.oneByteSegments();
    this.bytesPerSecond = shaping.bytesPerSecond();
  }

  void source(Channel channel) {
    this.source = channel;
  }

  void sink(Channel channel) {
    this.sink = channel;
  }

  long forwardedBytes() {
    return forwardedBytes;
  }

  long writes() {
    return writes;
  }

  long bufferedBytes() {
    return queuedBytes;
  }

  boolean alive() {
    return !dead;
  }

  boolean sourceReset() {
    return sourceReset;
  }

  // ------------------------------------------------------------ faults

  void stall() {
    stalled = true;
    updateReading();
  }

  void resume() {
    stalled = false;
    updateReading();
    drain();
  }

  void delayNanos(long nanos) {
    delayNanos = nanos;
  }

  void oneByteSegments(boolean enabled) {
    oneByteSegments = enabled;
    drain();
  }

  void throttle(long rate) {
    bytesPerSecond = rate;
    tokens = 0;
    tokensAtNanos = System.nanoTime();
    drain();
  }

  /** Drops what is held and everything read from now on; reads on, to see the source close. */
  void abandon() {
    dead = true;
    releaseQueue();
    updateReading();
  }

  /** The sink socket closed: nothing can be written any more. */
  void sinkClosed() {
    sinkClosed = true;
    releaseQueue();
  }

  /** The source sent an end of stream: close the sink once everything held is written. */
  void sourceEnded() {
    sourceEnded = true;
    drain();
  }

  // ------------------------------------------------------------ data

  void onRead(ByteBuf buf) {
    if (dead || sinkClosed) {
      buf.release();
      return;
    }
    queue.add(new Chunk(buf, System.nanoTime() + delayNanos));
    queuedBytes += buf.readableBytes();
    drain();
    updateReading();
  }

  /** Reads from the source when nothing holds it back: stall, full queue, full sink. */
  void updateReading() {
    if (source == null || !source.isOpen()) {
      return;
    }
    boolean read =
        dead
            || (!stalled
                && queuedBytes < FaultProxy.MAX_BUFFERED_BYTES
                && sink != null
                && sink.isWritable());
    if (source.config().isAutoRead() != read) {
      source.config().setAutoRead(read); // true also starts a read
    }
  }

  /** Writes what may be written now, and sets a timer for what may be written later. */
  void drain() {
    if (dead || sinkClosed || sink == null || stalled || writeInFlight) {
      return;
    }
    boolean wrote = false;
    long now = System.nanoTime();
    while (!queue.isEmpty() && sink.isWritable()) {
      Chunk head = queue.peek();
      long early = head.dueNanos() - now;
      if (early > 0) {
        schedule(early);
        break;
      }
      int n = oneByteSegments ? 1 : head.buf().readableBytes();
      if (bytesPerSecond > 0) {
        refill(now);
        if (tokens < 1) {
          double wanted = Math.min(n, burst());
          schedule((long) ((wanted - tokens) * 1e9 / bytesPerSecond));
          break;
        }
        n = (int) Math.min(n, (long) tokens);
        tokens -= n;
      }
      ByteBuf out;
      if (n >= head.buf().readableBytes()) {
        queue.poll();
        out = head.buf();
      } else {
        out = head.buf().readRetainedSlice(n);
      }
      queuedBytes -= out.readableBytes();
      forwardedBytes += out.readableBytes();
      writes++;
      if (oneByteSegments) {
        // One byte per write and flush; the next waits for this one, so each is its own segment.
        writeInFlight = true;
        sink.writeAndFlush(out)
            .addListener(
                future -> {
                  writeInFlight = false;
                  if (!future.isSuccess()) {
                    sink.close();
                    return;
                  }
                  drain();
                  updateReading();
                });
        return;
      }
      sink.write(out).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
      wrote = true;
    }
    if (wrote) {
      sink.flush();
    }
    if (queue.isEmpty() && sourceEnded && !sinkClosed) {
      sinkClosed = true;
      sink.close(); // FIN after the last byte, as the source sent it
    }
  }

  private double burst() {
    return Math.max(1, bytesPerSecond / 50.0); // 20 ms worth
  }

  private void refill(long now) {
    tokens = Math.min(burst(), tokens + (now - tokensAtNanos) * (bytesPerSecond / 1e9));
    tokensAtNanos = now;
  }

  private void schedule(long nanos) {
    if (timer != null) {
      return; // a drain is already due; it sets the next timer
    }
    timer =
        loop.schedule(
            () -> {
              timer = null;
              drain();
              updateReading();
            },
            Math.max(MIN_TIMER_NANOS, nanos),
            TimeUnit.NANOSECONDS);
  }

  private void releaseQueue() {
    Chunk chunk;
    while ((chunk = queue.poll()) != null) {
      chunk.buf().release();
    }
    queuedBytes = 0;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  @Override
  public String toString() {
    return direction
        + (stalled ? " stalled" : "")
        + (dead ? " dropped" : "")
        + " forwarded "
        + forwardedBytes
        + " held "
        + queuedBytes;
  }

  /**
   * The handler on one socket: what it reads goes into {@code in}; it is the sink of {@code out}.
   */
  static final class SideHandler extends ChannelInboundHandlerAdapter {
    private final ProxyPipe in;
    private final ProxyPipe out;
    private final Runnable onInactive;

    SideHandler(ProxyPipe in, ProxyPipe out, Runnable onInactive) {
      this.in = in;
      this.out = out;
      this.onInactive = onInactive;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf buf) {
        in.onRead(buf);
      } else {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      out.drain();
      out.updateReading();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      onInactive.run();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (cause instanceof IOException) {
        in.sourceReset = true; // reset by the peer, most likely: pass it on as a reset
      }
      ctx.close();
    }
  }
}
