package dev.ixws;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * What an {@link WebSocketMessageType#OPEN OPEN} message reports: the URI (the request target, e.g.
 * {@code /chat?room=1}), the handshake headers of the other side, the subprotocol agreed on (empty
 * when none), the per-message deflate parameters agreed on and, over TLS, the other side's verified
 * certificate chain.
 *
 * @param perMessageDeflate the per-message deflate parameters agreed on ({@link
 *     PerMessageDeflateOptions#DISABLED} when the connection does not compress; the compression
 *     threshold and levels are this end's own). Not in IXWebSocket.
 * @param peerCertificates the peer's certificate chain, leaf first, as the TLS handshake verified
 *     it: on a server, the client certificate of a mutual-TLS connection; on a client, the server's
 *     chain. Empty over plain TCP or when the peer sent none. Not in IXWebSocket.
 */
public record WebSocketOpenInfo(
    String uri,
    WebSocketHttpHeaders headers,
    String protocol,
    PerMessageDeflateOptions perMessageDeflate,
    List<X509Certificate> peerCertificates) {

  /** The value carried by messages that are not {@code OPEN}. */
  public static final WebSocketOpenInfo NONE =
      new WebSocketOpenInfo("", WebSocketHttpHeaders.EMPTY, "");

  /** Checks that no component is null; copies the chain. */
  public WebSocketOpenInfo {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(perMessageDeflate, "perMessageDeflate");
    peerCertificates = List.copyOf(peerCertificates);
  }

  /** Open info of a plain connection without per-message deflate. */
  public WebSocketOpenInfo(String uri, WebSocketHttpHeaders headers, String protocol) {
    this(uri, headers, protocol, PerMessageDeflateOptions.DISABLED, List.of());
  }

  /** Open info of a plain (not TLS) connection. */
  public WebSocketOpenInfo(
      String uri,
      WebSocketHttpHeaders headers,
      String protocol,
      PerMessageDeflateOptions perMessageDeflate) {
    this(uri, headers, protocol, perMessageDeflate, List.of());
  }

  /** Open info of a connection without per-message deflate. */
  public WebSocketOpenInfo(
      String uri,
      WebSocketHttpHeaders headers,
      String protocol,
      List<X509Certificate> peerCertificates) {
    this(uri, headers, protocol, PerMessageDeflateOptions.DISABLED, peerCertificates);
  }
}
