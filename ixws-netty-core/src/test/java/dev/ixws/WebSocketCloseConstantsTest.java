package dev.ixws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WebSocketCloseConstantsTest {

  /** RFC 6455 section 7.4.1 and the IANA registry: which codes may appear in a close frame. */
  private static boolean sendable(int code) {
    if (code >= 3000 && code <= 4999) {
      return true; // registered (3xxx) and private (4xxx) use
    }
    return switch (code) {
      case 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014 -> true;
      default -> false; // 1004 reserved, 1005/1006/1015 never sent, the rest unassigned
    };
  }

  @Test
  void isValidCloseCodeMatchesTheRfcForEveryTwoByteCode() {
    for (int code = 0; code <= 0xFFFF; code++) {
      assertEquals(sendable(code), WebSocketCloseConstants.isValidCloseCode(code), "code " + code);
    }
  }

  @Test
  void negativeAndOutOfRangeCodesAreInvalid() {
    assertEquals(false, WebSocketCloseConstants.isValidCloseCode(-1));
    assertEquals(false, WebSocketCloseConstants.isValidCloseCode(65536 + 1000));
  }

  @Test
  void constantsHaveTheRfcValues() {
    assertEquals(1000, WebSocketCloseConstants.NORMAL_CLOSURE_CODE);
    assertEquals(1001, WebSocketCloseConstants.GOING_AWAY_CODE);
    assertEquals(1002, WebSocketCloseConstants.PROTOCOL_ERROR_CODE);
    assertEquals(1005, WebSocketCloseConstants.NO_STATUS_CODE_ERROR_CODE);
    assertEquals(1006, WebSocketCloseConstants.ABNORMAL_CLOSE_CODE);
    assertEquals(1007, WebSocketCloseConstants.INVALID_FRAME_PAYLOAD_DATA_CODE);
    assertEquals(1009, WebSocketCloseConstants.MESSAGE_TOO_BIG_CODE);
    assertEquals(1011, WebSocketCloseConstants.INTERNAL_ERROR_CODE);
  }
}
