package dev.ixws;

import java.util.Objects;

/**
 * The result of a server's {@code listen()}: IXWebSocket's {@code std::pair<bool, std::string>}
 * with names.
 *
 * @param ok whether the server is bound and listening
 * @param errorMessage why binding failed (e.g. the address is in use); empty when {@code ok}
 */
public record ListenResult(boolean ok, String errorMessage) {

  /** Checks that the error message is not null. */
  public ListenResult {
    Objects.requireNonNull(errorMessage, "errorMessage");
  }
}
