package dev.ixws.benchmarks.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Binary frames encoded per second by Netty's {@link WebSocket08FrameEncoder}, as our pipelines
 * install it: masked on the client side (the payload is copied while masked), unmasked on the
 * server side (small frames are merged with their header, large ones go out as header plus the
 * retained payload). Each invocation reads back and releases what was written.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 2, time = 1)
@Fork(1)
public class FrameEncodeBenchmark {

  /** Payload size in bytes. */
  @Param({"64", "16384"})
  public int size;

  /** Whether the frames are masked, as a client sends them. */
  @Param({"true", "false"})
  public boolean masked;

  private EmbeddedChannel channel;
  private ByteBuf payload;

  /** Builds the channel and the payload. */
  @Setup(Level.Trial)
  public void setUp() {
    channel = new EmbeddedChannel(new WebSocket08FrameEncoder(masked));
    payload = Unpooled.directBuffer(size).writeBytes(Payloads.random(size));
  }

  /** Closes the channel and frees the payload. */
  @TearDown(Level.Trial)
  public void tearDown() {
    channel.finishAndReleaseAll();
    payload.release();
  }

  /** One frame encoded; returns the bytes written so the work cannot be eliminated. */
  @Benchmark
  public int encode() {
    channel.writeOutbound(new BinaryWebSocketFrame(payload.retainedDuplicate()));
    int written = 0;
    ByteBuf out;
    while ((out = channel.readOutbound()) != null) {
      written += out.readableBytes();
      out.release();
    }
    return written;
  }
}
