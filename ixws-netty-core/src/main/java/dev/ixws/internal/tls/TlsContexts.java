package dev.ixws.internal.tls;

import dev.ixws.SocketTLSOptions;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@link SocketTLSOptions} into Netty {@link SslContext}s, for clients and for servers, with
 * the engine {@link TlsEngine#current()} picks: TLS 1.2 and 1.3 only, the engine's default ciphers
 * unless {@code ciphers} names some, peers verified by {@link PeerVerifier}. Every problem with the
 * options is a {@link TlsConfigException} with a readable message. Stateless; each call reads the
 * files again (a server's certificate rotation relies on that).
 */
public final class TlsContexts {

  /** The protocol versions spoken, newest first. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);
  private static final AtomicBoolean warnedNoVerify = new AtomicBoolean();

  private TlsContexts() {}

  /**
   * A client context: the server verified against {@code caFile} (and its host name unless
   * disabled), the client certificate of {@code certFile}/{@code keyFile} when set.
   */
  public static SslContext client(SocketTLSOptions options, TlsEngine engine)
      throws TlsConfigException {
    return client(options, engine, List.of());
  }

  /**
   * As {@link #client(SocketTLSOptions, TlsEngine)}, offering {@code alpn} (RFC 7301) in order of
   * preference when not empty: the HTTP client offers {@code http/1.1} (and {@code h2} later).
   */
  public static SslContext client(SocketTLSOptions options, TlsEngine engine, List<String> alpn)
      throws TlsConfigException {
    requireFilesFound(options);
    PeerVerifier verifier = verifier(options, !options.disableHostnameValidation());
    SslContextBuilder builder = SslContextBuilder.forClient().trustManager(verifier);
    if (options.hasCertAndKey()) {
      KeyAndChain identity = identity(options);
      builder.keyManager(identity.key(), identity.chain());
    }
    // Hostname checked by PeerVerifier, the same way with both engines.
    builder.endpointIdentificationAlgorithm(null);
    return build(builder, options, engine, alpn);
  }

  /**
   * A server context: {@code certFile}/{@code keyFile} required; a {@code caFile} of roots (not
   * {@code SYSTEM} or {@code NONE}) means clients must present a certificate they signed.
   */
  public static SslContext server(SocketTLSOptions options, TlsEngine engine)
      throws TlsConfigException {
    return server(options, engine, List.of());
  }

  /**
   * As {@link #server(SocketTLSOptions, TlsEngine)}, accepting the first of the client's ALPN
   * protocols that is in {@code alpn} (the server's list, e.g. {@code http/1.1}); a client that
   * offers none of them, or no ALPN at all, still connects, without a protocol.
   */
  public static SslContext server(SocketTLSOptions options, TlsEngine engine, List<String> alpn)
      throws TlsConfigException {
    requireFilesFound(options);
    if (!options.hasCertAndKey()) {
      throw new TlsConfigException(
          "a TLS server needs a certificate and its key: set certFile and keyFile");
    }
    KeyAndChain identity = identity(options);
    SslContextBuilder builder = SslContextBuilder.forServer(identity.key(), identity.chain());
    if (isMutual(options)) {
      builder.trustManager(verifier(options, false)).clientAuth(ClientAuth.REQUIRE);
    } else {
      builder.clientAuth(ClientAuth.NONE);
    }
    return build(builder, options, engine, alpn);
  }

  /** Whether a server with these options requires client certificates (mutual TLS). */
  public static boolean isMutual(SocketTLSOptions options) {
    return !options.isUsingSystemDefaults() && !options.isPeerVerifyDisabled();
  }

  private static SslContext build(
      SslContextBuilder builder, SocketTLSOptions options, TlsEngine engine, List<String> alpn)
      throws TlsConfigException {
    builder.sslProvider(engine.provider()).protocols(PROTOCOLS);
    if (!alpn.isEmpty()) {
      builder.applicationProtocolConfig(
          new ApplicationProtocolConfig(
              ApplicationProtocolConfig.Protocol.ALPN,
              // No common protocol: go on without one (the HTTP/1.1 default) rather than fail.
              ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
              ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
              alpn));
    }
    if (!options.isUsingDefaultCiphers()) {
      builder.ciphers(ciphers(options.ciphers(), engine));
    }
    try {
      return builder.build();
    } catch (SSLException | RuntimeException e) {
      throw new TlsConfigException(
          "cannot set up TLS with " + engine.description() + ": " + TlsFailures.describe(e), e);
    }
  }

  private static void requireFilesFound(SocketTLSOptions options) throws TlsConfigException {
    String error = options.getErrorMsg();
    if (!error.isEmpty()) {
      throw new TlsConfigException(error);
    }
  }

  private static PeerVerifier verifier(SocketTLSOptions options, boolean checkHostname)
      throws TlsConfigException {
    if (options.isPeerVerifyDisabled()) {
      if (warnedNoVerify.compareAndSet(false, true)) {
        log.warn("TLS peer verification is disabled (caFile = NONE): for testing only");
      }
      return PeerVerifier.disabled();
    }
    if (options.isUsingSystemDefaults()) {
      return PeerVerifier.system(checkHostname);
    }
    String name =
        Pem.isInMemory(options.caFile()) ? "the in-memory ca file" : "ca file " + options.caFile();
    return PeerVerifier.roots(
        Pem.readCertificates(options.caFile(), "ca file"), name, checkHostname);
  }

  /** A private key and its certificate chain, leaf first. */
  record KeyAndChain(PrivateKey key, List<X509Certificate> chain) {}

  static KeyAndChain identity(SocketTLSOptions options) throws TlsConfigException {
    List<X509Certificate> chain = Pem.readCertificates(options.certFile(), "cert file");
    PrivateKey key = Pem.readPrivateKey(options.keyFile(), "key file", options.keyPassword());
    requireMatch(key, chain.get(0), options);
    return new KeyAndChain(key, chain);
  }

  /**
   * Proves the key belongs to the certificate: a signature made with one verifies with the other.
   */
  private static void requireMatch(
      PrivateKey key, X509Certificate certificate, SocketTLSOptions options)
      throws TlsConfigException {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
          default -> null;
        };
    String mismatch =
        "the private key does not match the certificate "
            + PeerVerifier.subject(certificate)
            + " (key "
            + describe(options.keyFile())
            + ", certificate "
            + describe(options.certFile())
            + ")";
    if (algorithm == null) {
      return; // RSASSA-PSS and others: left to the handshake.
    }
    if (!key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())) {
      throw new TlsConfigException(mismatch);
    }
    try {
      byte[] probe = "ixws key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new TlsConfigException(mismatch);
      }
    } catch (GeneralSecurityException e) {
      throw new TlsConfigException(mismatch, e);
    }
  }

  private static String describe(String value) {
    return Pem.isInMemory(value) ? "in memory" : value;
  }

  /**
   * IX's cipher list ({@code :}, {@code ,} or space separated, OpenSSL or Java names) as the Java
   * names the engine supports.
   *
   * @throws TlsConfigException when none of them is supported
   */
  static List<String> ciphers(String list, TlsEngine engine) throws TlsConfigException {
    Set<String> supported = supportedCiphers(engine);
    Set<String> chosen = new LinkedHashSet<>();
    List<String> unknown = new ArrayList<>();
    for (String token : list.split("[:,\\s]+")) {
      if (token.isEmpty()) {
        continue;
      }
      String java =
          token.startsWith("TLS_") || token.startsWith("SSL_")
              ? token
              : CipherSuiteConverter.toJava(token, "TLS");
      if (java != null && supported.contains(java)) {
        chosen.add(java);
      } else {
        unknown.add(token);
      }
    }
    if (chosen.isEmpty()) {
      throw new TlsConfigException(
          "none of the ciphers '"
              + list
              + "' is supported by "
              + engine.description()
              + " (name cipher suites, e.g. ECDHE-RSA-AES128-GCM-SHA256 or"
              + " TLS_AES_128_GCM_SHA256; use DEFAULT for the engine's defaults)");
    }
    if (!unknown.isEmpty()) {
      log.debug("TLS ciphers not supported by {}, ignored: {}", engine, unknown);
    }
    return List.copyOf(chosen);
  }

  private static Set<String> supportedCiphers(TlsEngine engine) throws TlsConfigException {
    if (engine == TlsEngine.BORINGSSL) {
      return OpenSsl.availableJavaCipherSuites();
    }
    try {
      return Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
    } catch (GeneralSecurityException e) {
      throw new TlsConfigException("the JDK's TLS is not available: " + e.getMessage(), e);
    }
  }
}
