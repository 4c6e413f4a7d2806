package dev.ixws.benchmarks.jmh;

import dev.ixws.OnMessageCallback;
import dev.ixws.PerMessageDeflateOptions;
import dev.ixws.WebSocketMessageType;
import dev.ixws.benchmarks.servers.NettyEchoServer;
import dev.ixws.internal.codec.ReceiveBudget;
import dev.ixws.internal.session.HeartbeatConfig;
import dev.ixws.internal.session.SessionConfig;
import dev.ixws.server.internal.ConnectionListener;
import dev.ixws.server.internal.ServerListener;
import dev.ixws.server.internal.ServerSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.zip.Deflater;
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
 * One whole server-side echo per invocation, without system calls: a masked binary frame is read by
 * an accepted connection's production pipeline (after a real opening handshake through {@code
 * ServerListener.initHandshake}), delivered to the application's callback on the event loop, which
 * sends it back with {@code webSocket.send(msg)} as the benchmark echo server and {@code ixws
 * echo-server} do; the bytes written are read back and released. {@link #ixws} is our server,
 * {@link #netty} the raw Netty echo server's pipeline ({@code NettyEchoServer.initPipeline}), and
 * {@link #harness} a handler that writes the received buffer straight back: the embedded channel's
 * own cost.
 *
 * <p>The frame arrives as the socket would deliver it: in pooled direct buffers of at most 64 KiB
 * (Netty's largest read), so the 1 MB frame takes 16 reads, each followed by a read-complete (where
 * flush consolidation flushes). Per-operation allocation ({@code -prof gc}, {@code
 * gc.alloc.rate.norm}) is the figure to read: it does not depend on the machine's load.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ServerEchoBenchmark {

  /** Payload size in bytes. */
  @Param({"64", "16384", "1048576"})
  public int size;

  /**
   * Whether per-message deflate is negotiated ({@code client_no_context_takeover}, so the same
   * compressed frame is valid every time): the frame arrives compressed and the echo is compressed
   * again. Only our server and the harness take part; raw Netty's pipeline has no deflate.
   */
  @Param({"false", "true"})
  public boolean deflate;

  /** The largest read Netty's adaptive receive allocator makes. */
  private static final int READ_SIZE = 64 * 1024;

  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
  private static final String REQUEST =
      "GET /chat HTTP/1.1\r\n"
          + "Host: 127.0.0.1:8008\r\n"
          + "Upgrade: websocket\r\n"
          + "Connection: Upgrade\r\n"
          + "Sec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Key: "
          + KEY
          + "\r\n";
  private static final String DEFLATE_OFFER =
      "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover\r\n";
  private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 40000);

  /** Echoes per invocation. */
  private static final int BATCH = 1024;

  private final Runnable batchRun = this::runBatch;
  private EmbeddedChannel current;
  private int written;
  private EmbeddedChannel ixws;
  private EmbeddedChannel netty;
  private EmbeddedChannel harness;
  // The masked frame, read-only while the benchmark runs; each read is a retained slice of it.
  private ByteBuf frame;
  private byte[] expected;

  /** Opens the three connections, and checks that each echoes the frame unmasked. */
  @Setup(Level.Trial)
  public void setUp() {
    byte[] payload = Payloads.random(size);
    byte[] masked = deflate ? compressedMaskedFrame(payload) : maskedFrame(payload);
    frame = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(masked);
    expected = unmaskedFrame(payload);
    ServerSpec spec =
        new ServerSpec(
            1_000_000,
            30_000,
            List.of(),
            new SessionConfig(
                false,
                16 << 20,
                1000,
                true,
                HeartbeatConfig.OFF,
                deflate ? PerMessageDeflateOptions.DEFAULT : PerMessageDeflateOptions.DISABLED),
            null);
    ConnectionListener listener =
        (webSocket, role, session, remote) -> {
          OnMessageCallback echo =
              msg -> {
                if (msg.type() == WebSocketMessageType.MESSAGE) {
                  webSocket.send(msg);
                }
              };
          role.dispatch(() -> webSocket.setOnMessageCallback(echo));
        };
    ReceiveBudget budget = new ReceiveBudget("server", spec.maxPendingReceiveBytes());
    AtomicInteger admitted = new AtomicInteger();
    ixws =
        open(
            initializer(ch -> ServerListener.initHandshake(ch, spec, admitted, budget, listener)),
            true,
            deflate);
    netty = open(initializer(NettyEchoServer::initPipeline), true, false);
    harness =
        open(
            initializer(
                ch ->
                    ch.pipeline()
                        .addLast(
                            new ChannelInboundHandlerAdapter() {
                              @Override
                              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ctx.write(msg);
                              }

                              @Override
                              public void channelReadComplete(ChannelHandlerContext ctx) {
                                ctx.flush();
                              }
                            })),
            false,
            false);
    if (deflate) {
      checkCompressed(ixws);
      checkCompressed(ixws);
    } else {
      check(ixws, expected);
      check(ixws, expected); // the second proves the shared frame was not changed by the first
      check(netty, expected);
    }
    check(harness, masked);
  }

  /** Closes the connections and frees the frame. */
  @TearDown(Level.Trial)
  public void tearDown() {
    ixws.finishAndReleaseAll();
    netty.finishAndReleaseAll();
    harness.finishAndReleaseAll();
    frame.release();
    if (frame.refCnt() != 0) {
      throw new IllegalStateException("a read buffer was not released: refCnt " + frame.refCnt());
    }
  }

  /** Our server: one frame in, its echo out. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int ixws() {
    return batch(ixws);
  }

  /** The raw Netty echo server's pipeline on the same reads. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int netty() {
    return batch(netty);
  }

  /** The reads written straight back: what the embedded channel costs. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int harness() {
    return batch(harness);
  }

  /**
   * {@link #BATCH} echoes on {@code channel}, run as on an event-loop thread: Netty pools its
   * per-write objects (outbound entries, derived buffers) only on threads that clean up their fast
   * thread-locals, which JMH's threads do not; without this every such object would count as an
   * allocation that a server never makes.
   */
  private int batch(EmbeddedChannel channel) {
    current = channel;
    written = 0;
    FastThreadLocalThread.runWithFastThreadLocal(batchRun);
    return written;
  }

  private void runBatch() {
    for (int i = 0; i < BATCH; i++) {
      written += echo(current);
    }
  }

  /** Feeds the frame in reads of at most 64 KiB; returns the bytes written back (released). */
  private int echo(EmbeddedChannel channel) {
    ChannelPipeline pipeline = channel.pipeline();
    int length = frame.readableBytes();
    int written = 0;
    for (int offset = 0; offset < length; offset += READ_SIZE) {
      pipeline.fireChannelRead(frame.retainedSlice(offset, Math.min(READ_SIZE, length - offset)));
      pipeline.fireChannelReadComplete();
      ByteBuf out;
      while ((out = channel.readOutbound()) != null) {
        written += out.readableBytes();
        out.release();
      }
    }
    return written;
  }

  /** Echoes one frame on {@code channel} and checks the bytes written. */
  private void check(EmbeddedChannel channel, byte[] want) {
    ChannelPipeline pipeline = channel.pipeline();
    int length = frame.readableBytes();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    for (int offset = 0; offset < length; offset += READ_SIZE) {
      pipeline.fireChannelRead(frame.retainedSlice(offset, Math.min(READ_SIZE, length - offset)));
      pipeline.fireChannelReadComplete();
      drain(channel, got);
    }
    if (!Arrays.equals(got.toByteArray(), want)) {
      throw new IllegalStateException(
          channel + " echoed " + got.size() + " bytes, not the " + want.length + " expected");
    }
  }

  private static void drain(EmbeddedChannel channel, ByteArrayOutputStream into) {
    ByteBuf out;
    while ((out = channel.readOutbound()) != null) {
      byte[] bytes = new byte[out.readableBytes()];
      out.readBytes(bytes);
      into.writeBytes(bytes);
      out.release();
    }
  }

  /** Echoes one compressed frame on {@code channel}: one compressed binary frame must come back. */
  private void checkCompressed(EmbeddedChannel channel) {
    ChannelPipeline pipeline = channel.pipeline();
    pipeline.fireChannelRead(frame.retainedDuplicate());
    pipeline.fireChannelReadComplete();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    drain(channel, got);
    byte[] bytes = got.toByteArray();
    if (bytes.length < 3 || (bytes[0] & 0xFF) != 0xC2) {
      throw new IllegalStateException("no compressed echo: " + bytes.length + " bytes");
    }
  }

  /**
   * An accepted connection on {@code pipeline}, past its opening handshake if {@code upgrade}, with
   * per-message deflate offered if {@code offerDeflate}.
   */
  private static EmbeddedChannel open(
      ChannelHandler pipeline, boolean upgrade, boolean offerDeflate) {
    EmbeddedChannel channel = new Accepted(pipeline);
    if (upgrade) {
      String request = REQUEST + (offerDeflate ? DEFLATE_OFFER : "") + "\r\n";
      channel.writeInbound(
          PooledByteBufAllocator.DEFAULT
              .directBuffer()
              .writeBytes(request.getBytes(StandardCharsets.US_ASCII)));
      channel.runPendingTasks();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      drain(channel, response);
      String text = response.toString(StandardCharsets.US_ASCII);
      if (!text.startsWith("HTTP/1.1 101 ")
          || offerDeflate != text.contains("permessage-deflate")) {
        throw new IllegalStateException("not upgraded as offered:\n" + text);
      }
    }
    return channel;
  }

  /**
   * A masked final binary frame whose payload is compressed as RFC 7692 section 7.2.1 says (raw
   * deflate, sync flush, the final 4 bytes removed), RSV1 set.
   */
  static byte[] compressedMaskedFrame(byte[] payload) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    deflater.setInput(payload);
    byte[] buffer = new byte[payload.length + 1024];
    int length = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
    deflater.end();
    byte[] masked = FrameDecodeBenchmark.maskedFrame(Arrays.copyOf(buffer, length - 4));
    masked[0] = (byte) 0xC2; // FIN, RSV1, binary
    return masked;
  }

  /** A final binary frame as the server sends it. */
  static byte[] unmaskedFrame(byte[] payload) {
    byte[] masked = FrameDecodeBenchmark.maskedFrame(payload);
    int header = masked.length - 4 - payload.length;
    byte[] out = new byte[header + payload.length];
    System.arraycopy(masked, 0, out, 0, header);
    out[1] &= 0x7F;
    System.arraycopy(payload, 0, out, header, payload.length);
    return out;
  }

  private static byte[] maskedFrame(byte[] payload) {
    return FrameDecodeBenchmark.maskedFrame(payload);
  }

  private static ChannelInitializer<Channel> initializer(Consumer<Channel> init) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        init.accept(ch);
      }
    };
  }

  /** An embedded channel with a TCP peer address, as our server reads it for the client's IP. */
  private static final class Accepted extends EmbeddedChannel {
    Accepted(ChannelHandler pipeline) {
      super(pipeline);
    }

    @Override
    protected SocketAddress remoteAddress0() {
      return REMOTE;
    }
  }
}
