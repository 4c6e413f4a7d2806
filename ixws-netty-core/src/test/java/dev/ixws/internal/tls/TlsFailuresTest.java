package dev.ixws.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class TlsFailuresTest {

  @Test
  void alertNamesFromBothEnginesReadTheSame() {
    assertEquals("unknown_ca", TlsFailures.alert("Received fatal alert: unknown_ca"));
    assertEquals(
        "unknown_ca",
        TlsFailures.alert("error:10000418:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA"));
    assertEquals(
        "bad_certificate",
        TlsFailures.alert(
            "error:10000412:SSL routines:OPENSSL_internal:SSLV3_ALERT_BAD_CERTIFICATE"));
    assertEquals(null, TlsFailures.alert("something else"));
    assertEquals(null, TlsFailures.alert(null));
  }

  @Test
  void theVerifiersReasonWinsWhereverItIsInTheChain() {
    SSLHandshakeException handshake = new SSLHandshakeException("General OpenSslEngine problem");
    handshake.addSuppressed(
        new PeerCertificateException("certificate for localhost does not match host 127.0.0.2"));
    assertEquals(
        "certificate for localhost does not match host 127.0.0.2",
        TlsFailures.describe(new DecoderException(handshake)));
    assertTrue(TlsFailures.isTls(new DecoderException(handshake)));
  }

  @Test
  void plainPeersAndClosedConnectionsAreNamed() {
    assertEquals(
        "the peer does not speak TLS (it sent plain data)",
        TlsFailures.describe(
            new DecoderException(new NotSslRecordException("not an SSL/TLS record: 4854"))));
    SSLHandshakeException closed = new SSLHandshakeException("closed");
    closed.initCause(new ClosedChannelException());
    assertEquals("the connection closed during the TLS handshake", TlsFailures.describe(closed));
    assertFalse(TlsFailures.isTls(new IOException("Connection reset by peer")));
  }

  @Test
  void clientCertificateAlertsDependOnWhetherWeSentOne() {
    SSLHandshakeException alert =
        new SSLHandshakeException("Received fatal alert: bad_certificate");
    assertEquals(
        "the server requires a client certificate: set certFile and keyFile (alert: bad_certificate)",
        TlsFailures.describe(alert, false));
    assertEquals(
        "the server refused our client certificate (alert: bad_certificate)",
        TlsFailures.describe(alert, true));
    assertEquals(
        "the peer speaks no TLS version we accept (1.2 or 1.3) (alert: protocol_version)",
        TlsFailures.describe(new SSLHandshakeException("Received fatal alert: protocol_version")));
  }
}
