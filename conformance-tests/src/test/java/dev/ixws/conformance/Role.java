package dev.ixws.conformance;

/** Which side of the library a case tests, as Autobahn's "fuzzingclient" and "fuzzingserver". */
enum Role {
  /** Our {@code WebSocketServer}, driven by a raw test client. */
  SERVER("server"),
  /** Our {@code WebSocket} client in echo mode, driven by the test fuzzing server. */
  CLIENT("client");

  private final String label;

  Role(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  /** Whether the raw test peer masks its frames: a client must, a server must not. */
  boolean testPeerMasks() {
    return this == SERVER;
  }
}
