package dev.ixws.internal.deflate;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates one end's incoming compressed messages (RFC 7692 section 7.2.2) as their bytes arrive:
 * the frame reader feeds each piece of payload with {@link #setInput}, pulls the inflated bytes
 * with {@link #inflate} into the message it assembles (so it bounds their size and validates text
 * as it goes), and ends the message with {@link #finishMessage}, which feeds the {@code 00 00 FF
 * FF} the sender removed.
 *
 * <p>Always the JDK's {@link Inflater} (native zlib): a 15-bit inflater reads streams made with any
 * smaller window. Memory: created with the first compressed message. When the peer keeps context
 * between messages it lives as long as the connection and {@link #end()} frees it; when the peer
 * does not (its {@code no_context_takeover}), none is kept between messages: one per thread is
 * borrowed for the message and reset.
 *
 * <p>Not thread-safe: confined to the connection's event loop, like the frame reader.
 */
public final class MessageInflater {

  private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
  private static final ThreadLocal<Inflater> SHARED = ThreadLocal.withInitial(() -> null);

  private final boolean peerNoContextTakeover;
  private Inflater own;
  private Inflater current;

  /**
   * @param peerNoContextTakeover whether the peer compresses each message on its own
   */
  public MessageInflater(boolean peerNoContextTakeover) {
    this.peerNoContextTakeover = peerNoContextTakeover;
  }

  /** Whether an inflater is held now (for tests of the lazy allocation and of {@link #end()}). */
  boolean holdsInflater() {
    return own != null;
  }

  /** Gives the next {@code length} bytes of the compressed message, from {@code offset}. */
  public void setInput(byte[] bytes, int offset, int length) {
    inflater().setInput(bytes, offset, length);
  }

  /**
   * Inflates into {@code out} from {@code offset}, at most {@code length} bytes.
   *
   * @return the number of bytes inflated; 0 when all input so far is used up ({@link
   *     #needsInput()}) or the deflate stream has ended ({@link #streamEnded()})
   * @throws DataFormatException when the data is not valid deflate
   */
  public int inflate(byte[] out, int offset, int length) throws DataFormatException {
    return inflater().inflate(out, offset, length);
  }

  /** Whether every byte given so far has been inflated. */
  public boolean needsInput() {
    return current == null || current.needsInput();
  }

  /**
   * Whether the peer ended its deflate stream with a final block ({@code BFINAL}); what follows in
   * the message is ignored, and the next message starts a new stream.
   */
  public boolean streamEnded() {
    return current != null && current.finished();
  }

  /** Feeds the {@code 00 00 FF FF} that the sender removed from the end of the message. */
  public void finishMessage() {
    if (!streamEnded()) {
      inflater().setInput(TAIL);
    }
  }

  /**
   * The message is over (delivered or failed): gives a borrowed inflater back, or resets our own
   * when the peer's stream ended (its next message cannot refer to this one).
   */
  public void endMessage() {
    if (current == null) {
      return;
    }
    if (current != own || current.finished()) {
      current.reset();
    }
    if (current != own) {
      SHARED.set(current);
    }
    current = null;
  }

  /** Frees the inflater's native memory; safe to call more than once. */
  public void end() {
    if (current != null && current != own) {
      endMessage();
    }
    current = null;
    if (own != null) {
      own.end();
      own = null;
      DeflateContexts.ended();
    }
  }

  private Inflater inflater() {
    if (current != null) {
      return current;
    }
    if (peerNoContextTakeover) {
      current = SHARED.get();
      if (current == null) {
        current = new Inflater(true);
      } else {
        SHARED.set(null); // taken; given back by endMessage
      }
    } else {
      if (own == null) {
        own = new Inflater(true);
        DeflateContexts.made();
      }
      current = own;
    }
    return current;
  }
}
