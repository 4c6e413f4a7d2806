package dev.ixws.internal.deflate;

import dev.ixws.PerMessageDeflateOptions;

/**
 * The per-message deflate parameters both ends agreed on for one connection (RFC 7692 section 7.1):
 * what the server's response says, with RFC 7692's defaults for what it leaves out.
 *
 * @param clientNoContextTakeover the client resets its compressor after each message
 * @param serverNoContextTakeover the server resets its compressor after each message
 * @param clientMaxWindowBits the largest window the client compresses with (8 to 15)
 * @param serverMaxWindowBits the largest window the server compresses with (8 to 15)
 */
public record DeflateParameters(
    boolean clientNoContextTakeover,
    boolean serverNoContextTakeover,
    int clientMaxWindowBits,
    int serverMaxWindowBits) {

  /** The extension's token. */
  public static final String NAME = "permessage-deflate";

  /** Context takeover and 15-bit windows both ways: a response naming no parameter. */
  public static final DeflateParameters DEFAULTS = new DeflateParameters(false, false, 15, 15);

  /** Checks the window sizes. */
  public DeflateParameters {
    checkBits(clientMaxWindowBits);
    checkBits(serverMaxWindowBits);
  }

  private static void checkBits(int bits) {
    if (bits < PerMessageDeflateOptions.MIN_WINDOW_BITS
        || bits > PerMessageDeflateOptions.DEFAULT_MAX_WINDOW_BITS) {
      throw new IllegalArgumentException("window bits must be 8 to 15: " + bits);
    }
  }

  /** Whether the end that is the {@code client} (or the server) compresses without context. */
  public boolean noContextTakeover(boolean client) {
    return client ? clientNoContextTakeover : serverNoContextTakeover;
  }

  /** The window the end that is the {@code client} (or the server) compresses with. */
  public int windowBits(boolean client) {
    return client ? clientMaxWindowBits : serverMaxWindowBits;
  }

  /**
   * The server's response that states these parameters: {@code permessage-deflate} with each that
   * differs from RFC 7692's defaults, and {@code server_max_window_bits} whenever {@code
   * repeatServerBits} (the offer named it: section 7.1.2.1 asks the server to answer it).
   */
  public String responseHeader(boolean repeatServerBits) {
    StringBuilder header = new StringBuilder(NAME);
    if (serverNoContextTakeover) {
      header.append("; server_no_context_takeover");
    }
    if (clientNoContextTakeover) {
      header.append("; client_no_context_takeover");
    }
    if (serverMaxWindowBits < 15 || repeatServerBits) {
      header.append("; server_max_window_bits=").append(serverMaxWindowBits);
    }
    if (clientMaxWindowBits < 15) {
      header.append("; client_max_window_bits=").append(clientMaxWindowBits);
    }
    return header.toString();
  }

  /**
   * These parameters as the options the application sees in its open info, with this end's own
   * compression settings (threshold, levels) from {@code local}.
   */
  public PerMessageDeflateOptions toOptions(PerMessageDeflateOptions local) {
    return local.toBuilder()
        .enabled(true)
        .windowBitsInOffer(true)
        .clientNoContextTakeover(clientNoContextTakeover)
        .serverNoContextTakeover(serverNoContextTakeover)
        .clientMaxWindowBits(clientMaxWindowBits)
        .serverMaxWindowBits(serverMaxWindowBits)
        .build();
  }
}
