package dev.ixws.testkit.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Derives hostile inputs from valid ones: byte flips, interesting bytes, inserts, deletions,
 * duplications, truncation, splicing of two seeds, and edits of RFC 6455 frame headers found in the
 * input (FIN, reserved bits, opcode, mask bit, the 7-, 16- and 64-bit length forms). Every choice
 * comes from the {@link Random} passed in, so a run with the same seed yields the same inputs. Not
 * thread-safe.
 */
public final class Mutator {

  /** The largest input produced: bigger ones are cut. */
  public static final int MAX_LENGTH = 1 << 16;

  private static final byte[] INTERESTING_BYTES = {
    0x00,
    0x01,
    0x02,
    0x08,
    0x09,
    0x0A,
    0x0D,
    0x20,
    0x3A,
    0x7D,
    0x7E,
    0x7F,
    (byte) 0x80,
    (byte) 0x81,
    (byte) 0x82,
    (byte) 0x88,
    (byte) 0x89,
    (byte) 0x8A,
    (byte) 0xC0,
    (byte) 0xED,
    (byte) 0xF4,
    (byte) 0xF5,
    (byte) 0xFE,
    (byte) 0xFF
  };

  private static final long[] INTERESTING_LENGTHS = {
    0, 1, 2, 124, 125, 126, 127, 0xFFFF, 0x10000, 0x7FFF_FFFFL, 0x8000_0000L, Long.MAX_VALUE, -1
  };

  private final Random random;
  private final List<byte[]> seeds;

  /**
   * A mutator drawing its choices from {@code random} and splicing with {@code seeds}.
   *
   * @param seeds the corpus (at least one input)
   */
  public Mutator(Random random, List<byte[]> seeds) {
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("no seeds");
    }
    this.random = random;
    this.seeds = List.copyOf(seeds);
  }

  /** A new input: one to four mutations stacked on a seed picked at random. */
  public byte[] next() {
    byte[] input = seeds.get(random.nextInt(seeds.size()));
    int rounds = 1 + random.nextInt(4);
    for (int i = 0; i < rounds; i++) {
      input = mutate(input);
    }
    return input.length > MAX_LENGTH ? Arrays.copyOf(input, MAX_LENGTH) : input;
  }

  /** One mutation of {@code input} (which is not modified). */
  public byte[] mutate(byte[] input) {
    if (input.length == 0) {
      return randomBytes(1 + random.nextInt(16));
    }
    byte[] out = input.clone();
    switch (random.nextInt(11)) {
      case 0 -> out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
      case 1 -> out[random.nextInt(out.length)] = (byte) random.nextInt(256);
      case 2 ->
          out[random.nextInt(out.length)] =
              INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
      case 3 ->
          out = insert(out, random.nextInt(out.length + 1), randomBytes(1 + random.nextInt(8)));
      case 4 -> {
        int from = random.nextInt(out.length);
        int to = Math.min(out.length, from + 1 + random.nextInt(Math.max(1, out.length / 4)));
        out = delete(out, from, to);
      }
      case 5 -> {
        int from = random.nextInt(out.length);
        int to = Math.min(out.length, from + 1 + random.nextInt(64));
        out = insert(out, random.nextInt(out.length + 1), Arrays.copyOfRange(out, from, to));
      }
      case 6 -> out = Arrays.copyOf(out, random.nextInt(out.length));
      case 7 -> {
        byte[] other = seeds.get(random.nextInt(seeds.size()));
        int cut = random.nextInt(out.length + 1);
        int otherCut = random.nextInt(other.length + 1);
        out =
            insert(Arrays.copyOf(out, cut), cut, Arrays.copyOfRange(other, otherCut, other.length));
      }
      case 8 -> out = insert(out, out.length, seeds.get(random.nextInt(seeds.size())));
      default -> out = editFrameHeader(out);
    }
    return out;
  }

  /**
   * Finds the frame headers of {@code input} read as a sequence of frames from its start, or from
   * just after an HTTP head, and edits one of them.
   */
  private byte[] editFrameHeader(byte[] input) {
    int start = afterHttpHead(input);
    int[] headers = new int[64];
    int count = 0;
    int at = start;
    while (at + 2 <= input.length && count < headers.length) {
      headers[count++] = at;
      int length7 = input[at + 1] & 0x7F;
      int lengthBytes = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
      if (at + 2 + lengthBytes > input.length) {
        break;
      }
      long length = length7 < 126 ? length7 : readLength(input, at + 2, lengthBytes);
      long next = at + 2L + lengthBytes + ((input[at + 1] & 0x80) != 0 ? 4 : 0) + length;
      if (length < 0 || next > input.length) {
        break;
      }
      at = (int) next;
    }
    if (count == 0) {
      byte[] out = input.clone();
      out[random.nextInt(out.length)] ^= (byte) 0x80;
      return out;
    }
    int h = headers[random.nextInt(count)];
    byte[] out = input.clone();
    switch (random.nextInt(6)) {
      case 0 -> out[h] ^= (byte) 0x80; // FIN
      case 1 -> out[h] = (byte) ((out[h] & 0x8F) | (random.nextInt(8) << 4)); // RSV1-3
      case 2 -> out[h] = (byte) ((out[h] & 0xF0) | random.nextInt(16)); // opcode
      case 3 -> out[h + 1] ^= (byte) 0x80; // MASK
      case 4 -> out[h + 1] = (byte) ((out[h + 1] & 0x80) | random.nextInt(128)); // length7
      default -> {
        // Rewrite the length in one of the three forms, minimal or not, with a value at an edge.
        long length = INTERESTING_LENGTHS[random.nextInt(INTERESTING_LENGTHS.length)];
        int form = random.nextInt(3);
        int oldLength7 = out[h + 1] & 0x7F;
        int oldBytes = oldLength7 == 126 ? 2 : oldLength7 == 127 ? 8 : 0;
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        int mask = out[h + 1] & 0x80;
        if (form == 0) {
          field.write(mask | (int) (length & 0x7F));
        } else if (form == 1) {
          field.write(mask | 126);
          field.write((int) (length >>> 8));
          field.write((int) length);
        } else {
          field.write(mask | 127);
          for (int shift = 56; shift >= 0; shift -= 8) {
            field.write((int) (length >>> shift));
          }
        }
        int end = Math.min(out.length, h + 2 + oldBytes);
        out = insert(delete(out, h + 1, end), h + 1, field.toByteArray());
      }
    }
    return out;
  }

  private static long readLength(byte[] input, int at, int bytes) {
    long value = 0;
    for (int i = 0; i < bytes; i++) {
      value = (value << 8) | (input[at + i] & 0xFF);
    }
    return value;
  }

  /** The index just past the first CR LF CR LF, or 0 when there is none. */
  private static int afterHttpHead(byte[] input) {
    for (int i = 0; i + 3 < input.length; i++) {
      if (input[i] == '\r'
          && input[i + 1] == '\n'
          && input[i + 2] == '\r'
          && input[i + 3] == '\n') {
        return i + 4;
      }
    }
    return 0;
  }

  private byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte[] insert(byte[] into, int at, byte[] bytes) {
    byte[] out = new byte[into.length + bytes.length];
    System.arraycopy(into, 0, out, 0, at);
    System.arraycopy(bytes, 0, out, at, bytes.length);
    System.arraycopy(into, at, out, at + bytes.length, into.length - at);
    return out;
  }

  private static byte[] delete(byte[] from, int start, int end) {
    byte[] out = new byte[from.length - (end - start)];
    System.arraycopy(from, 0, out, 0, start);
    System.arraycopy(from, end, out, start, from.length - end);
    return out;
  }
}
