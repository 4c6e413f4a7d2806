package dev.ixws.benchmarks.jmh;

import dev.ixws.WebSocketMessage;
import dev.ixws.internal.session.SessionConfig;
import dev.ixws.internal.session.SessionPipeline;
import dev.ixws.internal.session.WebSocketSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Received binary messages per second through the production server pipeline: the frame reader of
 * {@link SessionPipeline#newFrameReader}, then the handlers of {@link SessionPipeline#install}
 * ending in a {@link WebSocketSession}, whose events go to a {@link Blackhole}. Each invocation
 * feeds one masked frame as one read, so the figure includes the payload copy into the message's
 * {@code byte[]}, the unmasking and the message object. {@link #nettyDecoder} is Netty's own {@code
 * WebSocket08FrameDecoder} on the same bytes, its frames released at once (what a raw Netty handler
 * starts from, before any copy of its own).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 2, time = 1)
@Fork(1)
public class FrameDecodeBenchmark {

  /** Payload size in bytes. */
  @Param({"64", "16384", "1048576"})
  public int size;

  private EmbeddedChannel channel;
  private EmbeddedChannel netty;
  // The same feeding into a channel that only releases what it reads: the harness's own cost.
  private EmbeddedChannel harness;
  private ByteBuf frame;
  // Swapped from a checking sink to the Blackhole once the set-up has verified the decoding.
  private Consumer<WebSocketMessage> sink;

  /** Builds the pipeline and one masked frame, and checks that decoding it yields the payload. */
  @Setup(Level.Trial)
  public void setUp(Blackhole blackhole) {
    SessionConfig config = new SessionConfig(false, 1 << 20, 1000, true);
    channel = new EmbeddedChannel(SessionPipeline.newFrameReader(config));
    SessionPipeline.install(channel.pipeline(), new WebSocketSession(config, m -> sink.accept(m)));
    byte[] payload = Payloads.random(size);
    frame = Unpooled.directBuffer().writeBytes(maskedFrame(payload));
    harness =
        new EmbeddedChannel(
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext context, Object msg) {
                ReferenceCountUtil.release(msg);
              }
            });
    netty =
        new EmbeddedChannel(
            new WebSocket08FrameDecoder(
                WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(1 << 20).build()),
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext context, Object msg) {
                ReferenceCountUtil.release(msg);
              }
            });
    List<WebSocketMessage> seen = new ArrayList<>();
    sink = seen::add;
    // Twice: the second proves the shared frame was not unmasked in place by the first.
    decode();
    decode();
    if (seen.size() != 2
        || !Arrays.equals(seen.get(0).bytes(), payload)
        || !Arrays.equals(seen.get(1).bytes(), payload)) {
      throw new IllegalStateException("decoding did not deliver the payload: " + seen);
    }
    sink = blackhole::consume;
  }

  /** Closes the channel and frees the prepared frame. */
  @TearDown(Level.Trial)
  public void tearDown() {
    channel.finishAndReleaseAll();
    netty.finishAndReleaseAll();
    harness.finishAndReleaseAll();
    frame.release();
    if (frame.refCnt() != 0) {
      throw new IllegalStateException("a decoded frame was not released: refCnt " + frame.refCnt());
    }
  }

  /** One masked binary frame in, one message out to the Blackhole. */
  @Benchmark
  public void decode() {
    channel.writeInbound(frame.retainedDuplicate());
  }

  /** Netty's frame decoder on the same frame; the decoded frame is released. */
  @Benchmark
  public void nettyDecoder() {
    netty.writeInbound(frame.retainedDuplicate());
  }

  /** Baseline: the same buffer duplicate fed into a channel that only releases it. */
  @Benchmark
  public void harnessOnly() {
    harness.writeInbound(frame.retainedDuplicate());
  }

  /** A final binary frame with a fixed mask, as a client sends it (RFC 6455 section 5.2). */
  static byte[] maskedFrame(byte[] payload) {
    byte[] mask = {0x12, 0x34, 0x56, 0x78};
    int length = payload.length;
    int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    byte[] out = new byte[header + 4 + length];
    out[0] = (byte) 0x82;
    if (length < 126) {
      out[1] = (byte) (0x80 | length);
    } else if (length <= 0xFFFF) {
      out[1] = (byte) (0x80 | 126);
      out[2] = (byte) (length >>> 8);
      out[3] = (byte) length;
    } else {
      out[1] = (byte) (0x80 | 127);
      for (int i = 0; i < 8; i++) {
        out[2 + i] = (byte) ((long) length >>> (56 - 8 * i));
      }
    }
    System.arraycopy(mask, 0, out, header, 4);
    for (int i = 0; i < length; i++) {
      out[header + 4 + i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    return out;
  }
}
