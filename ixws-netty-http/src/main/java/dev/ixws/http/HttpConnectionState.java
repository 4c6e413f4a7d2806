package dev.ixws.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The state of one TCP connection of an {@link HttpServer}, handed to the callback with every
 * request on that connection (a keep-alive connection carries several): IXWebSocket's {@code
 * ConnectionState} as its HTTP server uses it. It is this module's own type rather than {@code
 * dev.ixws.server.ConnectionState}, so that the HTTP module does not depend on the WebSocket server
 * module; it has the same id, remote address and terminated flag.
 *
 * <p>Thread-safe: the id and address never change; {@link #setTerminated()} may be called from any
 * thread and makes the server close the connection after the response to the current request.
 */
public final class HttpConnectionState {

  private static final AtomicLong NEXT_ID = new AtomicLong();

  private final String id = Long.toString(NEXT_ID.getAndIncrement());
  private final String remoteIp;
  private final int remotePort;
  private volatile boolean terminated;

  /** A state with the next unique id for a client at {@code remoteIp:remotePort}. */
  public HttpConnectionState(String remoteIp, int remotePort) {
    this.remoteIp = java.util.Objects.requireNonNull(remoteIp, "remoteIp");
    this.remotePort = remotePort;
  }

  /** A process-wide unique id: "0", "1", "2"..., as IXWebSocket's. */
  public String getId() {
    return id;
  }

  /** The client's IP address as text. */
  public String getRemoteIp() {
    return remoteIp;
  }

  /** The client's TCP port. */
  public int getRemotePort() {
    return remotePort;
  }

  /**
   * Marks the connection as done: the server closes it after the response to the request being
   * handled (adding {@code Connection: close}).
   */
  public void setTerminated() {
    terminated = true;
  }

  /** Whether {@link #setTerminated()} was called. */
  public boolean isTerminated() {
    return terminated;
  }

  @Override
  public String toString() {
    return "HttpConnectionState[id=" + id + ", " + remoteIp + ":" + remotePort + "]";
  }
}
