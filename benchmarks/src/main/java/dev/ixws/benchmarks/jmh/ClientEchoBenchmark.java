package dev.ixws.benchmarks.jmh;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.internal.session.HeartbeatConfig;
import dev.ixws.internal.session.SessionConfig;
import dev.ixws.internal.session.SessionPipeline;
import dev.ixws.internal.session.WebSocketSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The client's side of {@code ixws bench}'s loop, without system calls: a client session (the
 * pipeline {@code ClientHandshakeHandler} installs: our frame reader, Netty's masking encoder, then
 * {@link SessionPipeline#install}) reads an unmasked binary echo, and its callback, on the event
 * loop, stamps the time into a reused heap buffer and sends the next message with {@code
 * sendBinary(ByteBuffer)}, as {@code BenchRun.sendNext} does; the masked frame written is read back
 * and released. Not included: the public {@code WebSocket} and its client role around the session
 * (a method call each way) and what the bench does with the echo. Run as on an event-loop thread,
 * like {@link ServerEchoBenchmark}; read {@code gc.alloc.rate.norm}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ClientEchoBenchmark {

  /** Payload size in bytes. */
  @Param({"64", "16384"})
  public int size;

  private static final int BATCH = 1024;

  private final Runnable batchRun = this::runBatch;
  private EmbeddedChannel channel;
  private WebSocketSession session;
  private ByteBuffer scratch;
  private ByteBuf frame;
  private int written;

  /** Builds the client pipeline and checks that an echo makes it send one masked frame. */
  @Setup(Level.Trial)
  public void setUp() {
    SessionConfig config = new SessionConfig(true, 16 << 20, 1000, true, HeartbeatConfig.OFF);
    channel =
        new EmbeddedChannel(
            SessionPipeline.newFrameReader(config), new WebSocket13FrameEncoder(true));
    session = new WebSocketSession(config, this::onMessage);
    SessionPipeline.install(channel.pipeline(), session);
    scratch = ByteBuffer.wrap(Payloads.random(size));
    frame =
        PooledByteBufAllocator.DEFAULT
            .directBuffer()
            .writeBytes(ServerEchoBenchmark.unmaskedFrame(Payloads.random(size)));
    int out = echo();
    int expected = size + (size < 126 ? 6 : 8);
    if (out != expected) {
      throw new IllegalStateException("sent " + out + " bytes, not " + expected);
    }
  }

  /** Closes the channel and frees the frame. */
  @TearDown(Level.Trial)
  public void tearDown() {
    channel.finishAndReleaseAll();
    frame.release();
  }

  private void onMessage(WebSocketMessage message) {
    if (message.type() == WebSocketMessageType.MESSAGE) {
      scratch.putLong(0, System.nanoTime());
      session.sendBinary(scratch);
    }
  }

  /** One echo read, one message sent. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int receiveAndSend() {
    written = 0;
    FastThreadLocalThread.runWithFastThreadLocal(batchRun);
    return written;
  }

  private void runBatch() {
    for (int i = 0; i < BATCH; i++) {
      written += echo();
    }
  }

  private int echo() {
    ChannelPipeline pipeline = channel.pipeline();
    pipeline.fireChannelRead(frame.retainedDuplicate());
    pipeline.fireChannelReadComplete();
    int out = 0;
    ByteBuf buf;
    while ((buf = channel.readOutbound()) != null) {
      out += buf.readableBytes();
      buf.release();
    }
    return out;
  }
}
