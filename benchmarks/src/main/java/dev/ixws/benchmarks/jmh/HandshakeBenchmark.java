package dev.ixws.benchmarks.jmh;

import dev.ixws.OnMessageCallback;
import dev.ixws.benchmarks.servers.NettyEchoServer;
import dev.ixws.internal.codec.ReceiveBudget;
import dev.ixws.internal.session.HeartbeatConfig;
import dev.ixws.internal.session.SessionConfig;
import dev.ixws.server.internal.ConnectionListener;
import dev.ixws.server.internal.ServerListener;
import dev.ixws.server.internal.ServerSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Server opening handshakes per second, the Java side of the connection storm (scenario 4) without
 * the system calls: each invocation opens a channel with the production pipeline of an accepted
 * connection, feeds it the upgrade request a browser-like client sends (one read), takes the {@code
 * 101} it writes, and closes it. {@link #ixws} is our server's pipeline ({@code
 * ServerListener.initHandshake}, the connection callback of the benchmark echo server); {@link
 * #netty} is the raw Netty echo server's ({@code HttpServerCodec}, {@code HttpObjectAggregator},
 * {@code WebSocketServerProtocolHandler}); {@link #harness} answers with fixed bytes, the cost of
 * the embedded channel itself. Not measured: our {@code WebSocketServer}'s registration of the
 * client (a map insert) and the kernel's part (accept, epoll, read, write, close).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class HandshakeBenchmark {

  // RFC 6455 section 1.3's sample key and its accept value.
  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
  private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
  private static final byte[] REQUEST =
      ("GET /chat HTTP/1.1\r\n"
              + "Host: 127.0.0.1:8008\r\n"
              + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36\r\n"
              + "Upgrade: websocket\r\n"
              + "Connection: Upgrade\r\n"
              + "Origin: http://127.0.0.1:8008\r\n"
              + "Sec-WebSocket-Version: 13\r\n"
              + "Sec-WebSocket-Key: "
              + KEY
              + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FIXED_RESPONSE =
      ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Accept: "
              + ACCEPT
              + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);
  private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 40000);

  private ByteBuf request;
  private ChannelInitializer<Channel> ixwsPipeline;
  private ChannelInitializer<Channel> nettyPipeline;
  private ChannelInitializer<Channel> harnessPipeline;

  /** Builds the three pipelines and checks that each answers the request with the right 101. */
  @Setup(Level.Trial)
  public void setUp() {
    request = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(REQUEST));
    ServerSpec spec =
        new ServerSpec(
            1_000_000,
            30_000,
            List.of(),
            new SessionConfig(false, 16 << 20, 1000, true, HeartbeatConfig.OFF),
            null);
    AtomicInteger admitted = new AtomicInteger();
    // What the benchmark echo server's connection callback does: set the message callback.
    OnMessageCallback ignore = message -> {};
    ConnectionListener listener =
        (webSocket, role, session, remote) ->
            role.dispatch(() -> webSocket.setOnMessageCallback(ignore));
    ReceiveBudget budget = new ReceiveBudget("server", spec.maxPendingReceiveBytes());
    ixwsPipeline =
        initializer(ch -> ServerListener.initHandshake(ch, spec, admitted, budget, listener));
    nettyPipeline = initializer(NettyEchoServer::initPipeline);
    harnessPipeline =
        initializer(
            ch ->
                ch.pipeline()
                    .addLast(
                        new ChannelInboundHandlerAdapter() {
                          @Override
                          public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ((ByteBuf) msg).release();
                            ctx.writeAndFlush(Unpooled.wrappedBuffer(FIXED_RESPONSE));
                          }
                        }));
    for (ChannelInitializer<Channel> pipeline :
        List.of(ixwsPipeline, nettyPipeline, harnessPipeline)) {
      String response = answer(pipeline);
      if (!response.startsWith("HTTP/1.1 101 ")
          || !response
              .toLowerCase(Locale.ROOT)
              .contains("sec-websocket-accept: " + ACCEPT.toLowerCase(Locale.ROOT))) {
        throw new IllegalStateException("not a valid 101 response:\n" + response);
      }
    }
  }

  /** Releases the request buffer. */
  @TearDown(Level.Trial)
  public void tearDown() {
    request.unwrap().release();
  }

  /** Our server's handshake. */
  @Benchmark
  public int ixws() {
    return handshake(ixwsPipeline);
  }

  /** The raw Netty echo server's handshake. */
  @Benchmark
  public int netty() {
    return handshake(nettyPipeline);
  }

  /** A fixed answer: what the embedded channel costs on its own. */
  @Benchmark
  public int harness() {
    return handshake(harnessPipeline);
  }

  /** One connection: open, the request in one read, the response out, closed. */
  private int handshake(ChannelHandler pipeline) {
    return respond(pipeline, null);
  }

  /** The response of {@code pipeline} as text (set-up only). */
  private String answer(ChannelHandler pipeline) {
    StringBuilder text = new StringBuilder();
    respond(pipeline, text);
    return text.toString();
  }

  /**
   * Opens a connection with {@code pipeline}, feeds it the request, drains and closes it; returns
   * the bytes it wrote, appended to {@code text} as well unless that is null.
   */
  private int respond(ChannelHandler pipeline, StringBuilder text) {
    EmbeddedChannel channel = new Accepted(pipeline);
    channel.writeInbound(request.duplicate());
    int written = 0;
    ByteBuf out;
    while ((out = channel.readOutbound()) != null) {
      written += out.readableBytes();
      if (text != null) {
        text.append(out.toString(StandardCharsets.US_ASCII));
      }
      out.release();
    }
    channel.finishAndReleaseAll();
    return written;
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
