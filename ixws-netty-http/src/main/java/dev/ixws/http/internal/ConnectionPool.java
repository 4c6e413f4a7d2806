package dev.ixws.http.internal;

import dev.ixws.http.HttpErrorCode;
import dev.ixws.http.internal.HttpUrl.Origin;
import dev.ixws.internal.tls.TlsClient;
import dev.ixws.internal.tls.TlsFailures;
import dev.ixws.internal.transport.Connector;
import dev.ixws.internal.transport.EventLoops;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keep-alive connections per origin (scheme, host, port), bounded: at most {@code
 * maxConnectionsPerHost} open (busy plus idle) per origin; a request beyond that waits, within its
 * connect timeout, for one to be released or closed. An idle connection is closed after {@code
 * idleTimeoutMillis}, or as soon as the server closes it. Thread-safe: the state is guarded by this
 * object's lock; channels are only touched on their event loops.
 *
 * <p>Invariant: {@code Host.open} counts the connections that are connecting, busy or idle for that
 * origin; it is decremented exactly once per connection, when its channel closes (or its connect
 * fails), and that is when a waiting request gets the freed slot.
 */
final class ConnectionPool {

  /** Told when a connection is ready for a request, or why none could be had. */
  interface Acquirer {
    /** On the connection's event loop; the acquirer now owns the connection until release. */
    void acquired(PooledConnection connection);

    /** On any thread. */
    void failed(HttpErrorCode code, String message);
  }

  private static final class Host {
    final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
    final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    int open;
  }

  private static final class Waiter {
    final Acquirer acquirer;
    final boolean fresh;
    final TlsClient tls;
    final long deadlineNanos;
    final long connectTimeoutMillis;
    Future<?> timer;

    Waiter(Acquirer acquirer, boolean fresh, TlsClient tls, long connectTimeoutMillis) {
      this.acquirer = acquirer;
      this.tls = tls;
      this.fresh = fresh;
      this.connectTimeoutMillis = connectTimeoutMillis;
      this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(connectTimeoutMillis);
    }
  }

  private final HttpConnections connections;
  private final Map<Origin, Host> hosts = new HashMap<>();
  private volatile int maxConnectionsPerHost;
  private volatile long idleTimeoutMillis;
  private boolean closed;

  ConnectionPool(HttpConnections connections, int maxConnectionsPerHost, long idleTimeoutMillis) {
    this.connections = connections;
    this.maxConnectionsPerHost = maxConnectionsPerHost;
    this.idleTimeoutMillis = idleTimeoutMillis;
  }

  void setMaxConnectionsPerHost(int max) {
    this.maxConnectionsPerHost = max;
  }

  void setIdleTimeoutMillis(long millis) {
    this.idleTimeoutMillis = millis;
  }

  /**
   * Gets a connection to {@code origin} for one exchange: an idle one (unless {@code fresh}), a new
   * one if the origin is below its limit, or the next one released within {@code
   * connectTimeoutMillis}. Only connections made with the same {@code tls} (null for http) are
   * reused: an idle one made with other TLS options is closed instead.
   *
   * @return cancels the acquisition (the acquirer is then told it failed)
   */
  Runnable acquire(
      Origin origin, TlsClient tls, boolean fresh, long connectTimeoutMillis, Acquirer acquirer) {
    PooledConnection reused = null;
    List<PooledConnection> mismatched = new ArrayList<>();
    Waiter waiter = null;
    boolean connect = false;
    synchronized (this) {
      if (closed) {
        acquirer.failed(HttpErrorCode.CANNOT_CONNECT, "the HTTP client is closed");
        return () -> {};
      }
      Host host = hosts.computeIfAbsent(origin, o -> new Host());
      while (!fresh && reused == null && !host.idle.isEmpty()) {
        PooledConnection candidate = host.idle.pollLast();
        if (candidate.isActive() && candidate.tls != tls) {
          mismatched.add(candidate);
        } else if (candidate.isActive()) {
          candidate.generation++;
          reused = candidate;
        }
      }
      if (reused == null) {
        if (host.open < maxConnectionsPerHost) {
          host.open++;
          connect = true;
        } else {
          waiter = new Waiter(acquirer, fresh, tls, connectTimeoutMillis);
          host.waiters.add(waiter);
        }
      }
    }
    // Closing frees their slots (closeFuture), outside the lock.
    mismatched.forEach(c -> c.channel.close());
    if (reused != null) {
      hand(reused, acquirer);
      return () -> {};
    }
    if (connect) {
      return connect(origin, tls, connectTimeoutMillis, acquirer);
    }
    Waiter queued = waiter;
    queued.timer =
        EventLoops.next()
            .schedule(
                () -> {
                  if (removeWaiter(origin, queued)) {
                    queued.acquirer.failed(
                        HttpErrorCode.CANNOT_CONNECT,
                        "no connection to "
                            + origin
                            + " became free within "
                            + queued.connectTimeoutMillis
                            + " ms (at most "
                            + maxConnectionsPerHost
                            + " per host)");
                  }
                },
                connectTimeoutMillis,
                TimeUnit.MILLISECONDS);
    return () -> {
      if (removeWaiter(origin, queued)) {
        queued.timer.cancel(false);
        queued.acquirer.failed(HttpErrorCode.CANCELLED, "request cancelled");
      }
    };
  }

  private synchronized boolean removeWaiter(Origin origin, Waiter waiter) {
    Host host = hosts.get(origin);
    return host != null && host.waiters.remove(waiter);
  }

  private static void hand(PooledConnection connection, Acquirer acquirer) {
    connection.uses++;
    EventLoop loop = connection.channel.eventLoop();
    if (loop.inEventLoop()) {
      acquirer.acquired(connection);
    } else {
      loop.execute(() -> acquirer.acquired(connection));
    }
  }

  /** Opens a connection for which a slot was already counted in {@code Host.open}. */
  private Runnable connect(
      Origin origin, TlsClient tls, long connectTimeoutMillis, Acquirer acquirer) {
    EventLoop loop = EventLoops.next();
    ChannelFuture connecting;
    try {
      connecting = connections.connect(loop, origin, tls, connectTimeoutMillis);
    } catch (RuntimeException e) {
      slotFreed(origin, null);
      acquirer.failed(HttpErrorCode.CANNOT_CREATE_SOCKET, "cannot create a socket: " + e);
      return () -> {};
    }
    Channel channel = connecting.channel();
    AtomicBoolean counted = new AtomicBoolean(true);
    Runnable free =
        () -> {
          if (counted.compareAndSet(true, false)) {
            slotFreed(origin, channel);
          }
        };
    channel.closeFuture().addListener(f -> free.run());
    AtomicBoolean timedOut = new AtomicBoolean();
    // The socket option bounds the TCP connect; this timer bounds name resolution plus connect.
    Future<?> timer =
        loop.schedule(
            () -> {
              if (!connecting.isDone()) {
                timedOut.set(true);
                connecting.cancel(false);
                channel.close();
              }
            },
            connectTimeoutMillis,
            TimeUnit.MILLISECONDS);
    connecting.addListener(
        f -> {
          timer.cancel(false);
          if (f.isSuccess()) {
            PooledConnection connection =
                new PooledConnection(
                    channel, origin, channel.pipeline().get(ConnectionHandler.class), tls);
            // Not from the pipeline: this listener may run after a failed handshake closed the
            // channel and emptied its pipeline (it is added from the caller's thread), and then
            // handed out a dead connection whose request waited for ever.
            SslHandler ssl = Connector.tlsHandler(channel);
            if (ssl == null) {
              ready(connection, acquirer);
              return;
            }
            // https: the connection is handed out only once the TLS handshake succeeded (it is
            // bounded by the handshake timeout, the connect timeout again); a failure is this
            // connect's failure, in TlsFailures' words.
            ssl.handshakeFuture()
                .addListener(
                    h -> {
                      if (h.isSuccess()) {
                        ready(connection, acquirer);
                      } else {
                        channel.close();
                        acquirer.failed(
                            HttpErrorCode.CANNOT_CONNECT, tlsFailure(origin, tls, h.cause()));
                      }
                    });
            return;
          }
          free.run();
          channel.close();
          if (timedOut.get() || f.cause() instanceof ConnectTimeoutException) {
            acquirer.failed(
                HttpErrorCode.CANNOT_CONNECT,
                "Cannot connect to "
                    + origin
                    + ": connect timed out after "
                    + connectTimeoutMillis
                    + " ms");
          } else if (f.isCancelled()) {
            acquirer.failed(HttpErrorCode.CANCELLED, "request cancelled while connecting");
          } else {
            acquirer.failed(HttpErrorCode.CANNOT_CONNECT, connectFailure(origin, f.cause()));
          }
        });
    return () -> {
      if (!connecting.isDone()) {
        connecting.cancel(false);
        channel.close();
      } else if (tls != null) {
        SslHandler ssl = Connector.tlsHandler(channel);
        if (ssl != null && !ssl.handshakeFuture().isDone()) {
          channel.close(); // the handshake fails: the acquirer hears it (as cancelled)
        }
      }
    };
  }

  /** Hands a new connection out, unless the pool closed meanwhile. */
  private void ready(PooledConnection connection, Acquirer acquirer) {
    synchronized (this) {
      if (closed) {
        connection.channel.close();
        acquirer.failed(HttpErrorCode.CANNOT_CONNECT, "the HTTP client is closed");
        return;
      }
    }
    hand(connection, acquirer);
  }

  /** Why the TLS handshake with {@code origin} failed, in {@link TlsFailures}' words. */
  static String tlsFailure(Origin origin, TlsClient tls, Throwable cause) {
    boolean sentCertificate = tls != null && tls.options().hasCertAndKey();
    return "TLS handshake with "
        + origin.host()
        + ":"
        + origin.port()
        + " failed: "
        + (TlsFailures.isTls(cause)
            ? TlsFailures.describe(cause, sentCertificate)
            : cause instanceof ClosedChannelException
                ? "the connection closed during the TLS handshake"
                : String.valueOf(cause.getMessage()));
  }

  private static String connectFailure(Origin origin, Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      if (root instanceof UnknownHostException) {
        break;
      }
      root = root.getCause();
    }
    if (root instanceof UnknownHostException || cause instanceof UnknownHostException) {
      return "Cannot connect to " + origin + ": cannot resolve host '" + origin.host() + "'";
    }
    String reason = cause instanceof ConnectException ? "connection refused" : "connect failed";
    return "Cannot connect to " + origin + ": " + reason + " (" + cause.getMessage() + ")";
  }

  /**
   * Takes back a connection after an exchange: kept idle (or handed to a waiting request) when
   * {@code reusable} and still open, closed otherwise.
   */
  void release(PooledConnection connection, boolean reusable) {
    if (!reusable || !connection.isActive()) {
      connection.channel.close();
      return;
    }
    Waiter waiter = null;
    long generation;
    synchronized (this) {
      Host host = hosts.get(connection.origin);
      if (closed || host == null) {
        connection.channel.close();
        return;
      }
      for (Iterator<Waiter> it = host.waiters.iterator(); it.hasNext(); ) {
        Waiter candidate = it.next();
        if (!candidate.fresh && candidate.tls == connection.tls) {
          it.remove();
          waiter = candidate;
          break;
        }
      }
      generation = ++connection.generation;
      if (waiter == null) {
        if (idleTimeoutMillis == 0) {
          // No keep-alive reuse: nobody waits for it, so it closes now.
          connection.channel.close();
          return;
        }
        host.idle.addLast(connection);
      }
    }
    if (waiter != null) {
      if (waiter.timer != null) {
        waiter.timer.cancel(false);
      }
      hand(connection, waiter.acquirer);
      return;
    }
    connection
        .channel
        .eventLoop()
        .schedule(
            () -> {
              boolean expired;
              synchronized (this) {
                Host host = hosts.get(connection.origin);
                expired =
                    connection.generation == generation
                        && host != null
                        && host.idle.remove(connection);
              }
              if (expired) {
                connection.channel.close();
              }
            },
            idleTimeoutMillis,
            TimeUnit.MILLISECONDS);
  }

  /** A connection of {@code origin} closed (or failed to open): its slot may go to a waiter. */
  private void slotFreed(Origin origin, Channel channel) {
    Waiter next = null;
    long remainingMillis = 0;
    List<Waiter> expired = new ArrayList<>();
    synchronized (this) {
      Host host = hosts.get(origin);
      if (host == null) {
        return;
      }
      if (channel != null) {
        host.idle.removeIf(c -> c.channel == channel);
      }
      host.open--;
      while (!closed && next == null && !host.waiters.isEmpty()) {
        Waiter candidate = host.waiters.poll();
        remainingMillis =
            TimeUnit.NANOSECONDS.toMillis(candidate.deadlineNanos - System.nanoTime());
        if (remainingMillis > 0) {
          next = candidate;
          host.open++;
        } else {
          expired.add(candidate);
        }
      }
      if (host.open == 0 && host.waiters.isEmpty()) {
        hosts.remove(origin);
      }
    }
    for (Waiter late : expired) {
      late.acquirer.failed(
          HttpErrorCode.CANNOT_CONNECT, "no connection to " + origin + " became free in time");
    }
    if (next != null) {
      if (next.timer != null) {
        next.timer.cancel(false);
      }
      connect(origin, next.tls, remainingMillis, next.acquirer);
    }
  }

  /** Open connections (connecting, busy or idle) to {@code origin}, for tests. */
  synchronized int openConnections(Origin origin) {
    Host host = hosts.get(origin);
    return host == null ? 0 : host.open;
  }

  /** Idle connections to {@code origin}, for tests. */
  synchronized int idleConnections(Origin origin) {
    Host host = hosts.get(origin);
    return host == null ? 0 : host.idle.size();
  }

  /** Closes the idle connections, fails the waiting requests, and closes busy ones on release. */
  void close() {
    List<PooledConnection> idle = new ArrayList<>();
    List<Waiter> waiters = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      for (Host host : hosts.values()) {
        idle.addAll(host.idle);
        host.idle.clear();
        waiters.addAll(host.waiters);
        host.waiters.clear();
      }
    }
    for (PooledConnection connection : idle) {
      connection.channel.close();
    }
    for (Waiter waiter : waiters) {
      if (waiter.timer != null) {
        waiter.timer.cancel(false);
      }
      waiter.acquirer.failed(HttpErrorCode.CANNOT_CONNECT, "the HTTP client is closed");
    }
  }
}
