package dev.ixws.server.internal;

import dev.ixws.internal.codec.ReceiveBudget;
import dev.ixws.internal.transport.EventLoops;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listening socket of a {@code WebSocketServer} and the pipeline of each accepted connection
 * until its handshake: bound by {@link #bind}, accepting from {@link #startAccepting()}, closed by
 * {@link #close()}. Thread-safe.
 */
public final class ServerListener {

  private static final int MAX_INITIAL_LINE_BYTES = 8192;
  private static final int MAX_HEADER_BYTES = 8192;
  private static final int MAX_CHUNK_BYTES = 8192;

  private final Channel serverChannel;
  // Every accepted connection, handshaking or open, so that close() can drop stragglers.
  private final ChannelGroup connections;

  private ServerListener(Channel serverChannel, ChannelGroup connections) {
    this.serverChannel = serverChannel;
    this.connections = connections;
  }

  /**
   * Binds {@code host:port}; connections wait in the backlog until {@link #startAccepting()}.
   *
   * @throws IllegalStateException with a readable reason when the address cannot be bound
   */
  public static ServerListener bind(
      String host, int port, int backlog, ServerSpec spec, ConnectionListener listener) {
    ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    AtomicInteger admitted = new AtomicInteger();
    ReceiveBudget budget = new ReceiveBudget("server", spec.maxPendingReceiveBytes());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(EventLoops.group())
            .channel(EventLoops.transport().serverSocketChannel())
            .option(ChannelOption.SO_BACKLOG, backlog)
            .option(ChannelOption.SO_REUSEADDR, true)
            .option(ChannelOption.AUTO_READ, false)
            // No TCP_NODELAY child option: Netty's socket configs enable it by default (Android
            // aside), and setting it again costs a setsockopt per accepted connection.
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    connections.add(ch);
                    initHandshake(ch, spec, admitted, budget, listener);
                  }
                });
    ChannelFuture bound = bootstrap.bind(host, port).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      Throwable cause = bound.cause();
      throw new IllegalStateException(
          "Cannot listen on "
              + host
              + ":"
              + port
              + ": "
              + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
    }
    return new ServerListener(bound.channel(), connections);
  }

  /**
   * Sets up an accepted connection's pipeline for its opening handshake: Netty's HTTP request
   * decoder (request line and headers bounded to 8 KiB each) and a {@link ServerHandshakeHandler}.
   * Call it from the channel's initializer, before the channel is active.
   *
   * @param admitted the server's count of admitted connections, shared by all its connections
   * @param budget the server's receive budget, shared by all its connections
   */
  public static void initHandshake(
      Channel ch,
      ServerSpec spec,
      AtomicInteger admitted,
      ReceiveBudget budget,
      ConnectionListener listener) {
    ch.pipeline()
        .addLast(
            ServerHandshakeHandler.HTTP_DECODER,
            new HttpRequestDecoder(MAX_INITIAL_LINE_BYTES, MAX_HEADER_BYTES, MAX_CHUNK_BYTES))
        .addLast("ws-handshake", new ServerHandshakeHandler(spec, admitted, budget, listener));
  }

  /** The bound port (the chosen one when bound to port 0). */
  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** Starts accepting the connections waiting in the backlog and those that follow. */
  public void startAccepting() {
    serverChannel.config().setAutoRead(true);
  }

  /** Stops listening and frees the port; accepted connections stay open. */
  public void close() {
    serverChannel.close().awaitUninterruptibly();
  }

  /** Drops every accepted connection still open, waiting at most {@code timeoutMillis}. */
  public void dropConnections(long timeoutMillis) {
    connections.close().awaitUninterruptibly(timeoutMillis);
  }
}
