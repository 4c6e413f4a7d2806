package dev.ixws.server.testing;

import dev.ixws.WebSocketMessage;
import dev.ixws.client.WebSocket;
import dev.ixws.client.internal.AcceptedRole;
import dev.ixws.client.internal.ClientRole;
import dev.ixws.internal.session.SessionConfig;
import dev.ixws.internal.transport.Acceptor;
import dev.ixws.internal.transport.Connector;
import dev.ixws.server.internal.ServerListener;
import dev.ixws.server.internal.ServerSpec;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ManualIoEventLoop;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Our client's pipeline and our server's pipeline joined in memory (layer 2 of the test pyramid):
 * the real {@link Connector}, {@link Acceptor}, handshakes and sessions over Netty's local
 * transport, all on one event loop whose clock is a {@link MockTicker}. Time moves only when the
 * test calls {@link #advance}, so handshake timeouts, reconnection backoff and heartbeats are
 * tested without sockets and without waiting.
 *
 * <p>A driver thread runs the loop; {@link #settle()} returns once the loop has run everything that
 * was due. Addresses are {@code ws://memory-N:1/...}, with N unique per server.
 */
public final class InMemoryNetwork implements AutoCloseable {

  private static final AtomicInteger NEXT = new AtomicInteger();

  private final MockTicker ticker = Ticker.newMockTicker();
  private final ManualIoEventLoop loop;
  private final Thread driver;
  private volatile boolean running = true;

  /** Starts the loop and its driver thread. */
  public InMemoryNetwork() {
    driver = new Thread(this::drive, "ixws-in-memory");
    driver.setDaemon(true);
    loop = new ManualIoEventLoop(null, driver, LocalIoHandler.newFactory(), ticker);
    driver.start();
  }

  private void drive() {
    while (running || !loop.isTerminated()) {
      loop.run(TimeUnit.MILLISECONDS.toNanos(1));
      if (!running) {
        if (!loop.isShuttingDown()) {
          loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        }
        // A graceful shutdown measures its quiet period on the loop's clock: let it pass.
        ticker.advance(1, TimeUnit.SECONDS);
      }
    }
  }

  /** A connector for clients of this network: {@code host:port} names a local address. */
  public Connector connector() {
    return Connector.of(LocalChannel.class, (host, port) -> new LocalAddress(host + ":" + port));
  }

  /**
   * A client whose callback is {@code events}, connecting through this network (our {@code
   * WebSocket}'s client half, without the public wrapper).
   */
  public ClientRole client(Consumer<WebSocketMessage> events) {
    return new ClientRole(events, () -> loop, connector());
  }

  /**
   * Starts a WebSocket server of ours on this network.
   *
   * @param onOpen called on the loop for each accepted connection, before its {@code OPEN}
   * @return the host to put in client URLs ({@code ws://HOST:1/})
   */
  public Server server(ServerSpec spec, OnOpen onOpen) {
    String host = "memory-" + NEXT.incrementAndGet();
    ServerListener listener =
        ServerListener.bind(
            Acceptor.of(loop, LocalServerChannel.class),
            new LocalAddress(host + ":1"),
            16,
            spec,
            (webSocket, role, session, remote) -> onOpen.onOpen(webSocket, role));
    listener.startAccepting();
    return new Server(host, listener);
  }

  /**
   * Starts a server that accepts connections and never answers a byte, releasing what it reads: a
   * peer that stalls the handshake.
   *
   * @return the host to put in client URLs
   */
  public String silentServer() {
    String host = "memory-" + NEXT.incrementAndGet();
    Acceptor.of(loop, LocalServerChannel.class)
        .bind(new LocalAddress(host + ":1"), 16, InMemoryNetwork::swallowEverything)
        .startAccepting();
    return host;
  }

  private static void swallowEverything(Channel ch) {
    ch.pipeline()
        .addLast(
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
              }
            });
  }

  /** What an in-memory server does with a connection whose handshake succeeded. */
  @FunctionalInterface
  public interface OnOpen {
    /** Called on the loop, before the connection's {@code OPEN}. */
    void onOpen(WebSocket webSocket, AcceptedRole role);
  }

  /** A running in-memory server. */
  public record Server(String host, ServerListener listener) {
    /** {@code ws://host:1} followed by {@code path}. */
    public String url(String path) {
      return "ws://" + host + ":1" + path;
    }
  }

  /** A server spec with the given session settings and defaults for the rest. */
  public static ServerSpec spec(SessionConfig session) {
    return new ServerSpec(100, 3000, List.of(), session, null);
  }

  /** Moves the clock forward by {@code duration}, then lets the loop run what fell due. */
  public void advance(Duration duration) {
    // On the loop itself: the loop then sees the new time at its next look at the timer queue.
    loop.execute(() -> ticker.advance(duration.toNanos(), TimeUnit.NANOSECONDS));
    settle();
  }

  /**
   * Waits until the loop has run every task that was queued or due, including the tasks those tasks
   * queued (bytes crossing the local transport take a task per hop).
   */
  public void settle() {
    for (int round = 0; round < 20; round++) {
      LinkedBlockingQueue<Boolean> done = new LinkedBlockingQueue<>();
      loop.execute(() -> done.add(true));
      try {
        if (done.poll(10, TimeUnit.SECONDS) == null) {
          throw new AssertionError("the in-memory event loop is stuck");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    loop.wakeup();
    try {
      driver.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
