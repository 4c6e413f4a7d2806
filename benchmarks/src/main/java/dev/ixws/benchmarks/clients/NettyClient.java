package dev.ixws.benchmarks.clients;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * Raw Netty 4.2 client driver written the usual way: {@link WebSocketClientProtocolHandler}, one
 * event-loop group (epoll when available) for all connections, and the replies to a read written
 * during the read and flushed once in {@code channelReadComplete} (a message sent from another
 * thread, the first ones, is written and flushed at once).
 *
 * <p>It used to {@code writeAndFlush} every message: one system call per message, which made it
 * about four times slower than this and a baseline no Netty user would recognise (issue 18).
 */
public final class NettyClient extends EchoClientDriver {

  private final EventLoopGroup group;
  private final Class<? extends SocketChannel> channelType;

  /** A driver with its own event-loop group (default size: twice the cores). */
  public NettyClient() {
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    group = new MultiThreadIoEventLoopGroup(io);
    channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Override
  protected String name() {
    return "netty";
  }

  @Override
  protected CompletableFuture<Connection> connect(URI url, LoadOptions options, Receiver receiver) {
    CompletableFuture<Connection> ready = new CompletableFuture<>();
    int maxFrame = Math.max(65536, options.size() * 2);
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(channelType)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpClientCodec())
                        .addLast(new HttpObjectAggregator(8192))
                        .addLast(
                            new WebSocketClientProtocolHandler(
                                WebSocketClientHandshakerFactory.newHandshaker(
                                    url,
                                    WebSocketVersion.V13,
                                    null,
                                    false,
                                    new DefaultHttpHeaders(),
                                    maxFrame)))
                        .addLast(new WebSocketFrameAggregator(maxFrame))
                        .addLast(new Handler(ready, receiver));
                  }
                });
    b.connect(url.getHost(), url.getPort())
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                ready.completeExceptionally(f.cause());
              }
            });
    return ready;
  }

  private static final class Handler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final CompletableFuture<Connection> ready;
    private final Receiver receiver;
    private boolean flushPending; // event loop only

    Handler(CompletableFuture<Connection> ready, Receiver receiver) {
      this.ready = ready;
      this.receiver = receiver;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
        Channel ch = ctx.channel();
        ready.complete(
            new Connection() {
              @Override
              public void sendBinary(byte[] payload) {
                send(ch, new BinaryWebSocketFrame(Unpooled.wrappedBuffer(payload)));
              }

              @Override
              public void sendText(String payload) {
                send(ch, new TextWebSocketFrame(payload));
              }
            });
      }
      ctx.fireUserEventTriggered(evt);
    }

    /** On the event loop (a reply from channelRead0): written now, flushed on read complete. */
    private void send(Channel ch, WebSocketFrame frame) {
      if (ch.eventLoop().inEventLoop()) {
        ch.write(frame, ch.voidPromise());
        flushPending = true;
      } else {
        ch.writeAndFlush(frame, ch.voidPromise());
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (flushPending) {
        flushPending = false;
        ctx.channel().flush();
      }
      ctx.fireChannelReadComplete();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof BinaryWebSocketFrame) {
        receiver.onBinary(frame.content().nioBuffer());
      } else if (frame instanceof TextWebSocketFrame text) {
        receiver.onText(text.text());
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      ready.completeExceptionally(new IllegalStateException("closed"));
      receiver.onError(new IllegalStateException("closed"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ready.completeExceptionally(cause);
      receiver.onError(cause);
      ctx.close();
    }
  }

  /**
   * Runs the load and prints JSON.
   *
   * @param args see {@link LoadOptions}
   */
  public static void main(String[] args) throws Exception {
    new NettyClient().runMain(args);
  }
}
