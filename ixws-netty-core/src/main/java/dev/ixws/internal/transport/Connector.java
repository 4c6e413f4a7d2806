package dev.ixws.internal.transport;

import dev.ixws.internal.tls.TlsClient;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Opens the outgoing connections of every client in the project (WebSocket today, HTTP next): one
 * place for the channel type, socket options, the local address, the connect timeout, name
 * resolution off the event loop, TLS (an {@code SslHandler} first in the pipeline) and, as they
 * land, proxies.
 *
 * <p>{@link #tcp()} connects real sockets on the shared transport; {@link #of} takes another
 * channel type, such as Netty's local transport for the in-memory tests. Immutable and safe from
 * any thread; the pipeline initializer runs on the new channel's event loop.
 */
public final class Connector {

  /** The name of the {@code SslHandler} at the head of a TLS pipeline. */
  public static final String TLS_HANDLER = "tls";

  // The SslHandler of a TLS channel, kept beyond its pipeline: a channel that closes (a failed
  // handshake) loses its handlers, while a listener added to the connect future from another
  // thread may run only after that and still needs the handshake's outcome.
  private static final AttributeKey<SslHandler> TLS = AttributeKey.valueOf("dev.ixws.tls");

  /**
   * The {@code SslHandler} this connector put on {@code channel}, even once the channel closed and
   * its pipeline is gone; null for plain TCP.
   */
  public static SslHandler tlsHandler(Channel channel) {
    return channel.attr(TLS).get();
  }

  private static final Connector TCP =
      tcpResolvingWith(DnsServerAddressStreamProviders.platformDefault());

  private final Class<? extends Channel> channelType;
  private final BiFunction<String, Integer, SocketAddress> addressing;
  // Null for transports without names to resolve (the local transport).
  private final AddressResolverGroup<? extends SocketAddress> resolver;

  private Connector(
      Class<? extends Channel> channelType,
      BiFunction<String, Integer, SocketAddress> addressing,
      AddressResolverGroup<? extends SocketAddress> resolver) {
    this.channelType = channelType;
    this.addressing = addressing;
    this.resolver = resolver;
  }

  /**
   * TCP sockets of the shared transport (epoll or NIO). Host names are resolved by Netty's
   * asynchronous DNS resolver with the system's configuration ({@code /etc/resolv.conf}, {@code
   * /etc/hosts}), never by the JDK's blocking resolver, so a slow lookup stalls no event loop.
   */
  public static Connector tcp() {
    return TCP;
  }

  /**
   * TCP sockets whose host names are resolved by asking the name servers of {@code nameServers}
   * (the hosts file still comes first). For tests with a slow or broken name server, and for
   * diagnosis.
   */
  public static Connector tcpResolvingWith(DnsServerAddressStreamProvider nameServers) {
    Transport transport = EventLoops.transport();
    DnsNameResolverBuilder dns =
        new DnsNameResolverBuilder()
            .datagramChannelType(transport.datagramChannel())
            .socketChannelType(transport.socketChannel())
            .nameServerProvider(nameServers);
    return new Connector(
        transport.socketChannel(),
        InetSocketAddress::createUnresolved,
        new DnsAddressResolverGroup(dns));
  }

  /**
   * Channels of {@code channelType}, which must suit the event loops they are used with, reaching
   * {@code host:port} at the address {@code addressing} makes of them (for Netty's local transport,
   * a {@code LocalAddress} named after them).
   */
  public static Connector of(
      Class<? extends Channel> channelType, BiFunction<String, Integer, SocketAddress> addressing) {
    return new Connector(
        Objects.requireNonNull(channelType, "channelType"),
        Objects.requireNonNull(addressing, "addressing"),
        null);
  }

  /**
   * What one connection asks of the socket.
   *
   * @param connectTimeoutMillis how long the TCP connect may take
   * @param localHost the local IP (or host name) to bind before connecting, the port left to the
   *     system; null lets the system choose
   * @param tls the TLS side of the connection (its {@code SslHandler} goes first in the pipeline,
   *     its handshake bounded by {@code connectTimeoutMillis}); null for plain TCP
   */
  public record Options(long connectTimeoutMillis, String localHost, TlsClient tls) {

    /** Plain TCP. */
    public Options(long connectTimeoutMillis, String localHost) {
      this(connectTimeoutMillis, localHost, null);
    }
  }

  /**
   * Connects to {@code host:port} on {@code loop}, with {@code initializer} as the channel's
   * handler (usually a {@code ChannelInitializer} that builds the protocol's pipeline). A host name
   * is resolved when connecting.
   *
   * @return the connect future, whose channel is set at once
   */
  public ChannelFuture connect(
      EventLoop loop, String host, int port, Options options, ChannelHandler initializer) {
    SocketAddress remote = addressing.apply(host, port);
    Bootstrap bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(channelType)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, Math.max(1, options.connectTimeoutMillis())))
            .handler(withTls(initializer, host, port, options));
    if (resolver != null) {
      bootstrap.resolver(resolver);
    }
    if (remote instanceof InetSocketAddress) {
      // Netty enables TCP_NODELAY by default on most platforms; say it for those that do not.
      bootstrap.option(ChannelOption.TCP_NODELAY, true);
    }
    if (options.localHost() != null) {
      // Port 0: the system picks the local port; only the source IP is chosen.
      bootstrap.localAddress(options.localHost(), 0);
    }
    return bootstrap.connect(remote);
  }

  /** {@code initializer} behind an {@code SslHandler} when the options ask for TLS. */
  private static ChannelHandler withTls(
      ChannelHandler initializer, String host, int port, Options options) {
    TlsClient tls = options.tls();
    if (tls == null) {
      return initializer;
    }
    return new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        SslHandler ssl = tls.newHandler(ch.alloc(), host, port, options.connectTimeoutMillis());
        ch.attr(TLS).set(ssl);
        ch.pipeline().addLast(TLS_HANDLER, ssl).addLast(initializer);
      }
    };
  }
}
