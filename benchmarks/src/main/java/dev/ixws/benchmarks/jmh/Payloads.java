package dev.ixws.benchmarks.jmh;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Deterministic payloads for the micro-benchmarks. */
final class Payloads {

  private Payloads() {}

  /** {@code size} bytes from a fixed seed. */
  static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(42).nextBytes(bytes);
    return bytes;
  }

  /** Exactly {@code size} bytes of printable ASCII. */
  static byte[] ascii(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) ('a' + i % 26);
    }
    return bytes;
  }

  /**
   * Exactly {@code size} bytes of valid UTF-8 mixing one-, two-, three- and four-byte sequences
   * (ASCII, Latin, CJK, an emoji), padded with ASCII spaces at the end.
   */
  static byte[] mixedUtf8(int size) {
    String pattern = "ab \u00e9 \u00fc \u4e2d\u6587 \u65e5\u672c \ud83d\ude00 ";
    StringBuilder text = new StringBuilder();
    int bytes = 0;
    int index = 0;
    while (true) {
      int codePoint = pattern.codePointAt(index);
      int length = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + length > size) {
        break;
      }
      text.appendCodePoint(codePoint);
      bytes += length;
      index = (index + Character.charCount(codePoint)) % pattern.length();
    }
    text.append(" ".repeat(size - bytes));
    byte[] out = text.toString().getBytes(StandardCharsets.UTF_8);
    if (out.length != size) {
      throw new IllegalStateException(
          "mixed UTF-8 payload of " + out.length + " bytes, not " + size);
    }
    return out;
  }
}
