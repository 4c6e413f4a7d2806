package dev.ixws.http;

import java.security.cert.X509Certificate;
import java.util.List;
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
  private final List<X509Certificate> peerCertificates;
  private volatile boolean terminated;

  /** A state with the next unique id for a client at {@code remoteIp:remotePort}. */
  public HttpConnectionState(String remoteIp, int remotePort) {
    this(remoteIp, remotePort, List.of());
  }

  /**
   * A state with the next unique id for a client at {@code remoteIp:remotePort} that presented
   * {@code peerCertificates} (leaf first; copied) in its TLS handshake.
   */
  public HttpConnectionState(
      String remoteIp, int remotePort, List<X509Certificate> peerCertificates) {
    this.remoteIp = java.util.Objects.requireNonNull(remoteIp, "remoteIp");
    this.remotePort = remotePort;
    this.peerCertificates = List.copyOf(peerCertificates);
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
   * The client's TLS certificate chain, leaf first, as the handshake verified it against the
   * server's {@code caFile} roots (mutual TLS, see {@link HttpServer#setTLSOptions}): its subject
   * ({@code getSubjectX500Principal()}), SANs and issuers. Empty over plain TCP or when the server
   * did not ask for a client certificate. The same as {@code ConnectionState.getPeerCertificates()}
   * of the WebSocket server. Not in IXWebSocket.
   */
  public List<X509Certificate> getPeerCertificates() {
    return peerCertificates;
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
