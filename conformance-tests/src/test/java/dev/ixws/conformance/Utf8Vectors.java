package dev.ixws.conformance;

import dev.ixws.testkit.StrictUtf8;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * UTF-8 test vectors after Markus Kuhn's stress test, which Autobahn's family 6 uses: boundary code
 * points, overlong forms, surrogates, code points above U+10FFFF, stray and missing continuation
 * bytes, impossible bytes. Each vector's validity is written down by hand and checked against the
 * JDK's strict decoder, so a typo in a vector cannot silently flip a case.
 */
final class Utf8Vectors {

  /**
   * One vector.
   *
   * @param label what it holds
   * @param bytes the octets
   * @param valid whether it is well-formed UTF-8 (RFC 3629)
   */
  record Vector(String label, byte[] bytes, boolean valid) {}

  private Utf8Vectors() {}

  static List<Vector> all() {
    List<Vector> v = new ArrayList<>();
    // Valid: boundary code points of each sequence length, and a few texts.
    valid(v, "U+0000", 0x00);
    valid(v, "U+007F (last 1-byte)", 0x7F);
    valid(v, "U+0080 (first 2-byte)", 0xC2, 0x80);
    valid(v, "U+07FF (last 2-byte)", 0xDF, 0xBF);
    valid(v, "U+0800 (first 3-byte)", 0xE0, 0xA0, 0x80);
    valid(v, "U+D7FF (before the surrogates)", 0xED, 0x9F, 0xBF);
    valid(v, "U+E000 (after the surrogates)", 0xEE, 0x80, 0x80);
    valid(v, "U+FFFD (replacement character)", 0xEF, 0xBF, 0xBD);
    valid(v, "U+FFFE (noncharacter, still valid)", 0xEF, 0xBF, 0xBE);
    valid(v, "U+FFFF (last 3-byte)", 0xEF, 0xBF, 0xBF);
    valid(v, "U+10000 (first 4-byte)", 0xF0, 0x90, 0x80, 0x80);
    valid(v, "U+1F600 (emoji)", 0xF0, 0x9F, 0x98, 0x80);
    valid(v, "U+10FFFF (last code point)", 0xF4, 0x8F, 0xBF, 0xBF);
    v.add(
        new Vector(
            "mixed text of 1- to 4-byte characters",
            "a\u00e9\u4e2d\ud83d\ude00z \u03ba\u1f79\u03c3\u03bc\u03b5"
                .getBytes(StandardCharsets.UTF_8),
            true));
    // Invalid: overlong forms.
    invalid(v, "overlong '/' in 2 bytes", 0xC0, 0xAF);
    invalid(v, "overlong '/' in 3 bytes", 0xE0, 0x80, 0xAF);
    invalid(v, "overlong '/' in 4 bytes", 0xF0, 0x80, 0x80, 0xAF);
    invalid(v, "maximal overlong 2-byte (U+007F)", 0xC1, 0xBF);
    invalid(v, "maximal overlong 3-byte (U+07FF)", 0xE0, 0x9F, 0xBF);
    invalid(v, "maximal overlong 4-byte (U+FFFF)", 0xF0, 0x8F, 0xBF, 0xBF);
    invalid(v, "overlong NUL in 2 bytes", 0xC0, 0x80);
    invalid(v, "overlong NUL in 3 bytes", 0xE0, 0x80, 0x80);
    // Surrogates, single and paired.
    invalid(v, "surrogate U+D800", 0xED, 0xA0, 0x80);
    invalid(v, "surrogate U+DB7F", 0xED, 0xAD, 0xBF);
    invalid(v, "surrogate U+DC00", 0xED, 0xB0, 0x80);
    invalid(v, "surrogate U+DFFF", 0xED, 0xBF, 0xBF);
    invalid(v, "surrogate pair U+D800 U+DC00", 0xED, 0xA0, 0x80, 0xED, 0xB0, 0x80);
    // Beyond U+10FFFF, and 5- and 6-byte forms.
    invalid(v, "U+110000 (beyond Unicode)", 0xF4, 0x90, 0x80, 0x80);
    invalid(v, "U+1FFFFF in 4 bytes", 0xF7, 0xBF, 0xBF, 0xBF);
    invalid(v, "5-byte sequence", 0xF8, 0x88, 0x80, 0x80, 0x80);
    invalid(v, "6-byte sequence", 0xFC, 0x84, 0x80, 0x80, 0x80, 0x80);
    // Stray and missing continuation bytes.
    invalid(v, "lone continuation byte 0x80", 0x80);
    invalid(v, "lone continuation byte 0xBF", 0xBF);
    invalid(v, "three continuation bytes", 0x80, 0xBF, 0x80);
    invalid(v, "2-byte start followed by a space", 0xC2, 0x20);
    invalid(v, "3-byte start followed by a space", 0xE0, 0x20);
    invalid(v, "4-byte start followed by a space", 0xF0, 0x20);
    invalid(v, "2-byte sequence truncated at the end", 0x41, 0xC2);
    invalid(v, "3-byte sequence truncated at the end", 0x41, 0xE0, 0xA0);
    invalid(v, "4-byte sequence truncated at the end", 0x41, 0xF0, 0x90, 0x80);
    invalid(
        v,
        "'kosme' with its last character truncated",
        0xCE,
        0xBA,
        0xE1,
        0xBD,
        0xB9,
        0xCF,
        0x83,
        0xCE,
        0xBC,
        0xCE);
    // Bytes that never appear in UTF-8.
    invalid(v, "byte 0xFE", 0xFE);
    invalid(v, "byte 0xFF", 0xFF);
    invalid(v, "bytes FE FE FF FF", 0xFE, 0xFE, 0xFF, 0xFF);
    for (Vector vector : v) {
      if (StrictUtf8.isValid(vector.bytes()) != vector.valid()) {
        throw new AssertionError("UTF-8 vector '" + vector.label() + "' is mislabelled");
      }
    }
    return v;
  }

  private static void valid(List<Vector> v, String label, int... bytes) {
    v.add(new Vector(label, Cases.bytes(bytes), true));
  }

  private static void invalid(List<Vector> v, String label, int... bytes) {
    v.add(new Vector(label, Cases.bytes(bytes), false));
  }
}
