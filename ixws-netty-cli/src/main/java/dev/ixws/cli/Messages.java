package dev.ixws.cli;

import dev.ixws.WebSocketCloseInfo;
import dev.ixws.WebSocketErrorInfo;

/** How the commands print the library's events, so every command words them the same way. */
final class Messages {

  private Messages() {}

  /** {@code code 1000 reason "Normal closure"}. */
  static String describe(WebSocketCloseInfo closeInfo) {
    return "code " + closeInfo.code() + " reason \"" + closeInfo.reason() + "\"";
  }

  /** The error's reason, then {@code (http status N)} when the server answered with a status. */
  static String describe(WebSocketErrorInfo errorInfo) {
    return errorInfo.httpStatus() == 0
        ? errorInfo.reason()
        : errorInfo.reason() + " (http status " + errorInfo.httpStatus() + ")";
  }
}
