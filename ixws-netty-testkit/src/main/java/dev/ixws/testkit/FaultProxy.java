package dev.ixws.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A TCP proxy on the loopback interface that a test puts between a client and a server to break the
 * connection on purpose: cut it (RST or FIN), stall it silently in one or both directions (a
 * half-open connection: no FIN, no RST, the bytes just stop), resume it, delay it, split every
 * write into 1-byte segments, throttle it. Each fault applies to one {@link Connection} or, through
 * the methods named {@code ...All}, to every live one.
 *
 * <p>It listens on 127.0.0.1, port 0 (a free one: {@link #port()}), and opens one connection to the
 * loopback target per accepted connection. It runs on its own Netty NIO event loops (two threads,
 * ended by {@link #close()}); both sockets of a proxied connection share one of them.
 *
 * <p>Bounded: per connection and direction it holds at most {@link #MAX_BUFFERED_BYTES} read but
 * not yet forwarded (stalled, delayed or throttled) plus one socket read (at most {@link
 * #MAX_READ_BYTES}); beyond that it stops reading from the sender, whose TCP window then closes.
 * Every buffer it reads is written on or released, also when a connection is cut or the proxy
 * closed, so it passes Netty's leak detector at paranoid.
 *
 * <p>Thread-safe: every method may be called from any thread. A fault is in effect when its method
 * returns (it runs on the connection's event loop and is waited for).
 */
public final class FaultProxy implements AutoCloseable {

  /** How a connection is cut. */
  public enum Cut {
    /** A reset: SO_LINGER 0, then close; the peer's next read or write fails. */
    RST,
    /** A normal close: the peer reads end of stream. */
    FIN
  }

  /** Which way bytes flow through the proxy. */
  public enum Direction {
    /** From the client (the side that connected to the proxy) to the target. */
    UPSTREAM,
    /** From the target to the client. */
    DOWNSTREAM,
    /** Both ways. */
    BOTH;

    boolean includes(Direction one) {
      return this == BOTH || this == one;
    }
  }

  /** One side of a proxied connection. */
  public enum Side {
    /** The socket to the client that connected to the proxy. */
    CLIENT,
    /** The socket to the target. */
    TARGET,
    /** Both sockets. */
    BOTH;

    boolean includes(Side one) {
      return this == BOTH || this == one;
    }
  }

  /**
   * Bytes held per connection and direction before the proxy stops reading from the sender (256
   * KiB).
   */
  public static final int MAX_BUFFERED_BYTES = 256 * 1024;

  /** The largest single socket read (64 KiB). */
  public static final int MAX_READ_BYTES = 64 * 1024;

  private final InetSocketAddress target;
  private final EventLoopGroup group;
  private final Channel listener;
  private final CopyOnWriteArrayList<Connection> live = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile Shaping defaults = Shaping.NONE;
  private volatile boolean refusing;

  private FaultProxy(InetSocketAddress target) {
    this.target = target;
    this.group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    try {
      this.listener =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childOption(ChannelOption.AUTO_READ, false)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(ChannelOption.RECVBUF_ALLOCATOR, Connection.RECV_ALLOCATOR)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                      accept(channel);
                    }
                  })
              .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
              .syncUninterruptibly()
              .channel();
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
      throw e;
    }
  }

  /** A proxy to {@code targetPort} on 127.0.0.1, listening once this returns. */
  public static FaultProxy start(int targetPort) {
    return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
  }

  /**
   * A proxy to {@code target}, which must be a loopback address, listening once this returns.
   *
   * @throws IllegalArgumentException if {@code target} is not on the loopback interface
   */
  public static FaultProxy start(InetSocketAddress target) {
    Objects.requireNonNull(target, "target");
    if (target.getAddress() == null || !target.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException("the fault proxy only forwards to loopback: " + target);
    }
    return new FaultProxy(target);
  }

  /** The port the proxy listens on (on 127.0.0.1). */
  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** {@code ws://127.0.0.1:PORT} followed by {@code path} ("/" or "/chat?x=1"): via the proxy. */
  public String wsUrl(String path) {
    return "ws://127.0.0.1:" + port() + path;
  }

  /** How many connections the proxy has accepted since it started (refused ones included). */
  public int acceptedCount() {
    return accepted.get();
  }

  /** The live connections (at least one socket still open), oldest first. */
  public List<Connection> connections() {
    List<Connection> copy = new ArrayList<>(live);
    copy.sort(Comparator.comparingInt(Connection::id));
    return copy;
  }

  /**
   * Waits until at least {@code count} live connections are connected to the target, and returns
   * the live connections, oldest first; fails the test if that does not happen within {@code
   * timeout}.
   */
  public List<Connection> awaitConnections(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (readyCount() < count) {
      if (System.nanoTime() - deadline > 0) {
        fail(
            "timed out after "
                + timeout
                + " waiting for "
                + count
                + " proxied connections; connected: "
                + readyCount());
      }
      LockSupport.parkNanos(1_000_000);
    }
    return connections();
  }

  private int readyCount() {
    int ready = 0;
    for (Connection connection : live) {
      if (connection.ready) {
        ready++;
      }
    }
    return ready;
  }

  /** Waits until no connection is live; fails the test if one still is after {@code timeout}. */
  public void awaitNoConnections(Duration timeout) {
    Await.until("no live proxied connection (" + live.size() + ")", timeout, live::isEmpty);
  }

  /** Cuts every live connection, both sides, with {@code how}. */
  public void cutAll(Cut how) {
    connections().forEach(connection -> connection.cut(how));
  }

  /** Stalls every live connection in {@code direction} (see {@link Connection#stall}). */
  public void stallAll(Direction direction) {
    connections().forEach(connection -> connection.stall(direction));
  }

  /** Resumes every live connection in both directions. */
  public void resumeAll() {
    connections().forEach(Connection::resume);
  }

  /**
   * Delays every byte by {@code delay} (fixed latency, order kept), on every live connection and
   * every later one; {@link Duration#ZERO} turns it off.
   */
  public void setDelay(Duration delay) {
    defaults = defaults.withDelay(delay);
    connections().forEach(connection -> connection.setDelay(delay));
  }

  /**
   * Splits every write into 1-byte segments (each byte written and flushed on its own, the next one
   * after the previous write completed), on every live connection and every later one.
   */
  public void setOneByteSegments(boolean enabled) {
    defaults = defaults.withOneByteSegments(enabled);
    connections().forEach(connection -> connection.setOneByteSegments(enabled));
  }

  /**
   * Limits each direction of every live and later connection to {@code bytesPerSecond} (0: no
   * limit).
   */
  public void setThrottle(long bytesPerSecond) {
    defaults = defaults.withThrottle(bytesPerSecond);
    connections().forEach(connection -> connection.setThrottle(bytesPerSecond));
  }

  /**
   * From now on, resets every new connection as soon as it is accepted (as a firewall that answers
   * RST would), until {@link #acceptNewConnections()}. Live connections are not affected.
   */
  public void refuseNewConnections() {
    refusing = true;
  }

  /** Proxies new connections again (the default). */
  public void acceptNewConnections() {
    refusing = false;
  }

  /** Stops listening, resets every live connection, and ends the proxy's threads. Idempotent. */
  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    for (Connection connection : connections()) {
      connection.cut(Cut.RST);
    }
    group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Override
  public String toString() {
    return "FaultProxy[127.0.0.1:" + port() + " -> " + target + ", live " + live.size() + "]";
  }

  private void accept(SocketChannel client) {
    int id = accepted.incrementAndGet();
    if (refusing) {
      Connection.reset(client);
      return;
    }
    Connection connection = new Connection(id, client, defaults, live::remove);
    live.add(connection);
    connection.connect(target);
  }

  /**
   * What the proxy does to the bytes of one direction (delay, segments, throttle): the defaults for
   * new connections.
   */
  record Shaping(long delayNanos, boolean oneByteSegments, long bytesPerSecond) {
    static final Shaping NONE = new Shaping(0, false, 0);

    Shaping withDelay(Duration delay) {
      if (delay.isNegative()) {
        throw new IllegalArgumentException("negative delay: " + delay);
      }
      return new Shaping(delay.toNanos(), oneByteSegments, bytesPerSecond);
    }

    Shaping withOneByteSegments(boolean enabled) {
      return new Shaping(delayNanos, enabled, bytesPerSecond);
    }

    Shaping withThrottle(long rate) {
      if (rate < 0) {
        throw new IllegalArgumentException("negative throttle: " + rate);
      }
      return new Shaping(delayNanos, oneByteSegments, rate);
    }
  }

  /**
   * One proxied connection: the accepted socket from the client and the socket to the target. Its
   * methods may be called from any thread and take effect before they return.
   */
  public static final class Connection {

    static final AdaptiveRecvByteBufAllocator RECV_ALLOCATOR =
        new AdaptiveRecvByteBufAllocator(64, 2048, MAX_READ_BYTES);

    private final int id;
    private final SocketChannel client;
    private final Consumer<Connection> onClosed;
    private final ProxyPipe upstream;
    private final ProxyPipe downstream;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    // Event-loop confined.
    private Channel targetChannel;
    private boolean clientOpen = true;
    private boolean targetOpen = true;
    private boolean finished;
    private Cut targetCut;
    private volatile boolean ready;

    Connection(int id, SocketChannel client, Shaping shaping, Consumer<Connection> onClosed) {
      this.id = id;
      this.client = client;
      this.onClosed = onClosed;
      this.upstream = new ProxyPipe(Direction.UPSTREAM, client.eventLoop(), shaping);
      this.downstream = new ProxyPipe(Direction.DOWNSTREAM, client.eventLoop(), shaping);
      upstream.source(client);
      downstream.sink(client);
      client
          .pipeline()
          .addLast(new ProxyPipe.SideHandler(upstream, downstream, () -> sideClosed(Side.CLIENT)));
    }

    static void reset(Channel channel) {
      if (channel.isOpen()) {
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        channel.close();
      }
    }

    void connect(InetSocketAddress target) {
      new Bootstrap()
          .group(client.eventLoop())
          .channel(io.netty.channel.socket.nio.NioSocketChannel.class)
          .option(ChannelOption.AUTO_READ, false)
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.RECVBUF_ALLOCATOR, RECV_ALLOCATOR)
          .handler(new ProxyPipe.SideHandler(downstream, upstream, () -> sideClosed(Side.TARGET)))
          .connect(target)
          .addListener(
              (ChannelFutureListener)
                  future -> {
                    Channel channel = future.channel();
                    targetChannel = channel;
                    if (!future.isSuccess()) {
                      targetOpen = false;
                      reset(client);
                      return;
                    }
                    if (!clientOpen || !upstream.alive()) {
                      // Cut or gone while we were connecting.
                      close(channel, targetCut == null ? Cut.RST : targetCut);
                      return;
                    }
                    upstream.sink(channel);
                    downstream.source(channel);
                    upstream.updateReading();
                    downstream.updateReading();
                    upstream.drain();
                    ready = true;
                  });
    }

    /** A sequence number: the n-th connection the proxy accepted has id n (from 1). */
    public int id() {
      return id;
    }

    /** Whether at least one of its two sockets is still open. */
    public boolean isOpen() {
      return !closed.isDone();
    }

    /** Cuts both sides with {@code how}; bytes held by the proxy are dropped. */
    public void cut(Cut how) {
      cut(how, Side.BOTH);
    }

    /**
     * Cuts {@code side} with {@code how}; bytes held by the proxy are dropped. When one side only
     * is cut, the other is left open and silent: nothing more reaches it, and what it sends is read
     * and discarded, as if its peer had vanished. It closes when its own peer closes it, or at a
     * later cut.
     */
    public void cut(Cut how, Side side) {
      Objects.requireNonNull(how, "how");
      Objects.requireNonNull(side, "side");
      onLoop(
          () -> {
            upstream.abandon();
            downstream.abandon();
            if (side.includes(Side.CLIENT)) {
              close(client, how);
            }
            if (side.includes(Side.TARGET)) {
              if (targetChannel != null) {
                close(targetChannel, how);
              } else {
                targetCut = how; // still connecting: cut as soon as the connect completes
              }
            }
          });
    }

    private static void close(Channel channel, Cut how) {
      if (how == Cut.RST) {
        reset(channel);
      } else {
        channel.close();
      }
    }

    /**
     * Stops the bytes in {@code direction} without closing anything: the proxy stops reading from
     * the sender and forwarding what it holds, so the sender's TCP window closes and the receiver
     * hears nothing (no FIN, no RST). An end of stream from the sender is held too. {@link
     * #resume()} lets everything through again, in order.
     */
    public void stall(Direction direction) {
      Objects.requireNonNull(direction, "direction");
      onLoop(
          () -> {
            if (direction.includes(Direction.UPSTREAM)) {
              upstream.stall();
            }
            if (direction.includes(Direction.DOWNSTREAM)) {
              downstream.stall();
            }
          });
    }

    /** Ends a stall in both directions: what was held is forwarded, then new bytes. */
    public void resume() {
      onLoop(
          () -> {
            upstream.resume();
            downstream.resume();
          });
    }

    /** Delays every byte in both directions by {@code delay} (fixed latency, order kept). */
    public void setDelay(Duration delay) {
      long nanos = Shaping.NONE.withDelay(delay).delayNanos();
      onLoop(
          () -> {
            upstream.delayNanos(nanos);
            downstream.delayNanos(nanos);
          });
    }

    /** Writes every byte in both directions as its own segment (write and flush per byte). */
    public void setOneByteSegments(boolean enabled) {
      onLoop(
          () -> {
            upstream.oneByteSegments(enabled);
            downstream.oneByteSegments(enabled);
          });
    }

    /** Limits each direction to {@code bytesPerSecond} (0: no limit). */
    public void setThrottle(long bytesPerSecond) {
      long rate = Shaping.NONE.withThrottle(bytesPerSecond).bytesPerSecond();
      onLoop(
          () -> {
            upstream.throttle(rate);
            downstream.throttle(rate);
          });
    }

    /** Bytes forwarded so far in {@code direction} (UPSTREAM or DOWNSTREAM; BOTH: the sum). */
    public long forwardedBytes(Direction direction) {
      return (direction.includes(Direction.UPSTREAM) ? upstream.forwardedBytes() : 0)
          + (direction.includes(Direction.DOWNSTREAM) ? downstream.forwardedBytes() : 0);
    }

    /** Socket writes so far in {@code direction}; with 1-byte segments, one per byte. */
    public long writes(Direction direction) {
      return (direction.includes(Direction.UPSTREAM) ? upstream.writes() : 0)
          + (direction.includes(Direction.DOWNSTREAM) ? downstream.writes() : 0);
    }

    /** Bytes read but not yet forwarded in {@code direction}. */
    public long bufferedBytes(Direction direction) {
      return (direction.includes(Direction.UPSTREAM) ? upstream.bufferedBytes() : 0)
          + (direction.includes(Direction.DOWNSTREAM) ? downstream.bufferedBytes() : 0);
    }

    /**
     * Waits until both sockets are closed; fails the test if they are not within {@code timeout}.
     */
    public void awaitClosed(Duration timeout) {
      try {
        closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        fail("proxied connection " + id + " still open after " + timeout);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      } catch (ExecutionException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public String toString() {
      return "Connection[" + id + ", " + upstream + ", " + downstream + "]";
    }

    /** Runs {@code task} on the event loop and waits for it; nothing to do once the proxy ended. */
    private void onLoop(Runnable task) {
      if (client.eventLoop().inEventLoop()) {
        task.run();
        return;
      }
      try {
        client.eventLoop().submit(task).syncUninterruptibly();
      } catch (RejectedExecutionException e) {
        // The proxy is closed: its connections are all gone.
      }
    }

    /**
     * One socket closed. If its peer closed it (not a cut), the close goes on to the other side as
     * it came: a reset at once, an end of stream after the bytes still held (unless stalled).
     */
    private void sideClosed(Side side) {
      ProxyPipe from = side == Side.CLIENT ? upstream : downstream;
      ProxyPipe into = side == Side.CLIENT ? downstream : upstream;
      if (side == Side.CLIENT) {
        clientOpen = false;
      } else {
        targetOpen = false;
      }
      into.sinkClosed();
      Channel other = side == Side.CLIENT ? targetChannel : client;
      boolean otherOpen = side == Side.CLIENT ? targetOpen : clientOpen;
      if (otherOpen && other != null && from.alive()) {
        if (from.sourceReset()) {
          from.abandon();
          into.abandon();
          reset(other);
        } else {
          from.sourceEnded();
        }
      }
      maybeFinish();
    }

    private void maybeFinish() {
      if (!clientOpen && !targetOpen && !finished) {
        finished = true;
        upstream.abandon();
        downstream.abandon();
        onClosed.accept(this);
        closed.complete(null);
      }
    }
  }
}
