package dev.ixws.internal.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS implementation: BoringSSL through {@code netty-tcnative-boringssl-static} when its native
 * library loads, the JDK's provider otherwise. The system property {@value #PROPERTY} chooses:
 * {@code boringssl} (or {@code openssl}) insists on the native engine and falls back to the JDK,
 * with a warning, when it does not load; {@code jdk} forces the JDK; unset or {@code auto} picks
 * the native one when available. The property is read each time a TLS context is built, so a test
 * can build one context of each kind in one JVM. The choice is logged once at debug level.
 */
public enum TlsEngine {
  /** BoringSSL (netty-tcnative), Netty's {@code SslProvider.OPENSSL}. */
  BORINGSSL,
  /** The JDK's SunJSSE provider. */
  JDK;

  /** The system property that chooses the engine. */
  public static final String PROPERTY = "dev.ixws.tls.engine";

  private static final Logger log = LoggerFactory.getLogger(TlsEngine.class);
  private static final AtomicBoolean reported = new AtomicBoolean();
  private static final AtomicBoolean warned = new AtomicBoolean();

  /** Whether the native engine loaded in this JVM. */
  public static boolean nativeAvailable() {
    return OpenSsl.isAvailable();
  }

  /** The engine the property and the platform choose now. */
  public static TlsEngine current() {
    String wanted = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    TlsEngine engine;
    switch (wanted) {
      case "jdk" -> engine = JDK;
      case "boringssl", "openssl" -> {
        engine = nativeAvailable() ? BORINGSSL : JDK;
        if (engine == JDK && warned.compareAndSet(false, true)) {
          log.warn(
              "{}={} but the native TLS engine did not load ({}); using the JDK's",
              PROPERTY,
              wanted,
              String.valueOf(OpenSsl.unavailabilityCause()));
        }
      }
      default -> engine = nativeAvailable() ? BORINGSSL : JDK;
    }
    if (reported.compareAndSet(false, true) && log.isDebugEnabled()) {
      log.debug("TLS engine: {}", engine.description());
    }
    return engine;
  }

  /** Netty's provider for this engine. */
  SslProvider provider() {
    return this == BORINGSSL ? SslProvider.OPENSSL : SslProvider.JDK;
  }

  /** A human-readable name with the version, e.g. "BoringSSL (netty-tcnative, BoringSSL)". */
  public String description() {
    return this == BORINGSSL
        ? "BoringSSL through netty-tcnative (" + OpenSsl.versionString() + ")"
        : "JDK (" + System.getProperty("java.vendor") + " " + Runtime.version() + ")";
  }
}
