package dev.ixws.http.internal;

import dev.ixws.internal.transport.Connector;

/**
 * The machinery behind one {@code HttpClient}: its connection pool and how requests run. Safe from
 * any thread.
 */
public final class HttpEngine {

  private final ConnectionPool pool;

  /** An engine on core's TCP connector (shared event loops, asynchronous DNS). */
  public HttpEngine(int maxConnectionsPerHost, long idleTimeoutMillis) {
    this.pool =
        new ConnectionPool(
            new HttpConnections(Connector.tcp()), maxConnectionsPerHost, idleTimeoutMillis);
  }

  /** Starts {@code plan}; the returned run's future completes with the response. */
  public RequestRun start(RequestPlan plan, ResponseFactory factory) {
    RequestRun run = new RequestRun(pool, factory);
    run.start(plan);
    return run;
  }

  /** Changes the per-origin connection limit for the next acquisitions. */
  public void setMaxConnectionsPerHost(int max) {
    pool.setMaxConnectionsPerHost(max);
  }

  /** Changes the idle timeout for connections released from now on. */
  public void setIdleTimeoutMillis(long millis) {
    pool.setIdleTimeoutMillis(millis);
  }

  /** Open connections (connecting, busy or idle) to the origin of {@code url}. */
  public int openConnections(HttpUrl url) {
    return pool.openConnections(url.origin());
  }

  /** Idle pooled connections to the origin of {@code url}. */
  public int idleConnections(HttpUrl url) {
    return pool.idleConnections(url.origin());
  }

  /** Closes the pool: idle connections now, busy ones when their exchange ends. */
  public void close() {
    pool.close();
  }
}
