package dev.ixws.server;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-connection state that a {@link WebSocketServer} creates for each accepted client: IX's {@code
 * ix::ConnectionState}. Subclass it to carry your own attributes (an authenticated flag, a user
 * id...) and install a factory with {@link WebSocketServer#setConnectionStateFactory}.
 *
 * <p>The id, remote address and port are set before the application sees the object and never
 * change; {@link #setTerminated()} may be called from any thread. Fields added by a subclass are
 * the subclass's to guard.
 */
public class ConnectionState {

  private static final AtomicLong NEXT_ID = new AtomicLong();

  private final String id = Long.toString(NEXT_ID.getAndIncrement());
  private volatile String remoteIp = "";
  private volatile int remotePort;
  private volatile boolean terminated;
  private volatile List<X509Certificate> peerCertificates = List.of();

  /** A state with the next unique id. */
  public ConnectionState() {}

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
   * server's {@code caFile} roots (mutual TLS): its subject ({@code getSubjectX500Principal()}),
   * SANs and issuers. Empty over plain TCP or when the server did not ask for a client certificate.
   * Not in IXWebSocket.
   */
  public List<X509Certificate> getPeerCertificates() {
    return peerCertificates;
  }

  /** Marks the connection as done for the application's own bookkeeping (IX's flag). */
  public void setTerminated() {
    terminated = true;
  }

  /** Whether {@link #setTerminated()} was called. */
  public boolean isTerminated() {
    return terminated;
  }

  final void attach(SocketAddress remote, List<X509Certificate> peerCertificates) {
    this.peerCertificates = List.copyOf(peerCertificates);
    if (remote instanceof InetSocketAddress inet) {
      remoteIp =
          inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
      remotePort = inet.getPort();
    } else {
      // Netty's local transport, in the in-memory tests: no IP, no port.
      remoteIp = String.valueOf(remote);
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[id=" + id + ", " + remoteIp + ":" + remotePort + "]";
  }
}
