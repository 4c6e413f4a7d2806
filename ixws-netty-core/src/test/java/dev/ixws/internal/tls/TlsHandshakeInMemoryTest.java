package dev.ixws.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.SocketTLSOptions;
import dev.ixws.testkit.TestCertificates;
import dev.ixws.testkit.TestCertificates.Authority;
import dev.ixws.testkit.TestCertificates.Issued;
import dev.ixws.testkit.TestCertificates.KeyType;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A client and a server {@code SslHandler} from our contexts, each on an {@link EmbeddedChannel},
 * with the bytes carried between them by hand: the handshake, ALPN and the peer chain, without
 * sockets.
 */
class TlsHandshakeInMemoryTest {

  private static Authority ca;
  private static Issued server;
  private static Issued client;

  @BeforeAll
  static void makeCertificates() {
    ca = TestCertificates.authority("In-memory CA", KeyType.EC);
    server = ca.server(KeyType.EC, "localhost");
    client = ca.client(KeyType.EC, "in-memory-client");
  }

  private static SocketTLSOptions serverOptions(boolean mutual) {
    SocketTLSOptions.Builder builder =
        SocketTLSOptions.builder().tls(true).certFile(server.chainPem()).keyFile(server.keyPem());
    if (mutual) {
      builder.caFile(ca.certificatePem());
    }
    return builder.build();
  }

  /** Carries bytes both ways until neither side has more to send. */
  private static void shuttle(EmbeddedChannel a, EmbeddedChannel b) {
    boolean moved = true;
    while (moved) {
      moved = carry(a, b) | carry(b, a);
    }
  }

  private static boolean carry(EmbeddedChannel from, EmbeddedChannel to) {
    boolean moved = false;
    for (Object out = from.readOutbound(); out != null; out = from.readOutbound()) {
      if (!to.isOpen()) {
        ((ByteBuf) out).release();
        continue;
      }
      to.writeInbound((ByteBuf) out);
      moved = true;
    }
    return moved;
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void alpnAgreesOnHttp11AndTheServerSeesTheClientChain(TlsEngine engine) throws Exception {
    TlsServer tlsServer = TlsServer.create(serverOptions(true), engine, List.of("http/1.1"));
    TlsClient tlsClient =
        TlsClient.prepare(
            SocketTLSOptions.builder()
                .caFile(ca.certificatePem())
                .certFile(client.chainPem())
                .keyFile(client.keyPem())
                .build(),
            engine,
            List.of("h2", "http/1.1"));
    assertNull(tlsClient.error());
    EmbeddedChannel serverChannel = new EmbeddedChannel();
    EmbeddedChannel clientChannel = new EmbeddedChannel();
    SslHandler serverHandler = tlsServer.newHandler(serverChannel.alloc(), 10_000);
    SslHandler clientHandler =
        tlsClient.newHandler(clientChannel.alloc(), "localhost", 443, 10_000);
    serverChannel.pipeline().addLast(serverHandler);
    clientChannel.pipeline().addLast(clientHandler);
    shuttle(clientChannel, serverChannel);
    assertTrue(
        clientHandler.handshakeFuture().isSuccess(),
        String.valueOf(clientHandler.handshakeFuture().cause()));
    assertTrue(
        serverHandler.handshakeFuture().isSuccess(),
        String.valueOf(serverHandler.handshakeFuture().cause()));
    assertEquals("http/1.1", clientHandler.applicationProtocol());
    assertEquals("http/1.1", serverHandler.applicationProtocol());
    assertEquals(client.certificate(), TlsSessions.peerCertificates(serverChannel).get(0));
    assertEquals(server.certificate(), TlsSessions.peerCertificates(clientChannel).get(0));
    serverChannel.finishAndReleaseAll();
    clientChannel.finishAndReleaseAll();
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void sniCarriesTheHostNameWithoutTrailingDotAndNeverAnIpOrAnInvalidName(TlsEngine engine) {
    TlsClient tlsClient =
        TlsClient.prepare(SocketTLSOptions.builder().caFile(ca.certificatePem()).build(), engine);
    io.netty.buffer.ByteBufAllocator alloc = io.netty.buffer.ByteBufAllocator.DEFAULT;
    assertEquals(
        List.of(new javax.net.ssl.SNIHostName("example.com")),
        tlsClient
            .newHandler(alloc, "example.com.", 443, 1000)
            .engine()
            .getSSLParameters()
            .getServerNames());
    List<javax.net.ssl.SNIServerName> forIp =
        tlsClient
            .newHandler(alloc, "127.0.0.1", 443, 1000)
            .engine()
            .getSSLParameters()
            .getServerNames();
    assertTrue(forIp == null || forIp.isEmpty(), String.valueOf(forIp));
    // Underscores are common in container host names; the JDK refuses them as SNI names.
    SslHandler underscore = tlsClient.newHandler(alloc, "my_service.local", 443, 1000);
    assertEquals("my_service.local", underscore.engine().getPeerHost());
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void withoutAlpnThereIsNoProtocolAndNoChainFromAClientWithoutCertificate(TlsEngine engine)
      throws Exception {
    TlsServer tlsServer = TlsServer.create(serverOptions(false), engine, List.of("http/1.1"));
    TlsClient tlsClient =
        TlsClient.prepare(SocketTLSOptions.builder().caFile(ca.certificatePem()).build(), engine);
    EmbeddedChannel serverChannel = new EmbeddedChannel();
    EmbeddedChannel clientChannel = new EmbeddedChannel();
    serverChannel.pipeline().addLast(tlsServer.newHandler(serverChannel.alloc(), 10_000));
    SslHandler clientHandler =
        tlsClient.newHandler(clientChannel.alloc(), "localhost", 443, 10_000);
    clientChannel.pipeline().addLast(clientHandler);
    shuttle(clientChannel, serverChannel);
    assertTrue(
        clientHandler.handshakeFuture().isSuccess(),
        String.valueOf(clientHandler.handshakeFuture().cause()));
    assertNull(clientHandler.applicationProtocol());
    assertEquals(List.of(), TlsSessions.peerCertificates(serverChannel));
    serverChannel.finishAndReleaseAll();
    clientChannel.finishAndReleaseAll();
  }
}
