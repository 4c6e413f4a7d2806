package dev.ixws.internal.codec;

import static dev.ixws.WebSocketCloseConstants.INVALID_FRAME_PAYLOAD_DATA_CODE;
import static dev.ixws.WebSocketCloseConstants.MESSAGE_TOO_BIG_CODE;
import static dev.ixws.WebSocketCloseConstants.PROTOCOL_ERROR_CODE;

import dev.ixws.WebSocketCloseConstants;
import dev.ixws.WebSocketMessage;
import dev.ixws.internal.deflate.MessageInflater;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;

/**
 * Reads RFC 6455 frames from the byte stream and hands the session whole messages, already
 * reassembled, unmasked and checked: a {@link WebSocketMessage} of type {@code MESSAGE}, {@code
 * FRAGMENT} (one per non-final frame, as IXWebSocket reports them), {@code PING} or {@code PONG}; a
 * {@link Close}; or a {@link Violation} naming the close code (1002, 1007, 1009) the connection
 * must fail with, after which the rest of the input is dropped.
 *
 * <p>It replaces Netty's {@code WebSocket08FrameDecoder}, {@code Utf8FrameValidator} and a separate
 * reassembly step, which together copy a payload three times and unmask and validate it through the
 * {@code ByteBuf} API one byte or long at a time. Here a frame's payload is copied once, as it
 * arrives, from the socket's buffer straight into the message's {@code byte[]}, then unmasked and
 * validated there eight bytes at a time; a big frame never waits whole in a cumulation buffer. Text
 * is validated as it arrives, so invalid UTF-8 fails the connection at the first bad byte even
 * inside a frame, and the size limit is checked from the frame header, before the payload is read.
 *
 * <p>Memory follows what the peer sends, not what it declares: a message buffer is sized from the
 * bytes that have arrived (exactly, when a whole frame is in one read), grows geometrically as more
 * come, and never holds more than twice what arrived plus {@link #RESERVE_AHEAD}; so a peer that
 * sent a header declaring a megabyte and 8 bytes of payload costs 8 bytes. While a message waits
 * for more bytes its buffer is charged to a {@link ReceiveBudget} shared by the connections of a
 * server; a charge that would exceed it fails the connection with 1009.
 *
 * <p>Event-loop confined, one per connection. It holds no Netty buffer between reads beyond the few
 * header bytes of an incomplete frame (in the decoder's cumulation), so nothing can leak; the
 * budget charge is given back on every path out of a message (delivered, violation, close frame,
 * channel inactive, handler removed).
 */
public final class FrameReader extends ByteToMessageDecoder implements WebSocketFrameDecoder {

  /** A close frame from the peer: {@code code} is -1 when it carried no status code. */
  public record Close(int code, String reason) {}

  /**
   * The peer broke the protocol: fail the connection with {@code code} and {@code reason}; {@code
   * decompressionError} when a compressed message could not be inflated.
   */
  public record Violation(int code, String reason, boolean decompressionError) {
    /** A violation that is not a decompression error. */
    public Violation(int code, String reason) {
      this(code, reason, false);
    }
  }

  /**
   * How far beyond the bytes received a message buffer may be sized when that reaches the end of
   * the frame, saving a copy for a frame split over two reads. Beyond it the buffer grows by at
   * most what has arrived: a declared length alone reserves nothing.
   */
  static final int RESERVE_AHEAD = 16 * 1024;

  /** The payload bytes copied, unmasked and validated in one go: well within a core's L2 cache. */
  private static final int CHUNK = 32 * 1024;

  private static final byte[] NO_BYTES = new byte[0];
  // Where a compressed frame's bytes are unmasked before they are inflated: one per event loop.
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[CHUNK]);
  private static final int RSV1 = 0x40;
  private static final int OP_CONTINUATION = 0;
  private static final int OP_TEXT = 1;
  private static final int OP_BINARY = 2;
  private static final int OP_CLOSE = 8;
  private static final int OP_PING = 9;
  private static final int OP_PONG = 10;

  private enum State {
    HEADER,
    PAYLOAD,
    /**
     * After a close frame or a violation: nothing more is read (RFC 6455 sections 5.5.1, 7.1.7).
     */
    DONE
  }

  private final boolean expectMasked;
  private final int maxMessageSize;
  private final ReceiveBudget budget;
  // Null when per-message deflate was not negotiated.
  private final MessageInflater inflater;
  private State state = State.HEADER;

  // The frame being read.
  private boolean fin;
  private int opcode;
  private boolean masked;
  private int mask;
  private int frameLength;
  private int frameRead;
  private long frameWireSize;
  private byte[] control = NO_BYTES;

  // The data message being assembled across frames.
  private boolean inMessage;
  private boolean binary;
  private byte[] message = NO_BYTES;
  private int messageLength;
  private long messageWireSize;
  // What of message.length is charged to the budget: only a message held between reads is.
  private int charged;
  private final Utf8Validator utf8 = new Utf8Validator();
  // Whether the message is compressed (RSV1 on its first frame), and its bytes on the wire so far.
  private boolean compressed;
  private long compressedLength;

  /**
   * A reader for one side of a connection.
   *
   * @param expectMasked true on a server (a client must mask every frame), false on a client (a
   *     server must not mask any); a frame that disagrees fails with 1002
   * @param maxMessageSize the largest message accepted, whole or reassembled; 1009 beyond it
   * @param budget what the messages waiting for more bytes may hold, shared with other readers;
   *     1009 beyond it
   * @param inflater inflates the messages marked compressed when per-message deflate was negotiated
   *     (RFC 7692); null when it was not, and RSV1 is then a protocol error
   */
  public FrameReader(
      boolean expectMasked, int maxMessageSize, ReceiveBudget budget, MessageInflater inflater) {
    this.expectMasked = expectMasked;
    this.maxMessageSize = maxMessageSize;
    this.budget = budget;
    this.inflater = inflater;
  }

  /** A reader without per-message deflate. */
  public FrameReader(boolean expectMasked, int maxMessageSize, ReceiveBudget budget) {
    this(expectMasked, maxMessageSize, budget, null);
  }

  /** A reader with no shared budget ({@link ReceiveBudget#UNLIMITED}). */
  public FrameReader(boolean expectMasked, int maxMessageSize) {
    this(expectMasked, maxMessageSize, ReceiveBudget.UNLIMITED);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (state != State.DONE) {
      if (state == State.HEADER) {
        if (!readHeader(in, out)) {
          break;
        }
      } else if (in.isReadable()) {
        readPayload(in, out);
      } else {
        break;
      }
    }
    if (inMessage && message.length != charged) {
      chargeBudget(out);
    }
    if (state == State.DONE) {
      in.skipBytes(in.readableBytes());
    }
  }

  /**
   * The message waits for more bytes: charges its buffer's growth since the last read to the
   * budget, or fails the connection with 1009 if the budget cannot take it.
   */
  private void chargeBudget(List<Object> out) {
    if (budget.tryCharge(message.length - charged)) {
      charged = message.length;
    } else {
      violation(out, MESSAGE_TOO_BIG_CODE, budget.exhaustedReason());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    try {
      super.channelInactive(ctx);
    } finally {
      endMessage(); // gives the partial message's charge back
      endInflater();
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    endMessage();
    endInflater();
  }

  private void endInflater() {
    if (inflater != null) {
      inflater.end();
    }
  }

  /** The bytes this reader holds for the message and control frame in progress (for tests). */
  int heldBytes() {
    return message.length + control.length;
  }

  /** Reads one frame header if it is all there; false if more bytes are needed or it failed. */
  private boolean readHeader(ByteBuf in, List<Object> out) {
    if (in.readableBytes() < 2) {
      return false;
    }
    int start = in.readerIndex();
    int b0 = in.getUnsignedByte(start);
    int b1 = in.getUnsignedByte(start + 1);
    int length7 = b1 & 0x7F;
    boolean isMasked = (b1 & 0x80) != 0;
    int lengthEnd = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0);
    int headerLength = lengthEnd + (isMasked ? 4 : 0);
    // Checked as soon as the length is there: an oversized frame fails before its mask arrives.
    if (in.readableBytes() < lengthEnd) {
      return false;
    }
    boolean isFin = (b0 & 0x80) != 0;
    int op = b0 & 0x0F;
    int rsv = b0 & 0x70;
    String problem = checkFirstBytes(rsv, op, isFin, isMasked, length7);
    if (problem != null) {
      return protocolError(out, problem);
    }
    boolean frameCompressed = op == OP_CONTINUATION ? compressed : rsv == RSV1;
    long length = length7;
    if (length7 == 126) {
      length = in.getUnsignedShort(start + 2);
      if (length < 126) {
        return protocolError(out, "frame length " + length + " not minimally encoded");
      }
    } else if (length7 == 127) {
      length = in.getLong(start + 2);
      if (length < 0) {
        return protocolError(out, "frame length with the most significant bit set");
      }
      if (length <= 0xFFFF) {
        return protocolError(out, "frame length " + length + " not minimally encoded");
      }
    }
    // Subtract rather than add: a declared length near 2^63 would overflow the sum. A compressed
    // message is bounded again as it inflates; its wire bytes may exceed the limit by deflate's
    // overhead on incompressible data.
    if (frameCompressed && length > maxCompressedSize() - compressedLength) {
      return violation(
          out,
          MESSAGE_TOO_BIG_CODE,
          "Message too big: compressed, over the limit of " + maxMessageSize + " bytes");
    }
    if (!frameCompressed && op < OP_CLOSE && length > (long) maxMessageSize - messageLength) {
      return violation(
          out,
          MESSAGE_TOO_BIG_CODE,
          "Message too big: over the limit of " + maxMessageSize + " bytes");
    }
    if (in.readableBytes() < headerLength) {
      return false;
    }
    fin = isFin;
    opcode = op;
    masked = isMasked;
    mask = isMasked ? in.getInt(start + headerLength - 4) : 0;
    frameLength = (int) length;
    frameRead = 0;
    frameWireSize = headerLength + length;
    in.skipBytes(headerLength);
    if (op >= OP_CLOSE) {
      control = frameLength == 0 ? NO_BYTES : new byte[frameLength];
    } else if (op != OP_CONTINUATION) {
      inMessage = true;
      binary = op == OP_BINARY;
      messageLength = 0;
      messageWireSize = 0;
      utf8.reset();
      compressed = frameCompressed;
      compressedLength = 0;
    }
    state = State.PAYLOAD;
    if (frameLength == 0) {
      endFrame(out);
    }
    return state != State.DONE;
  }

  /** What is wrong with a frame's first two bytes, or null if nothing is. */
  private String checkFirstBytes(int rsv, int op, boolean isFin, boolean isMasked, int length7) {
    if (rsv == RSV1 && inflater != null) {
      // RFC 7692 section 6.1: RSV1 marks the first frame of a compressed message, nothing else.
      if (op == OP_CONTINUATION) {
        return "RSV1 set on a continuation frame";
      }
      if (op >= OP_CLOSE && op <= OP_PONG) {
        return "RSV1 set on a control frame (opcode " + op + ")";
      }
    } else if (rsv != 0) {
      return inflater == null
          ? "reserved bits set (" + (rsv >> 4) + ") but no extension was negotiated"
          : "reserved bits set (" + (rsv >> 4) + "): only RSV1 is used, by per-message deflate";
    }
    if (isMasked != expectMasked) {
      return expectMasked ? "a client frame must be masked" : "a server frame must not be masked";
    }
    switch (op) {
      case OP_CLOSE, OP_PING, OP_PONG -> {
        if (!isFin) {
          return "fragmented control frame (opcode " + op + ")";
        }
        if (length7 > Frames.MAX_CONTROL_PAYLOAD) {
          return "control frame payload over " + Frames.MAX_CONTROL_PAYLOAD + " bytes";
        }
      }
      case OP_CONTINUATION -> {
        if (!inMessage) {
          return "continuation frame without a message to continue";
        }
      }
      case OP_TEXT, OP_BINARY -> {
        if (inMessage) {
          return "new data frame (opcode " + op + ") before the fragmented message ended";
        }
      }
      default -> {
        return "reserved opcode " + op;
      }
    }
    return null;
  }

  /** Copies what has arrived of the frame's payload, unmasks it and checks it. */
  private void readPayload(ByteBuf in, List<Object> out) {
    // At most a chunk at a time, so that the bytes are still in the CPU cache when they are
    // unmasked and validated right after the copy.
    int n = Math.min(Math.min(in.readableBytes(), frameLength - frameRead), CHUNK);
    if (opcode >= OP_CLOSE) {
      in.readBytes(control, frameRead, n);
      if (masked) {
        Frames.unmask(control, frameRead, n, mask, frameRead);
      }
    } else if (compressed) {
      byte[] scratch = SCRATCH.get();
      in.readBytes(scratch, 0, n);
      if (masked) {
        Frames.unmask(scratch, 0, n, mask, frameRead);
      }
      compressedLength += n;
      if (!inflater.streamEnded()) {
        inflater.setInput(scratch, 0, n);
        if (!inflateAvailable(out)) {
          return;
        }
      }
    } else {
      reserve(
          messageLength + n, messageLength + Math.min(in.readableBytes(), frameLength - frameRead));
      in.readBytes(message, messageLength, n);
      if (masked) {
        Frames.unmask(message, messageLength, n, mask, frameRead);
      }
      if (!binary && !utf8.update(message, messageLength, n)) {
        violation(out, INVALID_FRAME_PAYLOAD_DATA_CODE, "Invalid UTF-8 in a text message");
        return;
      }
      messageLength += n;
    }
    frameRead += n;
    if (frameRead == frameLength) {
      endFrame(out);
    }
  }

  /**
   * Makes room for {@code needed} bytes of message, sized from the {@code arrived} bytes (those of
   * this message received so far, including the rest of this frame in the current read), never from
   * the declared length: at least all that arrived (exactly the frame when it is all there),
   * doubling the buffer as bytes keep coming, the end of the frame when it is within {@link
   * #RESERVE_AHEAD} plus what arrived of the bytes received, and otherwise never more than {@code
   * arrived} plus the larger of the two; so never more than twice {@code arrived} plus {@link
   * #RESERVE_AHEAD}.
   */
  private void reserve(int needed, int arrived) {
    if (message.length >= needed) {
      return;
    }
    long frameEnd = (long) messageLength + (frameLength - frameRead);
    long limit = arrived + (long) Math.max(RESERVE_AHEAD, arrived);
    long capacity = Math.max(arrived, 2L * message.length);
    // The end within reach is taken at once, even a little beyond twice what arrived: a frame
    // that ends just past a doubling (a 1 MiB frame in 64 KiB reads, whose header leaves the
    // eighth read 14 bytes short of half) would otherwise pay one more full copy at its end.
    if (frameEnd <= 2L * arrived + RESERVE_AHEAD) {
      capacity = Math.max(capacity, frameEnd);
      limit = Math.max(limit, frameEnd);
    }
    capacity = Math.min(capacity, limit);
    if (fin) {
      capacity = Math.min(capacity, frameEnd); // the message ends with this frame
    }
    capacity = Math.max(needed, Math.min(capacity, maxMessageSize));
    message = Arrays.copyOf(message, (int) capacity);
  }

  private void endFrame(List<Object> out) {
    state = State.HEADER;
    switch (opcode) {
      case OP_PING -> out.add(WebSocketMessage.ping(control));
      case OP_PONG -> out.add(WebSocketMessage.pong(control));
      case OP_CLOSE -> endClose(out);
      default -> endDataFrame(out);
    }
  }

  private void endDataFrame(List<Object> out) {
    messageWireSize += frameWireSize;
    if (!fin) {
      out.add(WebSocketMessage.fragment(binary, frameWireSize));
      return;
    }
    if (compressed) {
      inflater.finishMessage();
      if (!inflateAvailable(out)) {
        return;
      }
    }
    if (!binary && !utf8.complete()) {
      violation(
          out, INVALID_FRAME_PAYLOAD_DATA_CODE, "Invalid UTF-8: text ends inside a character");
      return;
    }
    byte[] payload =
        message.length == messageLength ? message : Arrays.copyOf(message, messageLength);
    out.add(WebSocketMessage.message(payload, binary, messageWireSize));
    endMessage();
  }

  private void endClose(List<Object> out) {
    byte[] payload = control;
    if (payload.length == 0) {
      out.add(new Close(-1, ""));
    } else if (payload.length == 1) {
      protocolError(out, "close frame with a one-byte payload");
      return;
    } else {
      int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
      if (!WebSocketCloseConstants.isValidCloseCode(code)) {
        protocolError(out, "invalid close code " + code);
        return;
      }
      Utf8Validator reasonCheck = new Utf8Validator();
      if (!reasonCheck.update(payload, 2, payload.length - 2) || !reasonCheck.complete()) {
        violation(out, INVALID_FRAME_PAYLOAD_DATA_CODE, "Invalid UTF-8 in the close reason");
        return;
      }
      out.add(new Close(code, new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8)));
    }
    state = State.DONE;
    endMessage();
  }

  /**
   * Inflates what the inflater has been given into the message, validating text as it comes and
   * stopping at the size limit (so a decompression bomb costs at most the limit); false after a
   * violation.
   */
  private boolean inflateAvailable(List<Object> out) {
    try {
      while (!inflater.needsInput() && !inflater.streamEnded()) {
        if (messageLength == message.length) {
          growForInflation();
        }
        int start = messageLength;
        int inflated = inflater.inflate(message, start, message.length - start);
        if (inflated == 0) {
          if (inflater.needsInput() || inflater.streamEnded()) {
            break;
          }
          return violation(out, INVALID_FRAME_PAYLOAD_DATA_CODE, "Invalid compressed data", true);
        }
        messageLength += inflated;
        if (messageLength > maxMessageSize) {
          return violation(
              out,
              MESSAGE_TOO_BIG_CODE,
              "Message too big: inflates to over the limit of " + maxMessageSize + " bytes",
              true);
        }
        if (!binary && !utf8.update(message, start, inflated)) {
          return violation(out, INVALID_FRAME_PAYLOAD_DATA_CODE, "Invalid UTF-8 in a text message");
        }
      }
      return true;
    } catch (DataFormatException e) {
      return violation(
          out,
          INVALID_FRAME_PAYLOAD_DATA_CODE,
          "Invalid compressed data: " + (e.getMessage() == null ? "not deflate" : e.getMessage()),
          true);
    }
  }

  /**
   * Room for more inflated bytes: the buffer doubles (from a few times the compressed chunk) and
   * never grows past one byte over the limit, which is how the limit is seen to be crossed.
   */
  private void growForInflation() {
    // The first buffer is four times the compressed bytes so far, between 64 bytes and 1 KiB: a
    // small message no longer takes a 1 KiB array, then a trimmed copy, per message.
    long first = Math.max(64, Math.min(1024, 4L * compressedLength));
    long capacity = Math.max(2L * message.length, first);
    capacity = Math.min(capacity, Math.min((long) maxMessageSize + 1, Integer.MAX_VALUE - 8));
    message = Arrays.copyOf(message, (int) capacity);
  }

  /** The most wire bytes a compressed message may take: the limit plus deflate's overhead. */
  private long maxCompressedSize() {
    return (long) maxMessageSize + (maxMessageSize >> 8) + 1024;
  }

  /** Forgets the message in progress (delivered or not) and gives its budget charge back. */
  private void endMessage() {
    if (compressed) {
      inflater.endMessage();
      compressed = false;
    }
    compressedLength = 0;
    inMessage = false;
    message = NO_BYTES;
    messageLength = 0;
    messageWireSize = 0;
    if (charged != 0) {
      budget.release(charged);
      charged = 0;
    }
  }

  /** Reports a 1002 violation and stops reading; always false. */
  private boolean protocolError(List<Object> out, String problem) {
    return violation(out, PROTOCOL_ERROR_CODE, "Protocol error: " + problem);
  }

  /** Reports a violation and stops reading; always false (the frame is not usable). */
  private boolean violation(List<Object> out, int code, String reason) {
    return violation(out, code, reason, false);
  }

  private boolean violation(List<Object> out, int code, String reason, boolean decompressionError) {
    out.add(new Violation(code, reason, decompressionError));
    state = State.DONE;
    endMessage();
    return false;
  }
}
