package dev.ixws.internal.transport;

import dev.ixws.internal.tls.PlainTextGuard;
import dev.ixws.internal.tls.TlsServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Binds the listening sockets of every server in the project (WebSocket today, HTTP next) and keeps
 * track of the connections they accept, so a server can stop listening and then drop the
 * stragglers. One place for the channel type, socket options and the TLS handler at the head of
 * each accepted pipeline.
 *
 * <p>{@link #tcp()} listens on real sockets of the shared event loops; {@link #of} takes another
 * group and channel type, such as Netty's local transport for the in-memory tests. Immutable and
 * safe from any thread.
 */
public final class Acceptor {

  private final EventLoopGroup group;
  private final Class<? extends ServerChannel> channelType;

  private Acceptor(EventLoopGroup group, Class<? extends ServerChannel> channelType) {
    this.group = group;
    this.channelType = channelType;
  }

  /** TCP sockets on the shared event loops (epoll or NIO). */
  public static Acceptor tcp() {
    return new Acceptor(EventLoops.group(), EventLoops.transport().serverSocketChannel());
  }

  /** Server channels of {@code channelType} on {@code group}. */
  public static Acceptor of(EventLoopGroup group, Class<? extends ServerChannel> channelType) {
    return new Acceptor(
        Objects.requireNonNull(group, "group"), Objects.requireNonNull(channelType, "channelType"));
  }

  /**
   * Binds {@code address}; connections wait in the backlog until {@link Listening#startAccepting}.
   * Each accepted channel is passed to {@code initPipeline} on its event loop, before it is active.
   *
   * @throws IllegalStateException with a readable reason when the address cannot be bound
   */
  public Listening bind(SocketAddress address, int backlog, Consumer<Channel> initPipeline) {
    return bind(address, backlog, null, 0, initPipeline);
  }

  /**
   * Binds {@code address} like {@link #bind(SocketAddress, int, Consumer)}; with {@code tls} set,
   * each accepted pipeline starts with a {@link PlainTextGuard} and an {@code SslHandler} made by
   * {@code tls} at accept time (so a rotated certificate applies to the next connection), its
   * handshake bounded by {@code tlsHandshakeTimeoutMillis}.
   *
   * @throws IllegalStateException with a readable reason when the address cannot be bound
   */
  public Listening bind(
      SocketAddress address,
      int backlog,
      TlsServer tls,
      long tlsHandshakeTimeoutMillis,
      Consumer<Channel> initPipeline) {
    ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(channelType)
            .option(ChannelOption.SO_BACKLOG, backlog)
            .option(ChannelOption.AUTO_READ, false)
            // No TCP_NODELAY child option: Netty's socket configs enable it by default (Android
            // aside), and setting it again costs a setsockopt per accepted connection.
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    connections.add(ch);
                    if (tls != null) {
                      ch.pipeline()
                          .addLast("tls-guard", new PlainTextGuard())
                          .addLast(
                              Connector.TLS_HANDLER,
                              tls.newHandler(ch.alloc(), tlsHandshakeTimeoutMillis));
                    }
                    initPipeline.accept(ch);
                  }
                });
    if (address instanceof InetSocketAddress) {
      bootstrap.option(ChannelOption.SO_REUSEADDR, true);
    }
    ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      Throwable cause = bound.cause();
      throw new IllegalStateException(
          "Cannot listen on "
              + describe(address)
              + ": "
              + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
    }
    return new Listening(bound.channel(), connections);
  }

  private static String describe(SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      return inet.getHostString() + ":" + inet.getPort();
    }
    return address.toString();
  }

  /** A bound listening socket and the connections it accepted. Thread-safe. */
  public static final class Listening {
    private final Channel serverChannel;
    // Every accepted connection still open, so that close() can be followed by dropping them.
    private final ChannelGroup connections;

    private Listening(Channel serverChannel, ChannelGroup connections) {
      this.serverChannel = serverChannel;
      this.connections = connections;
    }

    /** The bound address (with the chosen port when bound to port 0). */
    public SocketAddress localAddress() {
      return serverChannel.localAddress();
    }

    /** The bound port, or 0 for a transport without ports. */
    public int port() {
      return serverChannel.localAddress() instanceof InetSocketAddress inet ? inet.getPort() : 0;
    }

    /** Starts accepting the connections waiting in the backlog and those that follow. */
    public void startAccepting() {
      serverChannel.config().setAutoRead(true);
    }

    /** Stops listening and frees the address; accepted connections stay open. */
    public void close() {
      serverChannel.close().awaitUninterruptibly();
    }

    /** Drops every accepted connection still open, waiting at most {@code timeoutMillis}. */
    public void dropConnections(long timeoutMillis) {
      connections.close().awaitUninterruptibly(timeoutMillis);
    }
  }
}
