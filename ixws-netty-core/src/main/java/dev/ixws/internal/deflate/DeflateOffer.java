package dev.ixws.internal.deflate;

import dev.ixws.PerMessageDeflateOptions;
import dev.ixws.internal.handshake.Extensions;

/**
 * The client's {@code permessage-deflate} offer (RFC 7692 section 7.1), made from its options, and
 * its judgement of the server's response: a response that names a parameter the offer did not
 * allow, or a value it cannot use, fails the connection (section 7.1: "the client MUST Fail the
 * WebSocket Connection").
 */
public final class DeflateOffer implements Extensions.Offer {

  private final PerMessageDeflateOptions options;

  /**
   * @param options enabled options: what the client asks for
   */
  public DeflateOffer(PerMessageDeflateOptions options) {
    this.options = options;
  }

  @Override
  public String name() {
    return DeflateParameters.NAME;
  }

  /**
   * IXWebSocket's offer: {@code permessage-deflate}, the no-context-takeover parameters asked for,
   * then {@code server_max_window_bits=N; client_max_window_bits=N} (or, without the window bits in
   * the offer, a bare {@code client_max_window_bits}, so the server may still ask for a smaller
   * client window).
   */
  @Override
  public String header() {
    StringBuilder header = new StringBuilder(DeflateParameters.NAME);
    if (options.clientNoContextTakeover()) {
      header.append("; client_no_context_takeover");
    }
    if (options.serverNoContextTakeover()) {
      header.append("; server_no_context_takeover");
    }
    if (options.windowBitsInOffer()) {
      header.append("; server_max_window_bits=").append(options.serverMaxWindowBits());
      header.append("; client_max_window_bits=").append(options.clientMaxWindowBits());
    } else {
      header.append("; client_max_window_bits");
    }
    return header.toString();
  }

  @Override
  public String refusal(Extensions.Extension accepted) {
    try {
      parameters(accepted);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /**
   * The parameters the server's acceptance {@code accepted} sets, combined with what the client
   * asked for itself.
   *
   * @throws IllegalArgumentException when the client cannot use the response
   */
  public DeflateParameters parameters(Extensions.Extension accepted) {
    DeflateExtensionParameters response = DeflateExtensionParameters.read(accepted);
    if (response.clientMaxWindowBits() == DeflateExtensionParameters.NO_VALUE) {
      throw new IllegalArgumentException("client_max_window_bits needs a value in a response");
    }
    int offeredServerBits = options.windowBitsInOffer() ? options.serverMaxWindowBits() : 15;
    int serverBits = response.serverMaxWindowBits();
    if (serverBits == DeflateExtensionParameters.ABSENT) {
      // Section 7.1.2.1 asks the server to repeat the parameter it accepts; leaving out 15 (the
      // default) changes nothing, so only a smaller limit that went unanswered is refused.
      if (offeredServerBits < 15) {
        throw new IllegalArgumentException(
            "the offer limited server_max_window_bits to "
                + offeredServerBits
                + " and the response does not accept the limit");
      }
      serverBits = 15;
    } else if (serverBits > offeredServerBits) {
      throw new IllegalArgumentException(
          "server_max_window_bits="
              + serverBits
              + " is larger than the "
              + offeredServerBits
              + " offered");
    }
    if (options.serverNoContextTakeover() && !response.serverNoContextTakeover()) {
      throw new IllegalArgumentException(
          "the offer asked for server_no_context_takeover and the response does not accept it");
    }
    // The client's own window: at most what it offered, smaller if the server asks for it.
    int clientBits = options.windowBitsInOffer() ? options.clientMaxWindowBits() : 15;
    if (response.clientMaxWindowBits() != DeflateExtensionParameters.ABSENT) {
      if (response.clientMaxWindowBits() > clientBits) {
        throw new IllegalArgumentException(
            "client_max_window_bits="
                + response.clientMaxWindowBits()
                + " is larger than the "
                + clientBits
                + " offered");
      }
      clientBits = response.clientMaxWindowBits();
    }
    return new DeflateParameters(
        options.clientNoContextTakeover() || response.clientNoContextTakeover(),
        response.serverNoContextTakeover(),
        clientBits,
        serverBits);
  }
}
