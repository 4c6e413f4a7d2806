package dev.ixws.internal.tls;

import java.net.Socket;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.security.auth.x500.X500Principal;

/**
 * Verifies a peer's certificate chain, for both engines: each certificate's validity period, then
 * the chain against the trusted roots (the JDK's PKIX validator, with the system trust store or the
 * {@code caFile} roots), then, on a client, the host name ({@link HostnameCheck}). Every refusal is
 * a {@link PeerCertificateException} whose message names the certificate and the reason, so
 * BoringSSL and the JDK report the same text. With no roots ({@code caFile = NONE}) it accepts
 * everything. The engines call it on their event loop; it is stateless and thread-safe.
 */
final class PeerVerifier extends X509ExtendedTrustManager {

  private final X509ExtendedTrustManager roots; // null: peer verification disabled
  private final String rootsName;
  private final boolean checkHostname;

  private PeerVerifier(X509ExtendedTrustManager roots, String rootsName, boolean checkHostname) {
    this.roots = roots;
    this.rootsName = rootsName;
    this.checkHostname = checkHostname;
  }

  /** Accepts any peer ({@code caFile = NONE}). */
  static PeerVerifier disabled() {
    return new PeerVerifier(null, "none", false);
  }

  /** The JVM's default trust store ({@code caFile = SYSTEM}). */
  static PeerVerifier system(boolean checkHostname) throws TlsConfigException {
    return new PeerVerifier(trustManager(null), "the system trust store", checkHostname);
  }

  /** The given roots ({@code caFile} as a file or in memory). */
  static PeerVerifier roots(List<X509Certificate> roots, String name, boolean checkHostname)
      throws TlsConfigException {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < roots.size(); i++) {
        store.setCertificateEntry("root-" + i, roots.get(i));
      }
      return new PeerVerifier(trustManager(store), name, checkHostname);
    } catch (Exception e) {
      throw new TlsConfigException("cannot use the roots of " + name + ": " + e.getMessage(), e);
    }
  }

  private static X509ExtendedTrustManager trustManager(KeyStore store) throws TlsConfigException {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager extended) {
          return extended;
        }
      }
      throw new TlsConfigException("the JVM has no X.509 trust manager");
    } catch (NoSuchAlgorithmException | KeyStoreException e) {
      throw new TlsConfigException("cannot load the trust store: " + e.getMessage(), e);
    }
  }

  boolean verifiesPeer() {
    return roots != null;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    if (roots == null) {
      return;
    }
    checkDates(chain, "server");
    try {
      roots.checkServerTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      throw untrusted(chain, "server", e);
    }
    if (checkHostname) {
      String host = engine == null ? null : engine.getPeerHost();
      if (host == null) {
        throw new PeerCertificateException("no host name to check the server certificate against");
      }
      HostnameCheck.check(chain[0], host);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    if (roots == null) {
      return;
    }
    checkDates(chain, "client");
    try {
      roots.checkClientTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      throw untrusted(chain, "client", e);
    }
  }

  private static void checkDates(X509Certificate[] chain, String role)
      throws PeerCertificateException {
    if (chain == null || chain.length == 0) {
      throw new PeerCertificateException("the " + role + " sent no certificate");
    }
    for (X509Certificate certificate : chain) {
      try {
        certificate.checkValidity();
      } catch (CertificateExpiredException e) {
        throw new PeerCertificateException(
            role
                + " certificate "
                + subject(certificate)
                + " expired on "
                + Instant.ofEpochMilli(certificate.getNotAfter().getTime()),
            e);
      } catch (CertificateNotYetValidException e) {
        throw new PeerCertificateException(
            role
                + " certificate "
                + subject(certificate)
                + " is not valid before "
                + Instant.ofEpochMilli(certificate.getNotBefore().getTime()),
            e);
      }
    }
  }

  private PeerCertificateException untrusted(
      X509Certificate[] chain, String role, CertificateException cause) {
    X509Certificate leaf = chain[0];
    return new PeerCertificateException(
        role
            + " certificate "
            + subject(leaf)
            + " (issued by "
            + leaf.getIssuerX500Principal().getName(X500Principal.RFC2253)
            + ") is not trusted: no chain to a root in "
            + rootsName,
        cause);
  }

  static String subject(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
  }

  // The Socket forms are for SSLSocket users; Netty only calls the SSLEngine forms. They apply the
  // same rules, without the host name (a socket has none to offer here).

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkClientTrusted(chain, authType, (SSLEngine) null);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(chain, authType, (SSLEngine) null);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    checkClientTrusted(chain, authType, (SSLEngine) null);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    checkServerTrusted(chain, authType, (SSLEngine) null);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return roots == null ? new X509Certificate[0] : roots.getAcceptedIssuers();
  }
}
