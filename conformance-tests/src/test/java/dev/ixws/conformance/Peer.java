package dev.ixws.conformance;

import dev.ixws.testkit.RawConnection;
import dev.ixws.testkit.RawDeflate;
import dev.ixws.testkit.RawFrames;
import dev.ixws.testkit.WsFrame;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw test peer of one case: the test client when our server is tested, the test fuzzing server
 * when our client is. It sends frames masked as its role requires (unless a case asks otherwise),
 * reads what the implementation sends back as {@link WireEvent}s (fragments joined), and notes
 * every frame that breaks the RFC (wrong masking, reserved bits or opcodes, bad fragmentation).
 *
 * <p>One thread drives it. Write failures are noted, not thrown: an implementation that fails the
 * connection may close it while the peer is still writing, and what it sent before is still read.
 */
final class Peer {

  private final RawConnection connection;
  private final Role role;
  private final List<String> violations = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private ByteArrayOutputStream partial;
  private boolean partialBinary;
  private boolean partialCompressed;
  private boolean ended;
  // With per-message deflate: how the peer compresses, and how it inflates the implementation's.
  private RawDeflate.Compressor compressor;
  private RawDeflate.Decompressor decompressor;
  private int peerBits;

  Peer(RawConnection connection, Role role) {
    this.connection = connection;
    this.role = role;
  }

  Role role() {
    return role;
  }

  /**
   * From now on the connection uses per-message deflate on {@code terms}: {@link #compressed} makes
   * frames within the peer's own window, and messages from the implementation marked with RSV1 are
   * inflated with exactly its window (a stream reaching further back fails to inflate, which is a
   * violation).
   */
  void useDeflate(DeflateTerms terms) {
    boolean peerIsServer = role == Role.CLIENT; // the peer is the server when our client is tested
    peerBits = terms.bits(peerIsServer);
    compressor = new RawDeflate.Compressor(terms.bits(peerIsServer), terms.noContext(peerIsServer));
    decompressor =
        new RawDeflate.Decompressor(terms.bits(!peerIsServer), terms.noContext(!peerIsServer));
  }

  /** {@code data} compressed by the peer's compressor (its context moves on). */
  byte[] compress(byte[] data) {
    return compressor.compress(data);
  }

  /**
   * A whole message compressed by the peer: one frame with RSV1. With an 8-bit window, which zlib
   * cannot make, the message goes uncompressed (as RFC 7692 allows any message to).
   */
  WsFrame compressed(int opcode, byte[] data) {
    if (peerBits < 9) {
      return new WsFrame(true, 0, opcode, false, data);
    }
    return new WsFrame(true, 4, opcode, false, compress(data));
  }

  /** The frame as this peer's role sends it: masked by the test client, unmasked by the server. */
  WsFrame normal(WsFrame frame) {
    return new WsFrame(
        frame.fin(), frame.rsv(), frame.opcode(), role.testPeerMasks(), frame.payload());
  }

  /** Sends {@code frames} masked as the role requires, in one write ({@code chunk} 0) or chunks. */
  void send(List<WsFrame> frames, int chunk) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (WsFrame frame : frames) {
      bytes.writeBytes(RawFrames.encode(normal(frame)));
    }
    write(bytes.toByteArray(), chunk);
  }

  /** Sends one frame masked as the role requires. */
  void send(WsFrame frame) {
    send(List.of(frame), 0);
  }

  /** Sends {@code frame} exactly as given, masked or not. */
  void sendAsIs(WsFrame frame) {
    write(RawFrames.encode(frame), 0);
  }

  /** Writes raw bytes, {@code chunk} at a time (all at once when 0). */
  void write(byte[] bytes, int chunk) {
    try {
      if (chunk <= 0) {
        connection.write(bytes);
      } else {
        connection.writeInChunks(bytes, chunk);
      }
    } catch (IOException e) {
      note("write failed (" + e.getMessage() + ")");
    }
  }

  /** Adds a remark to what is reported as observed. */
  void note(String note) {
    if (!notes.contains(note)) {
      notes.add(note);
    }
  }

  List<String> notes() {
    return notes;
  }

  /** RFC violations seen in the implementation's frames. */
  List<String> violations() {
    return violations;
  }

  /**
   * The next event: a whole message, ping, pong or close frame, the end of TCP, or TIMEOUT when
   * nothing complete arrives within {@code timeout}.
   */
  WireEvent next(Duration timeout) {
    if (ended) {
      return WireEvent.of(WireEvent.Kind.TCP_CLOSED);
    }
    try {
      connection.setReadTimeout(timeout);
      while (true) {
        WsFrame frame = connection.readFrame();
        WireEvent event = accept(frame);
        if (event != null) {
          return event;
        }
      }
    } catch (SocketTimeoutException e) {
      return WireEvent.of(WireEvent.Kind.TIMEOUT);
    } catch (EOFException | SocketException e) {
      ended = true;
      return WireEvent.of(WireEvent.Kind.TCP_CLOSED);
    } catch (IOException e) {
      ended = true;
      violations.add("unreadable frame: " + e.getMessage());
      return WireEvent.of(WireEvent.Kind.TCP_CLOSED);
    }
  }

  private WireEvent accept(WsFrame frame) {
    boolean mustMask = role == Role.CLIENT; // frames from our client must be masked
    if (frame.masked() != mustMask) {
      violations.add(
          "a frame from the " + role.label() + " was " + (frame.masked() ? "masked" : "unmasked"));
    }
    boolean firstDataFrame =
        frame.opcode() == WsFrame.OP_TEXT || frame.opcode() == WsFrame.OP_BINARY;
    if (frame.rsv() != 0 && !(frame.rsv() == 4 && decompressor != null && firstDataFrame)) {
      violations.add(
          "a frame had reserved bits "
              + frame.rsv()
              + (decompressor == null ? "" : " (opcode " + frame.opcode() + ")"));
    }
    switch (frame.opcode()) {
      case WsFrame.OP_TEXT, WsFrame.OP_BINARY -> {
        if (partial != null) {
          violations.add("a new message started inside a fragmented one");
        }
        boolean compressedMessage = frame.rsv() == 4 && decompressor != null;
        if (frame.fin()) {
          partial = null;
          return new WireEvent(
              WireEvent.Kind.MESSAGE,
              frame.opcode() == WsFrame.OP_BINARY,
              compressedMessage ? inflate(frame.payload()) : frame.payload());
        }
        partial = new ByteArrayOutputStream();
        partial.writeBytes(frame.payload());
        partialBinary = frame.opcode() == WsFrame.OP_BINARY;
        partialCompressed = compressedMessage;
        return null;
      }
      case WsFrame.OP_CONTINUATION -> {
        if (partial == null) {
          violations.add("a continuation frame without a message");
          return null;
        }
        partial.writeBytes(frame.payload());
        if (!frame.fin()) {
          return null;
        }
        byte[] payload = partial.toByteArray();
        WireEvent message =
            new WireEvent(
                WireEvent.Kind.MESSAGE,
                partialBinary,
                partialCompressed ? inflate(payload) : payload);
        partial = null;
        return message;
      }
      case WsFrame.OP_PING -> {
        return new WireEvent(WireEvent.Kind.PING, false, frame.payload());
      }
      case WsFrame.OP_PONG -> {
        return new WireEvent(WireEvent.Kind.PONG, false, frame.payload());
      }
      case WsFrame.OP_CLOSE -> {
        return new WireEvent(WireEvent.Kind.CLOSE, false, frame.payload());
      }
      default -> {
        violations.add("a frame with reserved opcode " + frame.opcode());
        return null;
      }
    }
  }

  /** The implementation's compressed message inflated; a violation (and no bytes) if it fails. */
  private byte[] inflate(byte[] payload) {
    try {
      return decompressor.inflate(payload);
    } catch (IllegalStateException e) {
      violations.add("a compressed message did not inflate: " + e.getMessage());
      return new byte[0];
    }
  }

  /**
   * After the close handshake: the server must close TCP first (RFC 6455 7.1.1), so the test client
   * waits for it; the test server closes it.
   *
   * @return null when fine, otherwise what went wrong
   */
  String finishAfterClose() throws IOException {
    if (role == Role.SERVER) {
      if (ended || connection.awaitPeerClose(Duration.ofSeconds(3))) {
        ended = true;
        return null;
      }
      return "the server did not close TCP within 3 s after the close handshake";
    }
    connection.close();
    return null;
  }

  void close() throws IOException {
    connection.close();
  }
}
