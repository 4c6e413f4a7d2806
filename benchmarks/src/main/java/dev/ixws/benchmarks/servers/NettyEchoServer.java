package dev.ixws.benchmarks.servers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLException;

/**
 * The baseline: a straightforward Netty 4.2 echo server as a Netty user would write it ({@link
 * WebSocketServerProtocolHandler} and a handler that writes each data frame back during the read
 * and flushes once on read complete, as Netty's echo example does), epoll when available. Run:
 * {@code java -cp benchmarks.jar dev.ixws.benchmarks.servers.NettyEchoServer PORT [--deflate]
 * [--tls CERT KEY]}.
 *
 * <p>With {@code --tls} it serves {@code wss://} as a Netty user does: an {@link SslContext} from
 * the PEM files ({@link SslContextBuilder#forServer(File, File)}) and its handler first in the
 * pipeline; the engine is BoringSSL ({@link SslProvider#OPENSSL}, tcnative) or the JDK's ({@code
 * -Ddev.ixws.tls.engine=jdk}), the same switch as our server's.
 *
 * <p>With {@code --deflate} it also accepts permessage-deflate the way a Netty user turns it on:
 * Netty's {@link WebSocketServerExtensionHandler} with its permessage-deflate handshaker (zlib
 * level 6, the JDK's zlib for 15-bit windows), configured to accept {@code
 * server_no_context_takeover} (Netty's {@code WebSocketServerCompressionHandler} declines the whole
 * extension when a client asks for it) so that the benchmark's "no context takeover" rows compare
 * the same work.
 */
public final class NettyEchoServer {

  // Built once: a Netty user shares one config between all connections.
  private static final WebSocketServerProtocolConfig CONFIG = config(false);

  // RSV1 allowed: the compressed messages' bit.
  private static final WebSocketServerProtocolConfig DEFLATE_CONFIG = config(true);

  private NettyEchoServer() {}

  private static WebSocketServerProtocolConfig config(boolean extensions) {
    return WebSocketServerProtocolConfig.newBuilder()
        .websocketPath("/")
        .checkStartsWith(true)
        .decoderConfig(
            WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(EchoServers.MAX_MESSAGE)
                .allowExtensions(extensions)
                .build())
        .build();
  }

  /** Starts the server on {@code port} (0: any free port) of 127.0.0.1. */
  public static RunningServer start(int port) throws InterruptedException {
    return start(port, false);
  }

  /** Starts the server on {@code port} of 127.0.0.1, accepting permessage-deflate if asked to. */
  public static RunningServer start(int port, boolean deflate) throws InterruptedException {
    return start(port, deflate, null);
  }

  /**
   * Starts the server on {@code port} of 127.0.0.1, accepting permessage-deflate if asked to, over
   * TLS with {@code tls} = {certificate file, key file} when not null.
   */
  public static RunningServer start(int port, boolean deflate, String[] tls)
      throws InterruptedException {
    SslContext ssl = tls == null ? null : sslContext(tls);
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> channelType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(io);
    Channel channel =
        new ServerBootstrap()
            .group(group)
            .channel(channelType)
            .option(ChannelOption.SO_BACKLOG, EchoServers.BACKLOG)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (ssl != null) {
                      ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                    }
                    if (deflate) {
                      initDeflatePipeline(ch);
                    } else {
                      initPipeline(ch);
                    }
                  }
                })
            .bind("127.0.0.1", port)
            .sync()
            .channel();
    return new RunningServer() {
      @Override
      public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
      }

      @Override
      public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
      }
    };
  }

  private static SslContext sslContext(String[] tls) {
    try {
      return SslContextBuilder.forServer(new File(tls[0]), new File(tls[1]))
          .sslProvider(EchoServers.jdkEngine() ? SslProvider.JDK : SslProvider.OPENSSL)
          .build();
    } catch (SSLException e) {
      throw new IllegalArgumentException("cannot load the certificate or key: " + e, e);
    }
  }

  /**
   * The pipeline of an accepted connection: HTTP codec, aggregator, Netty's WebSocket protocol
   * handler (handshake, control frames, frame size limit) and the echo handler.
   */
  public static void initPipeline(Channel ch) {
    ch.pipeline()
        .addLast(new HttpServerCodec())
        .addLast(new HttpObjectAggregator(65536))
        .addLast(new WebSocketServerProtocolHandler(CONFIG))
        .addLast(new EchoHandler());
  }

  /**
   * The same with Netty's permessage-deflate extension handler in front of the protocol handler.
   */
  public static void initDeflatePipeline(Channel ch) {
    ch.pipeline()
        .addLast(new HttpServerCodec())
        .addLast(new HttpObjectAggregator(65536))
        .addLast(
            new WebSocketServerExtensionHandler(
                new PerMessageDeflateServerExtensionHandshaker(
                    6,
                    ZlibCodecFactory.isSupportingWindowSizeAndMemLevel(),
                    PerMessageDeflateServerExtensionHandshaker.MAX_WINDOW_SIZE,
                    true,
                    false,
                    EchoServers.MAX_MESSAGE)))
        .addLast(new WebSocketServerProtocolHandler(DEFLATE_CONFIG))
        .addLast(new EchoHandler());
  }

  /**
   * Writes every data frame back as it is during the read and flushes once when the read is
   * complete, as Netty's own echo example does (a flush per frame costs a system call per message).
   */
  private static final class EchoHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof BinaryWebSocketFrame
          || frame instanceof TextWebSocketFrame
          || frame instanceof ContinuationWebSocketFrame) {
        ctx.write(frame.retain(), ctx.voidPromise());
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
      ctx.fireChannelReadComplete();
    }
  }

  /**
   * Runs until killed.
   *
   * @param args the port, then {@code --deflate} to accept permessage-deflate and {@code --tls CERT
   *     KEY} for {@code wss://}
   */
  public static void main(String[] args) throws InterruptedException {
    RunningServer server =
        start(
            EchoServers.port(args),
            EchoServers.flag(args, "--deflate"),
            EchoServers.tlsFiles(args));
    EchoServers.ready(server.port());
    Thread.currentThread().join();
  }
}
