package dev.ixws;

import java.util.Objects;

/**
 * Per-message deflate (RFC 7692) settings, as IXWebSocket's {@code
 * ix::WebSocketPerMessageDeflateOptions}: whether to use it, the four parameters of the extension
 * and how messages are compressed. Immutable; build one with {@link #builder()} or start from
 * {@link #DEFAULT}.
 *
 * <p>On a client these are what it offers; on a server, what it is willing to accept. The defaults
 * are IXWebSocket's: enabled, context takeover both ways, 15-bit windows both ways, and the offer
 * {@code permessage-deflate; server_max_window_bits=15; client_max_window_bits=15}.
 *
 * <ul>
 *   <li>{@code clientNoContextTakeover}: the client compresses every message on its own (a client
 *       asks for it in its offer; a server asks the client for it in its answer). It costs
 *       compression ratio and saves the client's compressor memory between messages.
 *   <li>{@code serverNoContextTakeover}: the same for the server's messages.
 *   <li>{@code clientMaxWindowBits}, {@code serverMaxWindowBits} (8 to 15): the largest LZ77 window
 *       each side compresses with. A smaller window saves memory (a 15-bit compressor holds about
 *       256 KB, a 9-bit one about 130 KB) and compresses less. zlib cannot make raw deflate with an
 *       8-bit window: a side limited to 8 bits sends its messages uncompressed, which every peer
 *       can read.
 *   <li>{@code windowBitsInOffer}: IXWebSocket always writes both window parameters into its offer;
 *       some servers refuse an offer that carries them. False leaves them out (the server may still
 *       ask for a smaller client window, which is then honoured).
 *   <li>{@code compressionThreshold}: messages shorter than this many bytes are sent uncompressed
 *       (node {@code ws} uses 1024). Default 0: every message is compressed, as IXWebSocket does.
 *   <li>{@code compressionLevel} (0 to 9, or -1 for zlib's default, 6) and {@code memoryLevel} (1
 *       to 9, default 8, zlib's; IXWebSocket uses 4): speed against ratio, and memory against
 *       ratio. Level and memory level 8 with 15-bit windows use the JDK's native zlib; other memory
 *       levels and smaller windows use JZlib.
 * </ul>
 *
 * <p>Thread-safe (immutable).
 */
public final class PerMessageDeflateOptions {

  /** IXWebSocket's {@code kDefaultClientMaxWindowBits} and {@code kDefaultServerMaxWindowBits}. */
  public static final int DEFAULT_MAX_WINDOW_BITS = 15;

  /** The smallest window RFC 7692 allows. */
  public static final int MIN_WINDOW_BITS = 8;

  /** zlib's default memory level. */
  public static final int DEFAULT_MEMORY_LEVEL = 8;

  /** zlib's default compression level (which is level 6). */
  public static final int DEFAULT_COMPRESSION_LEVEL = -1;

  /**
   * Enabled with IXWebSocket's parameters: what a client offers and a server accepts by default.
   */
  public static final PerMessageDeflateOptions DEFAULT = builder().build();

  /** Per-message deflate off: nothing offered, every offer declined. */
  public static final PerMessageDeflateOptions DISABLED = builder().enabled(false).build();

  private final boolean enabled;
  private final boolean clientNoContextTakeover;
  private final boolean serverNoContextTakeover;
  private final int clientMaxWindowBits;
  private final int serverMaxWindowBits;
  private final boolean windowBitsInOffer;
  private final int compressionThreshold;
  private final int compressionLevel;
  private final int memoryLevel;

  private PerMessageDeflateOptions(Builder b) {
    enabled = b.enabled;
    clientNoContextTakeover = b.clientNoContextTakeover;
    serverNoContextTakeover = b.serverNoContextTakeover;
    clientMaxWindowBits = b.clientMaxWindowBits;
    serverMaxWindowBits = b.serverMaxWindowBits;
    windowBitsInOffer = b.windowBitsInOffer;
    compressionThreshold = b.compressionThreshold;
    compressionLevel = b.compressionLevel;
    memoryLevel = b.memoryLevel;
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.enabled = enabled;
    b.clientNoContextTakeover = clientNoContextTakeover;
    b.serverNoContextTakeover = serverNoContextTakeover;
    b.clientMaxWindowBits = clientMaxWindowBits;
    b.serverMaxWindowBits = serverMaxWindowBits;
    b.windowBitsInOffer = windowBitsInOffer;
    b.compressionThreshold = compressionThreshold;
    b.compressionLevel = compressionLevel;
    b.memoryLevel = memoryLevel;
    return b;
  }

  /** Whether per-message deflate is offered (client) or accepted (server). */
  public boolean enabled() {
    return enabled;
  }

  /** Whether the client compresses each message without the previous ones' context. */
  public boolean clientNoContextTakeover() {
    return clientNoContextTakeover;
  }

  /** Whether the server compresses each message without the previous ones' context. */
  public boolean serverNoContextTakeover() {
    return serverNoContextTakeover;
  }

  /** The largest window the client compresses with, in bits (8 to 15). */
  public int clientMaxWindowBits() {
    return clientMaxWindowBits;
  }

  /** The largest window the server compresses with, in bits (8 to 15). */
  public int serverMaxWindowBits() {
    return serverMaxWindowBits;
  }

  /** Whether a client's offer carries the two window parameters (IXWebSocket's does). */
  public boolean windowBitsInOffer() {
    return windowBitsInOffer;
  }

  /** Messages shorter than this many bytes are sent uncompressed. */
  public int compressionThreshold() {
    return compressionThreshold;
  }

  /** zlib's compression level, 0 to 9, or -1 for its default. */
  public int compressionLevel() {
    return compressionLevel;
  }

  /** zlib's memory level, 1 to 9. */
  public int memoryLevel() {
    return memoryLevel;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PerMessageDeflateOptions other
        && enabled == other.enabled
        && clientNoContextTakeover == other.clientNoContextTakeover
        && serverNoContextTakeover == other.serverNoContextTakeover
        && clientMaxWindowBits == other.clientMaxWindowBits
        && serverMaxWindowBits == other.serverMaxWindowBits
        && windowBitsInOffer == other.windowBitsInOffer
        && compressionThreshold == other.compressionThreshold
        && compressionLevel == other.compressionLevel
        && memoryLevel == other.memoryLevel;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        enabled,
        clientNoContextTakeover,
        serverNoContextTakeover,
        clientMaxWindowBits,
        serverMaxWindowBits,
        windowBitsInOffer,
        compressionThreshold,
        compressionLevel,
        memoryLevel);
  }

  @Override
  public String toString() {
    if (!enabled) {
      return "PerMessageDeflateOptions[disabled]";
    }
    return "PerMessageDeflateOptions[clientNoContextTakeover="
        + clientNoContextTakeover
        + ", serverNoContextTakeover="
        + serverNoContextTakeover
        + ", clientMaxWindowBits="
        + clientMaxWindowBits
        + ", serverMaxWindowBits="
        + serverMaxWindowBits
        + ", windowBitsInOffer="
        + windowBitsInOffer
        + ", compressionThreshold="
        + compressionThreshold
        + ", compressionLevel="
        + compressionLevel
        + ", memoryLevel="
        + memoryLevel
        + "]";
  }

  /**
   * Builds {@link PerMessageDeflateOptions}; each setter checks its range and throws {@link
   * IllegalArgumentException} outside it. Not thread-safe.
   */
  public static final class Builder {
    private boolean enabled = true;
    private boolean clientNoContextTakeover;
    private boolean serverNoContextTakeover;
    private int clientMaxWindowBits = DEFAULT_MAX_WINDOW_BITS;
    private int serverMaxWindowBits = DEFAULT_MAX_WINDOW_BITS;
    private boolean windowBitsInOffer = true;
    private int compressionThreshold;
    private int compressionLevel = DEFAULT_COMPRESSION_LEVEL;
    private int memoryLevel = DEFAULT_MEMORY_LEVEL;

    private Builder() {}

    /** Whether per-message deflate is used at all (default true). */
    public Builder enabled(boolean value) {
      enabled = value;
      return this;
    }

    /** See {@link PerMessageDeflateOptions#clientNoContextTakeover()} (default false). */
    public Builder clientNoContextTakeover(boolean value) {
      clientNoContextTakeover = value;
      return this;
    }

    /** See {@link PerMessageDeflateOptions#serverNoContextTakeover()} (default false). */
    public Builder serverNoContextTakeover(boolean value) {
      serverNoContextTakeover = value;
      return this;
    }

    /** The client's largest window, 8 to 15 bits (default 15). */
    public Builder clientMaxWindowBits(int bits) {
      clientMaxWindowBits = windowBits(bits, "clientMaxWindowBits");
      return this;
    }

    /** The server's largest window, 8 to 15 bits (default 15). */
    public Builder serverMaxWindowBits(int bits) {
      serverMaxWindowBits = windowBits(bits, "serverMaxWindowBits");
      return this;
    }

    /** Whether a client's offer carries the window parameters (default true, as IXWebSocket). */
    public Builder windowBitsInOffer(boolean value) {
      windowBitsInOffer = value;
      return this;
    }

    /** Messages shorter than {@code bytes} are sent uncompressed (default 0, not negative). */
    public Builder compressionThreshold(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("compressionThreshold is negative: " + bytes);
      }
      compressionThreshold = bytes;
      return this;
    }

    /** zlib's compression level: 0 (none) to 9 (best), or -1 for its default (6). */
    public Builder compressionLevel(int level) {
      if (level < -1 || level > 9) {
        throw new IllegalArgumentException("compressionLevel must be -1 to 9: " + level);
      }
      compressionLevel = level;
      return this;
    }

    /** zlib's memory level: 1 (least memory) to 9 (default 8). */
    public Builder memoryLevel(int level) {
      if (level < 1 || level > 9) {
        throw new IllegalArgumentException("memoryLevel must be 1 to 9: " + level);
      }
      memoryLevel = level;
      return this;
    }

    /** The options. */
    public PerMessageDeflateOptions build() {
      return new PerMessageDeflateOptions(this);
    }

    private static int windowBits(int bits, String name) {
      if (bits < MIN_WINDOW_BITS || bits > DEFAULT_MAX_WINDOW_BITS) {
        throw new IllegalArgumentException(name + " must be 8 to 15: " + bits);
      }
      return bits;
    }
  }
}
