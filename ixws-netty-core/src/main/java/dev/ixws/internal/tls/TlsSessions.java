package dev.ixws.internal.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;

/** What a channel's completed TLS handshake established. Call on the channel's event loop. */
public final class TlsSessions {

  private TlsSessions() {}

  /**
   * The peer's verified certificate chain, leaf first; empty for a plain channel, a peer that sent
   * no certificate, or a handshake not yet complete.
   */
  public static List<X509Certificate> peerCertificates(Channel channel) {
    SslHandler handler = channel.pipeline().get(SslHandler.class);
    if (handler == null || !handler.handshakeFuture().isSuccess()) {
      return List.of();
    }
    try {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate certificate : handler.engine().getSession().getPeerCertificates()) {
        if (certificate instanceof X509Certificate x509) {
          chain.add(x509);
        }
      }
      return List.copyOf(chain);
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }
}
