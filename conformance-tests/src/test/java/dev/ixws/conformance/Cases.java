package dev.ixws.conformance;

import static dev.ixws.testkit.WsFrame.OP_BINARY;
import static dev.ixws.testkit.WsFrame.OP_CLOSE;
import static dev.ixws.testkit.WsFrame.OP_CONTINUATION;
import static dev.ixws.testkit.WsFrame.OP_PING;
import static dev.ixws.testkit.WsFrame.OP_PONG;
import static dev.ixws.testkit.WsFrame.OP_TEXT;

import dev.ixws.conformance.Judge.Codes;
import dev.ixws.testkit.RawFrames;
import dev.ixws.testkit.RawWebSocketClient;
import dev.ixws.testkit.WsFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The case catalogue, after the Autobahn|Testsuite's families: 1 framing, 2 pings and pongs, 3
 * reserved bits, 4 reserved opcodes, 5 fragmentation, 6 UTF-8, 7 close handling, 9 limits, 10
 * auto-fragmentation, 12 compressed messages and 13 per-message deflate parameters (RFC 7692); plus
 * our own 11, the client's check of the server's opening-handshake response (a family Autobahn
 * leaves unused and does not test). Ids follow Autobahn's where a case matches one; extra cases
 * take the next free numbers.
 */
final class Cases {

  static final int PROTOCOL_ERROR = 1002;
  static final int INVALID_PAYLOAD = 1007;
  private static final Duration NORMAL = Duration.ofSeconds(5);
  private static final Duration LARGE = Duration.ofSeconds(60);
  private static final int MB = 1024 * 1024;

  private final Role role;
  private final List<WireCase> cases = new ArrayList<>();

  private Cases(Role role) {
    this.role = role;
  }

  /** Every case for {@code role}, in id order. */
  static List<WireCase> all(Role role) {
    Cases c = new Cases(role);
    c.framing();
    c.pings();
    c.reservedBits();
    c.reservedOpcodes();
    c.fragmentation();
    c.utf8();
    c.closing();
    c.limits();
    c.autoFragmentation();
    if (role == Role.CLIENT) {
      c.openingHandshake();
    }
    c.compressedMessages();
    c.deflateParameters();
    return List.copyOf(c.cases);
  }

  // ------------------------------------------------------------------ frames and events

  static WsFrame text(String text) {
    return WsFrame.text(text, false);
  }

  static WsFrame frame(boolean fin, int opcode, byte[] payload) {
    return new WsFrame(fin, 0, opcode, false, payload);
  }

  static WsFrame frame(boolean fin, int opcode, String payload) {
    return frame(fin, opcode, utf8(payload));
  }

  static WsFrame rsv(int rsv, int opcode, String payload) {
    return new WsFrame(true, rsv, opcode, false, utf8(payload));
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] part : parts) {
      n += part.length;
    }
    byte[] all = new byte[n];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }

  /** {@code length} bytes of repeating printable ASCII (valid UTF-8). */
  static byte[] asciiPayload(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) ('*' + i % 64);
    }
    return bytes;
  }

  /** {@code length} bytes covering every byte value. */
  static byte[] binaryPayload(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (0xFE - i * 7);
    }
    return bytes;
  }

  /** {@code payload} as a message of frames of at most {@code size} bytes each. */
  static List<WsFrame> fragments(int opcode, byte[] payload, int size) {
    List<WsFrame> frames = new ArrayList<>();
    int at = 0;
    do {
      int end = Math.min(payload.length, at + size);
      frames.add(
          frame(
              end == payload.length,
              at == 0 ? opcode : OP_CONTINUATION,
              Arrays.copyOfRange(payload, at, end)));
      at = end;
    } while (at < payload.length);
    return frames;
  }

  // ------------------------------------------------------------------ case builders

  private void add(
      String id, String description, String expectation, Duration timeout, WireCase.Body body) {
    cases.add(new WireCase(id, description, expectation, timeout, body));
  }

  /**
   * Sends {@code frames} ({@code chunk} bytes at a time, 0 = one write), expects {@code echoed}.
   */
  private void echo(
      String id, String description, int chunk, List<WsFrame> frames, List<WireEvent> echoed) {
    echo(id, description, chunk, frames, echoed, NORMAL);
  }

  private void echo(
      String id,
      String description,
      int chunk,
      List<WsFrame> frames,
      List<WireEvent> echoed,
      Duration timeout) {
    String expectation =
        (echoed.isEmpty() ? "nothing back" : "back: " + Judge.summary(echoed)) + "; clean close";
    add(
        id,
        description,
        expectation,
        timeout,
        (peer, t) -> {
          peer.send(frames, chunk);
          return Judge.echo(peer, echoed, t);
        });
  }

  /**
   * Sends {@code frames}; expects {@code before}, then the connection failed with {@code codes}.
   */
  private void fail(
      String id,
      String description,
      int chunk,
      List<WsFrame> frames,
      List<WireEvent> before,
      Codes codes) {
    String expectation =
        (before.isEmpty() ? "" : Judge.summary(before) + ", then ") + "fail with " + codes;
    add(
        id,
        description,
        expectation,
        NORMAL,
        (peer, t) -> {
          peer.send(frames, chunk);
          return Judge.awaitClose(peer, before, codes, false, t);
        });
  }

  private void fail(
      String id, String description, List<WsFrame> frames, List<WireEvent> before, int code) {
    fail(id, description, 0, frames, before, Codes.of(code));
  }

  private void fail(String id, String description, List<WsFrame> frames, int code) {
    fail(id, description, 0, frames, List.of(), Codes.of(code));
  }

  /** Sends a close frame (and maybe more); expects its answer with {@code codes}, nothing else. */
  private void closeCase(String id, String description, List<WsFrame> frames, Codes codes) {
    add(
        id,
        description,
        "close answered with " + codes + ", nothing else; TCP closed by the server",
        NORMAL,
        (peer, t) -> {
          peer.send(frames, 0);
          return Judge.awaitClose(peer, List.of(), codes, true, t);
        });
  }

  // ------------------------------------------------------------------ 1 framing

  private void framing() {
    int[] lengths = {0, 125, 126, 127, 128, 65535, 65536};
    for (int i = 0; i < lengths.length; i++) {
      byte[] t = asciiPayload(lengths[i]);
      echo(
          "1.1." + (i + 1),
          "Text message with payload length " + lengths[i],
          0,
          List.of(frame(true, OP_TEXT, t)),
          List.of(WireEvent.text(t)));
      byte[] b = binaryPayload(lengths[i]);
      echo(
          "1.2." + (i + 1),
          "Binary message with payload length " + lengths[i],
          0,
          List.of(frame(true, OP_BINARY, b)),
          List.of(WireEvent.binary(b)));
    }
    byte[] t = asciiPayload(65536);
    echo(
        "1.1.8",
        "Text message with payload length 65536, written in chops of 997 octets",
        997,
        List.of(frame(true, OP_TEXT, t)),
        List.of(WireEvent.text(t)));
    byte[] b = binaryPayload(65536);
    echo(
        "1.2.8",
        "Binary message with payload length 65536, written in chops of 997 octets",
        997,
        List.of(frame(true, OP_BINARY, b)),
        List.of(WireEvent.binary(b)));
    byte[] bigText = asciiPayload(2 * MB);
    echo(
        "1.1.9",
        "Text message of 2 MiB in one frame, written in chops of 4096 octets",
        4096,
        List.of(frame(true, OP_TEXT, bigText)),
        List.of(WireEvent.text(bigText)),
        LARGE);
    byte[] bigBinary = binaryPayload(2 * MB);
    echo(
        "1.2.9",
        "Binary message of 2 MiB in one frame, written in chops of 4096 octets",
        4096,
        List.of(frame(true, OP_BINARY, bigBinary)),
        List.of(WireEvent.binary(bigBinary)),
        LARGE);
    byte[] tiny = asciiPayload(32);
    echo(
        "1.1.10",
        "Text message whose frames are written one octet at a time",
        1,
        List.of(frame(true, OP_TEXT, tiny)),
        List.of(WireEvent.text(tiny)));
    // RFC 6455 5.1: a client masks every frame, a server none.
    boolean wrongMask = !role.testPeerMasks();
    String who =
        role == Role.SERVER
            ? "Unmasked text frame from the client"
            : "Masked text frame from the server";
    add(
        "1.3.1",
        who,
        "fail with 1002 (RFC 6455 5.1)",
        NORMAL,
        (peer, timeout) -> {
          peer.sendAsIs(new WsFrame(true, 0, OP_TEXT, wrongMask, utf8("Hello")));
          return Judge.awaitClose(peer, List.of(), Codes.of(PROTOCOL_ERROR), false, timeout);
        });
    String who2 =
        role == Role.SERVER
            ? "Valid text, then an unmasked ping from the client"
            : "Valid text, then a masked ping from the server";
    add(
        "1.3.2",
        who2,
        "'Hello' back, then fail with 1002",
        NORMAL,
        (peer, timeout) -> {
          peer.send(text("Hello"));
          peer.sendAsIs(new WsFrame(true, 0, OP_PING, wrongMask, utf8("ping")));
          return Judge.awaitClose(
              peer, List.of(WireEvent.text("Hello")), Codes.of(PROTOCOL_ERROR), false, timeout);
        });
  }

  // ------------------------------------------------------------------ 2 pings and pongs

  private void pings() {
    echo(
        "2.1",
        "Ping without payload",
        0,
        List.of(frame(true, OP_PING, new byte[0])),
        List.of(WireEvent.pong(new byte[0])));
    echo(
        "2.2",
        "Ping with a small text payload",
        0,
        List.of(frame(true, OP_PING, "Hello, world!")),
        List.of(WireEvent.pong("Hello, world!")));
    byte[] binary = bytes(0x00, 0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0x00, 0xFF);
    echo(
        "2.3",
        "Ping with a small binary payload",
        0,
        List.of(frame(true, OP_PING, binary)),
        List.of(WireEvent.pong(binary)));
    byte[] max = binaryPayload(125);
    echo(
        "2.4",
        "Ping with a 125-byte binary payload",
        0,
        List.of(frame(true, OP_PING, max)),
        List.of(WireEvent.pong(max)));
    fail(
        "2.5",
        "Ping with a 126-byte payload (over the control frame limit)",
        List.of(frame(true, OP_PING, binaryPayload(126))),
        PROTOCOL_ERROR);
    echo(
        "2.6",
        "Ping with a 125-byte payload, written one octet at a time",
        1,
        List.of(frame(true, OP_PING, max)),
        List.of(WireEvent.pong(max)));
    echo(
        "2.7",
        "Unsolicited pong without payload",
        0,
        List.of(frame(true, OP_PONG, new byte[0])),
        List.of());
    echo(
        "2.8",
        "Unsolicited pong with payload",
        0,
        List.of(frame(true, OP_PONG, "unsolicited pong payload")),
        List.of());
    echo(
        "2.9",
        "Unsolicited pong, then a ping",
        0,
        List.of(
            frame(true, OP_PONG, "unsolicited pong payload"), frame(true, OP_PING, "ping payload")),
        List.of(WireEvent.pong("ping payload")));
    List<WsFrame> tenPings = new ArrayList<>();
    List<WireEvent> tenPongs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      tenPings.add(frame(true, OP_PING, "payload-" + i));
      tenPongs.add(WireEvent.pong("payload-" + i));
    }
    echo("2.10", "10 pings in a row", 0, tenPings, tenPongs);
    echo("2.11", "10 pings in a row, written one octet at a time", 1, tenPings, tenPongs);
  }

  // ------------------------------------------------------------------ 3 reserved bits

  private void reservedBits() {
    List<WireEvent> hello = List.of(WireEvent.text("Hello"));
    fail("3.1", "Text with RSV = 1", List.of(rsv(1, OP_TEXT, "Hello")), PROTOCOL_ERROR);
    fail(
        "3.2",
        "Text, then text with RSV = 2",
        List.of(text("Hello"), rsv(2, OP_TEXT, "Hello")),
        hello,
        PROTOCOL_ERROR);
    fail(
        "3.3",
        "Text, then text with RSV = 3, then a ping",
        List.of(text("Hello"), rsv(3, OP_TEXT, "Hello"), frame(true, OP_PING, "ping")),
        hello,
        PROTOCOL_ERROR);
    fail(
        "3.4",
        "Text, then text with RSV = 4, then a ping, written one octet at a time",
        1,
        List.of(text("Hello"), rsv(4, OP_TEXT, "Hello"), frame(true, OP_PING, "ping")),
        hello,
        Codes.of(PROTOCOL_ERROR));
    fail("3.5", "Binary with RSV = 5", List.of(rsv(5, OP_BINARY, "\u0000\u0001")), PROTOCOL_ERROR);
    fail("3.6", "Ping with RSV = 6", List.of(rsv(6, OP_PING, "Hello")), PROTOCOL_ERROR);
    fail(
        "3.7",
        "Close with RSV = 7",
        List.of(new WsFrame(true, 7, OP_CLOSE, false, bytes(0x03, 0xE8))),
        PROTOCOL_ERROR);
  }

  // ------------------------------------------------------------------ 4 reserved opcodes

  private void reservedOpcodes() {
    int[][] groups = {{3, 4, 5, 6, 7}, {0xB, 0xC, 0xD, 0xE, 0xF}};
    for (int g = 0; g < 2; g++) {
      int n = 1;
      for (int opcode : groups[g]) {
        String kind = g == 0 ? "non-control" : "control";
        String hex = Integer.toHexString(opcode).toUpperCase(java.util.Locale.ROOT);
        fail(
            "4." + (g + 1) + "." + n++,
            "Reserved " + kind + " opcode " + hex + ", no payload",
            List.of(frame(true, opcode, new byte[0])),
            PROTOCOL_ERROR);
        fail(
            "4." + (g + 1) + "." + n++,
            "Text, then reserved " + kind + " opcode " + hex + " with payload, then a ping",
            List.of(
                text("Hello"),
                frame(true, opcode, "reserved payload"),
                frame(true, OP_PING, "ping")),
            List.of(WireEvent.text("Hello")),
            PROTOCOL_ERROR);
      }
    }
  }

  // ------------------------------------------------------------------ 5 fragmentation

  private void fragmentation() {
    WsFrame f1 = frame(false, OP_TEXT, "fragment1");
    WsFrame f2 = frame(true, OP_CONTINUATION, "fragment2");
    WireEvent joined = WireEvent.text("fragment1fragment2");
    fail(
        "5.1",
        "Ping in two fragments",
        List.of(frame(false, OP_PING, "fragment1"), frame(true, OP_CONTINUATION, "fragment2")),
        PROTOCOL_ERROR);
    fail(
        "5.2",
        "Pong in two fragments",
        List.of(frame(false, OP_PONG, "fragment1"), frame(true, OP_CONTINUATION, "fragment2")),
        PROTOCOL_ERROR);
    echo("5.3", "Text in two fragments", 0, List.of(f1, f2), List.of(joined));
    echo(
        "5.4",
        "Text in two fragments, written in chops of 7 octets",
        7,
        List.of(f1, f2),
        List.of(joined));
    echo(
        "5.5",
        "Text in two fragments, written one octet at a time",
        1,
        List.of(f1, f2),
        List.of(joined));
    WsFrame ping = frame(true, OP_PING, "ping payload");
    List<WireEvent> pongThenText = List.of(WireEvent.pong("ping payload"), joined);
    echo(
        "5.6",
        "Text in two fragments with a ping between them",
        0,
        List.of(f1, ping, f2),
        pongThenText);
    echo(
        "5.7",
        "Text in two fragments with a ping between them, in chops of 7 octets",
        7,
        List.of(f1, ping, f2),
        pongThenText);
    echo(
        "5.8",
        "Text in two fragments with a ping between them, one octet at a time",
        1,
        List.of(f1, ping, f2),
        pongThenText);
    WsFrame lonelyFinal = frame(true, OP_CONTINUATION, "non-continuation payload");
    fail(
        "5.9",
        "Final continuation frame with no message started",
        List.of(lonelyFinal, text("Hello")),
        PROTOCOL_ERROR);
    fail(
        "5.10",
        "Final continuation frame with no message started, in chops of 7 octets",
        7,
        List.of(lonelyFinal, text("Hello")),
        List.of(),
        Codes.of(PROTOCOL_ERROR));
    fail(
        "5.11",
        "Final continuation frame with no message started, one octet at a time",
        1,
        List.of(lonelyFinal, text("Hello")),
        List.of(),
        Codes.of(PROTOCOL_ERROR));
    WsFrame lonely = frame(false, OP_CONTINUATION, "non-continuation payload");
    fail(
        "5.12",
        "Non-final continuation frame with no message started",
        List.of(lonely, text("Hello")),
        PROTOCOL_ERROR);
    fail(
        "5.13",
        "Non-final continuation frame with no message started, in chops of 7 octets",
        7,
        List.of(lonely, text("Hello")),
        List.of(),
        Codes.of(PROTOCOL_ERROR));
    fail(
        "5.14",
        "Non-final continuation frame with no message started, one octet at a time",
        1,
        List.of(lonely, text("Hello")),
        List.of(),
        Codes.of(PROTOCOL_ERROR));
    fail(
        "5.15",
        "Text in two fragments, then two more continuation fragments",
        List.of(
            f1,
            f2,
            frame(false, OP_CONTINUATION, "fragment3"),
            frame(true, OP_CONTINUATION, "fragment4")),
        List.of(joined),
        PROTOCOL_ERROR);
    List<WsFrame> s16 = new ArrayList<>();
    List<WsFrame> s17 = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      s16.addAll(
          List.of(
              frame(false, OP_CONTINUATION, "fragment1"),
              frame(true, OP_CONTINUATION, "fragment2"),
              frame(false, OP_TEXT, "fragment3"),
              frame(true, OP_CONTINUATION, "fragment4")));
      s17.addAll(
          List.of(
              frame(true, OP_CONTINUATION, "fragment1"),
              frame(true, OP_CONTINUATION, "fragment2"),
              frame(false, OP_TEXT, "fragment3"),
              frame(true, OP_CONTINUATION, "fragment4")));
    }
    fail(
        "5.16",
        "Twice: non-final and final continuation with no message, then a fragmented text",
        s16,
        PROTOCOL_ERROR);
    fail(
        "5.17",
        "Twice: two final continuations with no message, then a fragmented text",
        s17,
        PROTOCOL_ERROR);
    fail(
        "5.18",
        "Text fragment, then a new text message instead of a continuation",
        List.of(f1, frame(true, OP_TEXT, "fragment2")),
        PROTOCOL_ERROR);
    List<WsFrame> five =
        List.of(
            frame(false, OP_TEXT, "fragment1"),
            frame(false, OP_CONTINUATION, "fragment2"),
            frame(true, OP_PING, "pongme 1!"),
            frame(false, OP_CONTINUATION, "fragment3"),
            frame(false, OP_CONTINUATION, "fragment4"),
            frame(true, OP_PING, "pongme 2!"),
            frame(true, OP_CONTINUATION, "fragment5"));
    List<WireEvent> fiveBack =
        List.of(
            WireEvent.pong("pongme 1!"),
            WireEvent.pong("pongme 2!"),
            WireEvent.text("fragment1fragment2fragment3fragment4fragment5"));
    add(
        "5.19",
        "Text in five fragments with two pings between them, each frame in its own write",
        "back: " + Judge.summary(fiveBack) + " (each pong as soon as its ping); clean close",
        NORMAL,
        (peer, t) -> {
          // Each pong must come back while the message is still unfinished.
          for (int i = 0; i < five.size(); i++) {
            peer.send(five.get(i));
            if (i == 2 || i == 5) {
              WireEvent pong = peer.next(t);
              WireEvent expected = fiveBack.get(i == 2 ? 0 : 1);
              if (!pong.equals(expected)) {
                return Outcome.failed(
                    "expected " + expected + " before the message ended, got " + pong);
              }
            }
          }
          return Judge.echo(peer, List.of(fiveBack.get(2)), t)
              .prefixed("pongs came back mid-message");
        });
    echo(
        "5.20",
        "Text in five fragments with two pings between them, one octet at a time",
        1,
        five,
        fiveBack);
    byte[] binary = binaryPayload(300);
    echo(
        "5.21",
        "Binary in three fragments",
        0,
        fragments(OP_BINARY, binary, 100),
        List.of(WireEvent.binary(binary)));
    echo(
        "5.22",
        "Binary in two fragments with an unsolicited pong between them",
        0,
        List.of(
            frame(false, OP_BINARY, bytes(1, 2, 3)),
            frame(true, OP_PONG, "unsolicited"),
            frame(true, OP_CONTINUATION, bytes(4, 5))),
        List.of(WireEvent.binary(bytes(1, 2, 3, 4, 5))));
    byte[] thousand = asciiPayload(1000);
    echo(
        "5.23",
        "Text of 1000 octets in 1000 one-octet fragments",
        0,
        fragments(OP_TEXT, thousand, 1),
        List.of(WireEvent.text(thousand)));
    List<WsFrame> empties = new ArrayList<>();
    empties.add(frame(false, OP_TEXT, new byte[0]));
    for (int i = 0; i < 64; i++) {
      empties.add(frame(false, OP_CONTINUATION, new byte[0]));
    }
    empties.add(frame(true, OP_CONTINUATION, "end"));
    echo(
        "5.24",
        "Text in 66 fragments, all empty but the last",
        0,
        empties,
        List.of(WireEvent.text("end")));
    fail(
        "5.25",
        "Close in two fragments",
        List.of(frame(false, OP_CLOSE, bytes(0x03, 0xE8)), frame(true, OP_CONTINUATION, "x")),
        PROTOCOL_ERROR);
    fail(
        "5.26",
        "Text fragment, then a binary message instead of a continuation",
        List.of(f1, frame(true, OP_BINARY, bytes(1, 2))),
        PROTOCOL_ERROR);
    fail(
        "5.27",
        "Ping in the middle of a fragmented text, then the text left unfinished and a new text",
        List.of(f1, ping, frame(true, OP_TEXT, "Hello")),
        List.of(WireEvent.pong("ping payload")),
        PROTOCOL_ERROR);
  }

  // ------------------------------------------------------------------ 6 UTF-8

  private void utf8() {
    echo("6.1.1", "Empty text message", 0, List.of(text("")), List.of(WireEvent.text("")));
    echo(
        "6.1.2",
        "Text message of three empty fragments",
        0,
        List.of(
            frame(false, OP_TEXT, ""),
            frame(false, OP_CONTINUATION, ""),
            frame(true, OP_CONTINUATION, "")),
        List.of(WireEvent.text("")));
    echo(
        "6.1.3",
        "Text message of an empty, a non-empty and an empty fragment",
        0,
        List.of(
            frame(false, OP_TEXT, ""),
            frame(false, OP_CONTINUATION, "middle frame payload"),
            frame(true, OP_CONTINUATION, "")),
        List.of(WireEvent.text("middle frame payload")));
    byte[] hello = utf8("Hello-\u00b5@\u00df\u00f6\u00e4\u00fc\u00e0\u00e1-UTF-8!!");
    echo(
        "6.2.1",
        "Valid UTF-8 with 2-byte characters, one frame",
        0,
        List.of(frame(true, OP_TEXT, hello)),
        List.of(WireEvent.text(hello)));
    echo(
        "6.2.2",
        "Valid UTF-8 with 2-byte characters, two fragments split at a character",
        0,
        List.of(
            frame(false, OP_TEXT, Arrays.copyOf(hello, 8)),
            frame(true, OP_CONTINUATION, Arrays.copyOfRange(hello, 8, hello.length))),
        List.of(WireEvent.text(hello)));
    echo(
        "6.2.3",
        "Valid UTF-8 with 2-byte characters, one fragment per octet",
        0,
        fragments(OP_TEXT, hello, 1),
        List.of(WireEvent.text(hello)));
    byte[] kosme = bytes(0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5);
    echo(
        "6.2.4",
        "Valid UTF-8 'kosme' (2- and 3-byte characters), one fragment per octet",
        0,
        fragments(OP_TEXT, kosme, 1),
        List.of(WireEvent.text(kosme)));
    byte[] kosmeBad = concat(kosme, bytes(0xED, 0xA0, 0x80), utf8("edited"));
    fail(
        "6.3.1",
        "Invalid UTF-8 (a surrogate inside 'kosme...edited'), one frame",
        List.of(frame(true, OP_TEXT, kosmeBad)),
        INVALID_PAYLOAD);
    fail(
        "6.3.2",
        "Invalid UTF-8 (a surrogate inside 'kosme...edited'), one fragment per octet",
        fragments(OP_TEXT, kosmeBad, 1),
        INVALID_PAYLOAD);
    failFast();
    List<Utf8Vectors.Vector> vectors = Utf8Vectors.all();
    int valid = 1;
    int invalid = 1;
    for (Utf8Vectors.Vector v : vectors) {
      if (v.valid()) {
        echo(
            "6.5." + valid++,
            "Valid UTF-8 " + v.label() + ", one frame",
            0,
            List.of(frame(true, OP_TEXT, v.bytes())),
            List.of(WireEvent.text(v.bytes())));
        echo(
            "6.5." + valid++,
            "Valid UTF-8 " + v.label() + ", one fragment per octet",
            0,
            fragments(OP_TEXT, v.bytes(), 1),
            List.of(WireEvent.text(v.bytes())));
      } else {
        fail(
            "6.6." + invalid++,
            "Invalid UTF-8 " + v.label() + ", one frame",
            List.of(frame(true, OP_TEXT, v.bytes())),
            INVALID_PAYLOAD);
        fail(
            "6.6." + invalid++,
            "Invalid UTF-8 " + v.label() + ", one fragment per octet",
            fragments(OP_TEXT, v.bytes(), 1),
            INVALID_PAYLOAD);
      }
    }
  }

  /**
   * Autobahn 6.4.x: an invalid byte early in a long message must fail the connection with 1007 as
   * soon as it arrives; the rest is sent only after checking whether the close came. NON-STRICT if
   * the close comes only when the message ends.
   */
  private void failFast() {
    byte[] kosme = bytes(0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5);
    byte[] rest = utf8("edited");
    byte[] invalid = bytes(0xF4, 0x90, 0x80, 0x80); // U+110000, above the Unicode range
    failFastFrames(
        "6.4.1",
        "Fragmented text: valid 'kosme', then a fragment with an invalid code point,"
            + " then (after a wait) the final fragment",
        List.of(frame(false, OP_TEXT, kosme), frame(false, OP_CONTINUATION, invalid)),
        frame(true, OP_CONTINUATION, rest));
    failFastFrames(
        "6.4.2",
        "Fragmented text: 'kosme' plus the first byte of a sequence, then its invalid"
            + " continuation, then (after a wait) the final fragment",
        List.of(
            frame(false, OP_TEXT, concat(kosme, bytes(0xF4))),
            frame(false, OP_CONTINUATION, bytes(0x90, 0x80, 0x80))),
        frame(true, OP_CONTINUATION, rest));
    byte[] whole = concat(kosme, invalid, rest);
    failFastBytes(
        "6.4.3",
        "One text frame written in three parts: valid, invalid, then (after a wait) the rest",
        whole,
        kosme.length,
        kosme.length + invalid.length);
    failFastBytes(
        "6.4.4",
        "One text frame written in three parts: valid plus the invalid byte, then the next"
            + " byte, then (after a wait) the rest",
        whole,
        kosme.length + 2,
        kosme.length + 3);
    List<WsFrame> mb = megabyteWithBadSecondFragment();
    failFastFrames(
        "6.4.5",
        "Fragmented 1 MiB text: an invalid byte in the second of 16 fragments",
        mb.subList(0, 2),
        mb.subList(2, mb.size()));
  }

  /** A 1 MiB text in 16 fragments whose second one holds a 0xFF byte. */
  private static List<WsFrame> megabyteWithBadSecondFragment() {
    byte[] payload = asciiPayload(MB);
    payload[65536 + 10] = (byte) 0xFF;
    return fragments(OP_TEXT, payload, 65536);
  }

  private void failFastFrames(String id, String description, List<WsFrame> head, WsFrame after) {
    failFastFrames(id, description, head, List.of(after));
  }

  private void failFastFrames(
      String id, String description, List<WsFrame> head, List<WsFrame> tail) {
    add(
        id,
        description,
        "fail with 1007 right after the invalid data, before the rest is sent",
        NORMAL,
        (peer, t) -> {
          peer.send(head, 0);
          return judgeFailFast(peer, t, () -> peer.send(tail, 0));
        });
  }

  private void failFastBytes(String id, String description, byte[] payload, int cut1, int cut2) {
    add(
        id,
        description,
        "fail with 1007 right after the invalid data, before the rest is sent",
        NORMAL,
        (peer, t) -> {
          byte[] wire = RawFrames.encode(peer.normal(frame(true, OP_TEXT, payload)));
          int header = wire.length - payload.length;
          peer.write(Arrays.copyOf(wire, header + cut1), 0);
          peer.write(Arrays.copyOfRange(wire, header + cut1, header + cut2), 0);
          return judgeFailFast(
              peer, t, () -> peer.write(Arrays.copyOfRange(wire, header + cut2, wire.length), 0));
        });
  }

  private static Outcome judgeFailFast(Peer peer, Duration timeout, Runnable sendRest)
      throws java.io.IOException {
    WireEvent first = peer.next(Duration.ofMillis(1500));
    if (first.kind() == WireEvent.Kind.TIMEOUT) {
      sendRest.run();
      Outcome late = Judge.awaitClose(peer, List.of(), Codes.of(INVALID_PAYLOAD), false, timeout);
      return late.verdict() == Verdict.OK
          ? new Outcome(Verdict.NON_STRICT, late.observed() + " only after the whole message")
          : late;
    }
    if (first.kind() != WireEvent.Kind.CLOSE) {
      return Outcome.failed("expected a close 1007 after the invalid data, got " + first);
    }
    int code = first.closeCode();
    if (peer.role() == Role.CLIENT) {
      peer.send(new WsFrame(true, 0, OP_CLOSE, false, first.payload()));
    }
    String problem = peer.finishAfterClose();
    if (problem != null) {
      return Outcome.failed(first + "; " + problem);
    }
    return code == INVALID_PAYLOAD
        ? Outcome.ok(first + " right after the invalid data (fail-fast)")
        : Outcome.failed(first + ", expected 1007");
  }

  // ------------------------------------------------------------------ 7 close handling

  private void closing() {
    WsFrame close1000 = WsFrame.close(1000, "", false);
    echo(
        "7.1.1",
        "Text, then a clean close",
        0,
        List.of(text("Hello World")),
        List.of(WireEvent.text("Hello World")));
    closeCase("7.1.2", "Two close frames in a row", List.of(close1000, close1000), Codes.of(1000));
    closeCase(
        "7.1.3",
        "Close, then a ping (must not be answered)",
        List.of(close1000, frame(true, OP_PING, "ping")),
        Codes.of(1000));
    closeCase(
        "7.1.4",
        "Close, then a text (must not be echoed)",
        List.of(close1000, text("Hello")),
        Codes.of(1000));
    closeCase(
        "7.1.5",
        "Text fragment, close, then the final fragment (must not be echoed)",
        List.of(
            frame(false, OP_TEXT, "fragment1"),
            close1000,
            frame(true, OP_CONTINUATION, "fragment2")),
        Codes.of(1000));
    byte[] big = asciiPayload(256 * 1024);
    add(
        "7.1.6",
        "256 KiB text, close and a ping in one write",
        "undefined by the RFC: the text may or may not be echoed before the close answer",
        NORMAL,
        (peer, t) -> {
          peer.send(List.of(frame(true, OP_TEXT, big), close1000, frame(true, OP_PING, "ping")), 0);
          Judge.Ending ending = Judge.readToClose(peer, t);
          Outcome close = Judge.judgeClose(peer, ending, Codes.of(1000), true, t);
          return close.verdict() == Verdict.FAILED
              ? close
              : new Outcome(Verdict.INFORMATIONAL, close.observed());
        });
    closeCase(
        "7.3.1", "Close with an empty body", List.of(WsFrame.emptyClose(false)), Codes.of(-1));
    fail(
        "7.3.2",
        "Close with a 1-byte body",
        List.of(frame(true, OP_CLOSE, bytes(0x03))),
        PROTOCOL_ERROR);
    closeCase("7.3.3", "Close 1000 without a reason", List.of(close1000), Codes.of(1000));
    closeCase(
        "7.3.4",
        "Close 1000 with a reason",
        List.of(WsFrame.close(1000, "Hello World!", false)),
        Codes.of(1000));
    closeCase(
        "7.3.5",
        "Close 1000 with a 123-byte reason (the maximum)",
        List.of(WsFrame.close(1000, "*".repeat(123), false)),
        Codes.of(1000));
    fail(
        "7.3.6",
        "Close 1000 with a 124-byte reason (126-byte control frame)",
        List.of(WsFrame.close(1000, "*".repeat(124), false)),
        PROTOCOL_ERROR);
    // RFC 6455 8.1 and 7.4.1: invalid UTF-8 is failed with 1007; Autobahn also accepts 1002.
    fail(
        "7.5.1",
        "Close 1000 with a reason that is invalid UTF-8",
        0,
        List.of(
            WsFrame.close(
                1000,
                concat(
                    bytes(0xCE, 0xBA, 0xE1, 0xBD, 0xB9), bytes(0xED, 0xA0, 0x80), utf8("edited")),
                false)),
        List.of(),
        Codes.of(INVALID_PAYLOAD).orNonStrict(PROTOCOL_ERROR));
    int[] valid = {
      1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999
    };
    for (int i = 0; i < valid.length; i++) {
      closeCase(
          "7.7." + (i + 1),
          "Close with valid code " + valid[i],
          List.of(WsFrame.close(valid[i], "", false)),
          Codes.of(valid[i]).orNonStrict(1000));
    }
    int[] invalid = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535};
    for (int i = 0; i < invalid.length; i++) {
      fail(
          "7.9." + (i + 1),
          "Close with invalid code " + invalid[i],
          List.of(WsFrame.close(invalid[i], "", false)),
          PROTOCOL_ERROR);
    }
  }

  // ------------------------------------------------------------------ 9 limits

  /**
   * Large messages, timed. Netty's leak detector runs at paranoid and records every buffer access,
   * which costs about a second per megabyte on the server and three on the client (masking reads
   * the payload four bytes at a time); the sizes keep the module within its time budget. Server: 1,
   * 4 and 16 MiB in one frame, 1 and 4 MiB in 64 KiB fragments. Client: 1 and 4 MiB in one frame, 1
   * MiB in fragments.
   */
  private void limits() {
    int[] sizes = role == Role.SERVER ? new int[] {MB, 4 * MB, 16 * MB} : new int[] {MB, 4 * MB};
    String[] ids = {"3", "4", "6"};
    for (int i = 0; i < sizes.length; i++) {
      String mb = (sizes[i] / MB) + " MiB";
      byte[] t = asciiPayload(sizes[i]);
      byte[] b = binaryPayload(sizes[i]);
      echo(
          "9.1." + ids[i],
          "Text message of " + mb + " in one frame",
          0,
          List.of(frame(true, OP_TEXT, t)),
          List.of(WireEvent.text(t)),
          LARGE);
      echo(
          "9.2." + ids[i],
          "Binary message of " + mb + " in one frame",
          0,
          List.of(frame(true, OP_BINARY, b)),
          List.of(WireEvent.binary(b)),
          LARGE);
      boolean fragmented = sizes[i] == MB || (role == Role.SERVER && sizes[i] == 4 * MB);
      if (fragmented) {
        echo(
            "9.3." + (i + 1),
            "Text message of " + mb + " in 64 KiB fragments",
            0,
            fragments(OP_TEXT, t, 65536),
            List.of(WireEvent.text(t)),
            LARGE);
        echo(
            "9.4." + (i + 1),
            "Binary message of " + mb + " in 64 KiB fragments",
            0,
            fragments(OP_BINARY, b, 65536),
            List.of(WireEvent.binary(b)),
            LARGE);
      }
    }
  }

  // ------------------------------------------------------------------ 11 opening handshake

  /**
   * The client role's opening handshake (RFC 6455 section 4.1): valid {@code 101}s the client must
   * accept, with frames behind them in the same write that it must deliver, and broken responses it
   * must fail at once without opening.
   */
  private void openingHandshake() {
    String head = "HTTP/1.1 101 Switching Protocols\r\n";
    String upgrade = "Upgrade: websocket\r\n";
    String connection = "Connection: Upgrade\r\n";
    byte[] hello = RawFrames.encode(text("Hello"));

    accepted(
        "11.1.1",
        "Valid 101 and a text frame in the same write",
        key -> concat(ascii(head + upgrade + connection + accept(key) + "\r\n"), hello),
        0);
    add(
        "11.1.2",
        "Valid 101, a text frame and a close frame in the same write",
        "text('Hello') delivered and echoed, then the close answered with 1000",
        NORMAL,
        (peer, t) ->
            Judge.awaitClose(peer, List.of(WireEvent.text("Hello")), Codes.of(1000), true, t),
        (conn, key) ->
            conn.write(
                concat(
                    ascii(head + upgrade + connection + accept(key) + "\r\n"),
                    hello,
                    RawFrames.encode(WsFrame.close(1000, "", false)))));
    accepted(
        "11.1.3",
        "Valid 101 with other header cases and a token list: 'upgrade: WebSocket',"
            + " 'CONNECTION: keep-alive, upgrade'",
        key ->
            concat(
                ascii(
                    "HTTP/1.1 101 Web Socket Protocol Handshake\r\nupgrade: WebSocket\r\n"
                        + "CONNECTION: keep-alive, upgrade\r\n"
                        + "sec-websocket-accept: "
                        + acceptValue(key)
                        + "\r\n\r\n"),
                hello),
        0);
    accepted(
        "11.1.4",
        "Valid 101 and a text frame, written one octet at a time",
        key -> concat(ascii(head + upgrade + connection + accept(key) + "\r\n"), hello),
        1);

    refused(
        "11.2.1",
        "200 OK with the upgrade headers and a valid Sec-WebSocket-Accept",
        key -> "HTTP/1.1 200 OK\r\n" + upgrade + connection + accept(key) + "\r\n");
    refused(
        "11.2.2",
        "403 Forbidden with a body",
        key -> "HTTP/1.1 403 Forbidden\r\nContent-Length: 5\r\n\r\nnope\n");
    refused(
        "11.2.3", "101 without Sec-WebSocket-Accept", key -> head + upgrade + connection + "\r\n");
    refused(
        "11.2.4",
        "101 with a wrong Sec-WebSocket-Accept",
        key ->
            head
                + upgrade
                + connection
                + "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n");
    refused(
        "11.2.5",
        "101 whose Sec-WebSocket-Accept is the client's key, unhashed",
        key -> head + upgrade + connection + "Sec-WebSocket-Accept: " + key + "\r\n\r\n");
    refused(
        "11.2.6",
        "101 with two Sec-WebSocket-Accept headers, one of them right",
        key ->
            head
                + upgrade
                + connection
                + accept(key)
                + "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n");
    refused("11.2.7", "101 without Upgrade", key -> head + connection + accept(key) + "\r\n");
    refused(
        "11.2.8",
        "101 with 'Upgrade: h2c'",
        key -> head + "Upgrade: h2c\r\n" + connection + accept(key) + "\r\n");
    refused("11.2.9", "101 without Connection", key -> head + upgrade + accept(key) + "\r\n");
    refused(
        "11.2.10",
        "101 with 'Connection: keep-alive' (no upgrade token)",
        key -> head + upgrade + "Connection: keep-alive\r\n" + accept(key) + "\r\n");
    refused(
        "11.2.11",
        "101 accepting 'x-webkit-deflate-frame', an extension the client did not offer",
        key ->
            head
                + upgrade
                + connection
                + accept(key)
                + "Sec-WebSocket-Extensions: x-webkit-deflate-frame\r\n\r\n");
    refused(
        "11.2.12",
        "101 accepting an unknown extension with a parameter, not offered",
        key ->
            head
                + upgrade
                + connection
                + accept(key)
                + "Sec-WebSocket-Extensions: x-unknown; level=1\r\n\r\n");
    refused(
        "11.2.13",
        "101 choosing subprotocol 'chat', a subprotocol the client did not offer",
        key -> head + upgrade + connection + accept(key) + "Sec-WebSocket-Protocol: chat\r\n\r\n");
  }

  /** A valid answer the client must open with: it echoes the text frame, then closes cleanly. */
  private void accepted(
      String id, String description, Function<String, byte[]> response, int chunk) {
    add(
        id,
        description,
        "delivered: back text('Hello'); clean close",
        NORMAL,
        (peer, t) -> Judge.echo(peer, List.of(WireEvent.text("Hello")), t),
        (conn, key) -> {
          if (chunk > 0) {
            conn.writeInChunks(response.apply(key), chunk);
          } else {
            conn.write(response.apply(key));
          }
        });
  }

  /**
   * A broken answer, followed in the same write by a text frame the client would echo were it open:
   * the client must close TCP at once, without OPEN and without sending any frame.
   */
  private void refused(String id, String description, UnaryOperator<String> response) {
    add(
        id,
        description,
        "client fails the connection without OPEN: TCP closed at once, no frame",
        NORMAL,
        (peer, t) -> Judge.refusedHandshake(peer, t),
        (conn, key) ->
            conn.write(concat(ascii(response.apply(key)), RawFrames.encode(text("probe")))));
  }

  private void add(
      String id,
      String description,
      String expectation,
      Duration timeout,
      WireCase.Body body,
      WireCase.Handshake handshake) {
    cases.add(new WireCase(id, description, expectation, timeout, body, handshake));
  }

  // ------------------------------------------------------------------ 10 auto-fragmentation

  private void autoFragmentation() {
    byte[] t = asciiPayload(65536);
    echo(
        "10.1.1",
        "Text message of 64 KiB sent as 1300-byte fragments",
        0,
        fragments(OP_TEXT, t, 1300),
        List.of(WireEvent.text(t)));
  }

  // ------------------------------------------------------------------ 12 compressed messages

  /** Compressible text that is not trivially so: words with numbers, far back-references. */
  static byte[] words(int length, int seed) {
    String[] words = {"alpha", "beta", "gamma", "delta", "{\"id\":", "\"price\":", "epsilon"};
    StringBuilder text = new StringBuilder(length + 16);
    java.util.Random random = new java.util.Random(seed);
    while (text.length() < length) {
      text.append(words[random.nextInt(words.length)]).append(random.nextInt(1000)).append(' ');
    }
    return utf8(text.substring(0, length));
  }

  private void compressedMessages() {
    DeflateTerms plain = DeflateTerms.plain("permessage-deflate");
    int[] sizes = {16, 64, 256, 1024, 4096, 8192, 16384, 32768, 65536, 131072};
    for (int i = 0; i < sizes.length; i++) {
      int size = sizes[i];
      deflateEcho(
          "12.1." + (i + 1),
          "5 compressed text messages of " + size + " bytes each, context taken over",
          plain,
          peer -> {
            List<byte[]> messages = new ArrayList<>();
            for (int m = 0; m < 5; m++) {
              messages.add(words(size, size + m));
            }
            return messages;
          },
          OP_TEXT);
      deflateEcho(
          "12.2." + (i + 1),
          "5 compressed binary messages of " + size + " bytes each (every byte value)",
          plain,
          peer ->
              List.of(
                  binaryPayload(size),
                  binaryPayload(size),
                  words(size, 1),
                  binaryPayload(size),
                  words(size, 2)),
          OP_BINARY);
    }
    for (int i = 0; i < 4; i++) {
      int size = new int[] {64, 4096, 65536, 131072}[i];
      int pieces = 3 + i;
      add(
          "12.3." + (i + 1),
          "Compressed text message of "
              + size
              + " bytes in "
              + pieces
              + " frames, RSV1 on the first",
          "back: the text; clean close",
          NORMAL,
          (peer, t) -> {
            byte[] data = words(size, 7);
            peer.send(compressedFragments(peer.compress(data), pieces), 0);
            return Judge.echo(peer, List.of(WireEvent.text(data)), t);
          },
          plain);
    }
    add(
        "12.4.1",
        "Empty compressed text message: the empty stored block 00",
        "back: text(''); clean close",
        NORMAL,
        (peer, t) -> {
          peer.send(List.of(new WsFrame(true, 4, OP_TEXT, false, new byte[] {0})), 0);
          return Judge.echo(peer, List.of(WireEvent.text("")), t);
        },
        plain);
    add(
        "12.4.2",
        "Empty compressed binary message with no payload bytes at all",
        "back: binary(''); clean close",
        NORMAL,
        (peer, t) -> {
          peer.send(List.of(new WsFrame(true, 4, OP_BINARY, false, new byte[0])), 0);
          return Judge.echo(peer, List.of(WireEvent.binary(new byte[0])), t);
        },
        plain);
    add(
        "12.4.3",
        "Compressed and uncompressed messages alternating, context taken over across them",
        "back: all six in order; clean close",
        NORMAL,
        (peer, t) -> {
          List<WsFrame> frames = new ArrayList<>();
          List<WireEvent> expected = new ArrayList<>();
          for (int m = 0; m < 3; m++) {
            byte[] a = words(2000, m);
            byte[] b = words(300, 10 + m);
            frames.add(peer.compressed(OP_TEXT, a));
            frames.add(frame(true, OP_TEXT, b));
            expected.add(WireEvent.text(a));
            expected.add(WireEvent.text(b));
          }
          peer.send(frames, 0);
          return Judge.echo(peer, expected, t);
        },
        plain);
    deflateFail(
        "12.5.1",
        "RSV1 on a continuation frame of a compressed message",
        plain,
        peer -> {
          byte[] c = peer.compress(words(100, 3));
          return List.of(
              new WsFrame(false, 4, OP_TEXT, false, Arrays.copyOfRange(c, 0, 10)),
              new WsFrame(true, 4, OP_CONTINUATION, false, Arrays.copyOfRange(c, 10, c.length)));
        },
        PROTOCOL_ERROR);
    deflateFail(
        "12.5.2",
        "RSV1 on a ping",
        plain,
        peer -> List.of(new WsFrame(true, 4, OP_PING, false, utf8("ping"))),
        PROTOCOL_ERROR);
    deflateFail(
        "12.5.3",
        "RSV1 on a close frame",
        plain,
        peer -> List.of(new WsFrame(true, 4, OP_CLOSE, false, bytes(0x03, 0xE8))),
        PROTOCOL_ERROR);
    deflateFail(
        "12.5.4",
        "RSV2 on a data frame of a deflate connection",
        plain,
        peer -> List.of(new WsFrame(true, 2, OP_TEXT, false, peer.compress(utf8("x")))),
        PROTOCOL_ERROR);
    deflateFail(
        "12.5.5",
        "Compressed message that is not valid deflate (reserved block type)",
        plain,
        peer -> List.of(new WsFrame(true, 4, OP_BINARY, false, bytes(0xFF, 0x12, 0x34))),
        INVALID_PAYLOAD);
    deflateFail(
        "12.5.6",
        "Compressed text message that inflates to invalid UTF-8",
        plain,
        peer -> List.of(peer.compressed(OP_TEXT, bytes('o', 'k', 0xC0, 0xAF))),
        INVALID_PAYLOAD);
  }

  /** A compressed payload split over {@code pieces} frames, RSV1 on the first only. */
  private static List<WsFrame> compressedFragments(byte[] compressed, int pieces) {
    List<WsFrame> frames = new ArrayList<>();
    int step = Math.max(1, compressed.length / pieces);
    int at = 0;
    for (int p = 0; p < pieces; p++) {
      int end = p == pieces - 1 ? compressed.length : Math.min(compressed.length, at + step);
      frames.add(
          new WsFrame(
              p == pieces - 1,
              p == 0 ? 4 : 0,
              p == 0 ? OP_TEXT : OP_CONTINUATION,
              false,
              Arrays.copyOfRange(compressed, at, end)));
      at = end;
    }
    return frames;
  }

  /** What a deflate case sends, made at run time with the peer's compressor. */
  @FunctionalInterface
  private interface Messages {
    List<byte[]> make(Peer peer);
  }

  /** Frames made at run time with the peer's compressor. */
  @FunctionalInterface
  private interface FrameMaker {
    List<WsFrame> make(Peer peer);
  }

  /** Sends each message compressed, expects each back (inflated by the peer), clean close. */
  private void deflateEcho(
      String id, String description, DeflateTerms terms, Messages messages, int opcode) {
    add(
        id,
        description,
        "back: every message as sent; clean close",
        NORMAL,
        (peer, t) -> {
          List<WsFrame> frames = new ArrayList<>();
          List<WireEvent> expected = new ArrayList<>();
          for (byte[] message : messages.make(peer)) {
            frames.add(peer.compressed(opcode, message));
            expected.add(opcode == OP_TEXT ? WireEvent.text(message) : WireEvent.binary(message));
          }
          peer.send(frames, 0);
          return Judge.echo(peer, expected, t);
        },
        terms);
  }

  private void deflateFail(
      String id, String description, DeflateTerms terms, FrameMaker frames, int code) {
    add(
        id,
        description,
        "fail with " + Codes.of(code),
        NORMAL,
        (peer, t) -> {
          peer.send(frames.make(peer), 0);
          return Judge.awaitClose(peer, List.of(), Codes.of(code), false, t);
        },
        terms);
  }

  private void add(
      String id,
      String description,
      String expectation,
      Duration timeout,
      WireCase.Body body,
      DeflateTerms terms) {
    cases.add(new WireCase(id, description, expectation, timeout, body, null, terms));
  }

  // ------------------------------------------------------------------ 13 deflate parameters

  private void deflateParameters() {
    List<DeflateTerms> terms = new ArrayList<>();
    if (role == Role.SERVER) {
      // The test client's offers; the server (default options) must agree on these terms.
      terms.add(
          new DeflateTerms("permessage-deflate; client_no_context_takeover", 15, 15, true, false));
      terms.add(
          new DeflateTerms("permessage-deflate; server_no_context_takeover", 15, 15, false, true));
      terms.add(
          new DeflateTerms(
              "permessage-deflate; client_no_context_takeover; server_no_context_takeover",
              15,
              15,
              true,
              true));
      terms.add(DeflateTerms.plain("permessage-deflate; client_max_window_bits"));
      for (int bits = 9; bits <= 15; bits++) {
        terms.add(
            new DeflateTerms(
                "permessage-deflate; client_max_window_bits=" + bits, bits, 15, false, false));
      }
      for (int bits = 8; bits <= 15; bits++) {
        terms.add(
            new DeflateTerms(
                "permessage-deflate; server_max_window_bits=" + bits, 15, bits, false, false));
      }
      terms.add(
          new DeflateTerms(
              "permessage-deflate; server_max_window_bits=9; client_max_window_bits=9;"
                  + " server_no_context_takeover; client_no_context_takeover",
              9,
              9,
              true,
              true));
      terms.add(
          new DeflateTerms(
              "permessage-deflate; server_max_window_bits=7, permessage-deflate; bogus,"
                  + " permessage-deflate; server_max_window_bits=10",
              15,
              10,
              false,
              false));
      terms.add(DeflateTerms.declined("permessage-deflate; bogus_parameter"));
      terms.add(DeflateTerms.declined("permessage-deflate; server_max_window_bits=16"));
      terms.add(DeflateTerms.declined("permessage-deflate; server_max_window_bits"));
      terms.add(DeflateTerms.declined("x-webkit-deflate-frame"));
    } else {
      // The test server's answers to the client's offer (IXWebSocket's: both windows 15).
      terms.add(DeflateTerms.plain("permessage-deflate"));
      terms.add(
          new DeflateTerms("permessage-deflate; server_no_context_takeover", 15, 15, false, true));
      terms.add(
          new DeflateTerms("permessage-deflate; client_no_context_takeover", 15, 15, true, false));
      for (int bits = 8; bits <= 15; bits++) {
        terms.add(
            new DeflateTerms(
                "permessage-deflate; server_max_window_bits=" + bits, 15, bits, false, false));
        terms.add(
            new DeflateTerms(
                "permessage-deflate; client_max_window_bits=" + bits, bits, 15, false, false));
      }
      terms.add(
          new DeflateTerms(
              "permessage-deflate; server_no_context_takeover; client_no_context_takeover;"
                  + " server_max_window_bits=9; client_max_window_bits=9",
              9,
              9,
              true,
              true));
    }
    for (int i = 0; i < terms.size(); i++) {
      DeflateTerms term = terms.get(i);
      String id = "13." + (term.accepted() ? "1." : "2.") + (i + 1);
      if (!term.accepted()) {
        add(
            id,
            "Offer '" + term.header() + "', which the server must decline",
            "declined (no Sec-WebSocket-Extensions); an uncompressed echo; clean close",
            NORMAL,
            (peer, t) -> {
              peer.send(text("plain"));
              return Judge.echo(peer, List.of(WireEvent.text("plain")), t);
            },
            term);
        continue;
      }
      deflateEcho(
          id,
          (role == Role.SERVER ? "Offer '" : "Answer '") + term.header() + "': " + term,
          term,
          peer -> List.of(words(1000, 1), words(16384, 2), words(65536, 3), words(1000, 1)),
          OP_TEXT);
    }
    if (role == Role.CLIENT) {
      String head =
          "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
      String[] refused = {
        "permessage-deflate; client_max_window_bits",
        "permessage-deflate; server_max_window_bits=16",
        "permessage-deflate; server_max_window_bits=7",
        "permessage-deflate; bogus_parameter",
        "permessage-deflate; server_no_context_takeover=1",
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
        "permessage-deflate, permessage-deflate"
      };
      for (int i = 0; i < refused.length; i++) {
        String answer = refused[i];
        refused(
            "13.3." + (i + 1),
            "101 accepting deflate with '" + answer + "', which the offer did not allow",
            key -> head + accept(key) + "Sec-WebSocket-Extensions: " + answer + "\r\n\r\n");
      }
    }
  }

  private static String accept(String key) {
    return "Sec-WebSocket-Accept: " + acceptValue(key) + "\r\n";
  }

  private static String acceptValue(String key) {
    return RawWebSocketClient.acceptFor(key);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
