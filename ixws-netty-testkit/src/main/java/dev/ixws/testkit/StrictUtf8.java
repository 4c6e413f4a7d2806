package dev.ixws.testkit;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The JDK's strict UTF-8 decoder as a reference for what RFC 6455 calls valid text. */
public final class StrictUtf8 {

  private StrictUtf8() {}

  /**
   * Whether {@code bytes} are valid UTF-8 (no overlong forms, surrogates or code points above
   * U+10FFFF).
   */
  public static boolean isValid(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
