package dev.ixws.server.internal;

import dev.ixws.SocketTLSOptions;
import dev.ixws.internal.codec.ReceiveBudget;
import dev.ixws.internal.tls.TlsConfigException;
import dev.ixws.internal.tls.TlsServer;
import dev.ixws.internal.transport.Acceptor;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequestDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The listening socket of a {@code WebSocketServer} (bound through an {@link Acceptor}) and the
 * pipeline of each accepted connection until its handshake: bound by {@link #bind}, accepting from
 * {@link #startAccepting()}, closed by {@link #close()}. Thread-safe.
 */
public final class ServerListener {

  private static final int MAX_INITIAL_LINE_BYTES = 8192;
  private static final int MAX_HEADER_BYTES = 8192;
  private static final int MAX_CHUNK_BYTES = 8192;

  private final Acceptor.Listening listening;
  private final TlsServer tls; // null for a plain server

  private ServerListener(Acceptor.Listening listening, TlsServer tls) {
    this.listening = listening;
    this.tls = tls;
  }

  /**
   * Binds {@code host:port} on TCP; connections wait in the backlog until {@link
   * #startAccepting()}.
   *
   * @throws IllegalStateException with a readable reason when the address cannot be bound
   */
  public static ServerListener bind(
      String host, int port, int backlog, ServerSpec spec, ConnectionListener listener) {
    return bind(Acceptor.tcp(), new InetSocketAddress(host, port), backlog, spec, listener);
  }

  /**
   * Binds {@code address} through {@code acceptor} (the in-memory tests use Netty's local
   * transport). With {@link ServerSpec#isTls()}, the certificate and key are read first and each
   * accepted connection starts with a TLS handshake, bounded by the handshake timeout.
   *
   * @throws IllegalStateException with a readable reason when the TLS options cannot be used or the
   *     address cannot be bound
   */
  public static ServerListener bind(
      Acceptor acceptor,
      SocketAddress address,
      int backlog,
      ServerSpec spec,
      ConnectionListener listener) {
    AtomicInteger admitted = new AtomicInteger();
    ReceiveBudget budget = new ReceiveBudget("server", spec.maxPendingReceiveBytes());
    TlsServer tls = null;
    if (spec.isTls()) {
      try {
        tls = TlsServer.create(spec.tls());
      } catch (TlsConfigException e) {
        throw new IllegalStateException("Invalid TLS options: " + e.getMessage(), e);
      }
    }
    return new ServerListener(
        acceptor.bind(
            address,
            backlog,
            tls,
            spec.handshakeTimeoutMillis(),
            ch -> initHandshake(ch, spec, admitted, budget, listener)),
        tls);
  }

  /**
   * Replaces the TLS certificate, key and roots for the connections accepted from now on; open
   * connections keep theirs. Reads the files on the calling thread.
   *
   * @return null when done, else why not (the server is not a TLS server, the options are bad); on
   *     failure the current certificate stays
   */
  public String updateTls(SocketTLSOptions options) {
    if (tls == null) {
      return "this server listens without TLS; TLS can only be turned on before listen()";
    }
    if (!options.tls()) {
      return "TLS cannot be turned off on a listening TLS server (tls is false)";
    }
    try {
      tls.update(options);
      return null;
    } catch (TlsConfigException e) {
      return "Invalid TLS options: " + e.getMessage();
    }
  }

  /**
   * Sets up an accepted connection's pipeline for its opening handshake: Netty's HTTP request
   * decoder (request line and headers bounded to 8 KiB each) and a {@link ServerHandshakeHandler}.
   * Call it from the channel's initializer, before the channel is active.
   *
   * @param admitted the server's count of admitted connections, shared by all its connections
   * @param budget the server's receive budget, shared by all its connections
   */
  public static void initHandshake(
      Channel ch,
      ServerSpec spec,
      AtomicInteger admitted,
      ReceiveBudget budget,
      ConnectionListener listener) {
    ch.pipeline()
        .addLast(
            ServerHandshakeHandler.HTTP_DECODER,
            new HttpRequestDecoder(MAX_INITIAL_LINE_BYTES, MAX_HEADER_BYTES, MAX_CHUNK_BYTES))
        .addLast("ws-handshake", new ServerHandshakeHandler(spec, admitted, budget, listener));
  }

  /** The bound port (the chosen one when bound to port 0). */
  public int port() {
    return listening.port();
  }

  /** Starts accepting the connections waiting in the backlog and those that follow. */
  public void startAccepting() {
    listening.startAccepting();
  }

  /** Stops listening and frees the port; accepted connections stay open. */
  public void close() {
    listening.close();
  }

  /** Drops every accepted connection still open, waiting at most {@code timeoutMillis}. */
  public void dropConnections(long timeoutMillis) {
    listening.dropConnections(timeoutMillis);
  }
}
