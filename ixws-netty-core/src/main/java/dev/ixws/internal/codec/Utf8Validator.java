package dev.ixws.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A streaming UTF-8 validator (RFC 3629, as RFC 6455 section 8.1 requires of text): bytes can come
 * in any number of pieces, a character split between two pieces included, and the first invalid
 * byte is reported at once, not when the message ends.
 *
 * <p>Runs of ASCII, the common case, are checked eight bytes at a time. The byte checks follow the
 * WHATWG Encoding Standard's UTF-8 decoder: overlong forms, surrogates and code points above
 * U+10FFFF are rejected at the first byte that makes them so.
 *
 * <p>Not thread-safe: one instance per message being received.
 */
public final class Utf8Validator {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

  // Continuation bytes still expected for the current character, and the range the next one must
  // be in (narrower than 80..BF right after E0, ED, F0 and F4).
  private int needed;
  private int lower = 0x80;
  private int upper = 0xBF;

  /** Starts over, for a new message. */
  public void reset() {
    needed = 0;
    lower = 0x80;
    upper = 0xBF;
  }

  /** Whether the bytes so far end on a character boundary (no character is cut short). */
  public boolean complete() {
    return needed == 0;
  }

  /**
   * Checks {@code length} more bytes of the text, from {@code bytes[offset]}.
   *
   * @return whether they are valid so far; once false, the text is invalid whatever follows
   */
  public boolean update(byte[] bytes, int offset, int length) {
    int i = offset;
    int end = offset + length;
    while (i < end) {
      if (needed == 0) {
        while (i + 8 <= end && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
          i += 8;
        }
        while (i < end && bytes[i] >= 0) {
          i++;
        }
        if (i == end) {
          break;
        }
        if (!lead(bytes[i] & 0xFF)) {
          return false;
        }
      } else {
        int b = bytes[i] & 0xFF;
        if (b < lower || b > upper) {
          return false;
        }
        lower = 0x80;
        upper = 0xBF;
        needed--;
      }
      i++;
    }
    return true;
  }

  /** Takes the first byte of a multi-byte character; false if no character starts with it. */
  private boolean lead(int b) {
    if (b >= 0xC2 && b <= 0xDF) {
      needed = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      needed = 2;
      if (b == 0xE0) {
        lower = 0xA0; // no overlong three-byte forms
      } else if (b == 0xED) {
        upper = 0x9F; // no surrogates (U+D800..U+DFFF)
      }
    } else if (b >= 0xF0 && b <= 0xF4) {
      needed = 3;
      if (b == 0xF0) {
        lower = 0x90; // no overlong four-byte forms
      } else if (b == 0xF4) {
        upper = 0x8F; // nothing above U+10FFFF
      }
    } else {
      return false; // a continuation byte, an overlong C0/C1 lead, or F5..FF
    }
    return true;
  }
}
