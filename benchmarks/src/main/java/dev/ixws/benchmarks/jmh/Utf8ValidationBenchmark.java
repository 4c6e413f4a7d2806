package dev.ixws.benchmarks.jmh;

import dev.ixws.internal.codec.Utf8Validator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
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
 * Text validated per second: our streaming {@link Utf8Validator} (used by the frame reader on the
 * message's bytes) against Netty's {@link Utf8FrameValidator} (which the session used before), on
 * pure ASCII and on mixed one- to four-byte UTF-8.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 2, time = 1)
@Fork(1)
public class Utf8ValidationBenchmark {

  /** Payload size in bytes. */
  @Param({"1024", "65536"})
  public int size;

  /** {@code ascii} or {@code mixed} (multi-byte sequences). */
  @Param({"ascii", "mixed"})
  public String text;

  private EmbeddedChannel channel;
  private ByteBuf payload;
  private byte[] bytes;
  private final Utf8Validator validator = new Utf8Validator();

  /** Builds the channel and the payload. */
  @Setup(Level.Trial)
  public void setUp() {
    channel = new EmbeddedChannel(new Utf8FrameValidator(false));
    bytes = text.equals("ascii") ? Payloads.ascii(size) : Payloads.mixedUtf8(size);
    payload = Unpooled.directBuffer(size).writeBytes(bytes);
    if (netty() != size || !ixws()) {
      throw new IllegalStateException("a validator rejected valid text");
    }
  }

  /** Closes the channel and frees the payload. */
  @TearDown(Level.Trial)
  public void tearDown() {
    channel.finishAndReleaseAll();
    payload.release();
  }

  /** Our validator over the whole text, as the frame reader runs it. */
  @Benchmark
  public boolean ixws() {
    validator.reset();
    return validator.update(bytes, 0, bytes.length) && validator.complete();
  }

  /** Netty's: one final text frame validated and passed on; returns its size. */
  @Benchmark
  public int netty() {
    channel.writeInbound(new TextWebSocketFrame(payload.retainedDuplicate()));
    TextWebSocketFrame frame = channel.readInbound();
    int length = frame.content().readableBytes();
    frame.release();
    return length;
  }
}
