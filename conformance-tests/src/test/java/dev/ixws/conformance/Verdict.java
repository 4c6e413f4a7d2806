package dev.ixws.conformance;

/**
 * A case's verdict, with the Autobahn|Testsuite's meanings: {@code OK} the RFC's required
 * behaviour; {@code NON-STRICT} allowed but not the strictest (a failure detected late, a close
 * code that is accepted but not the preferred one); {@code INFORMATIONAL} the RFC leaves it open,
 * the behaviour is only recorded; {@code UNIMPLEMENTED} the feature does not exist yet; {@code
 * FAILED} the RFC is violated.
 */
enum Verdict {
  OK("OK"),
  NON_STRICT("NON-STRICT"),
  INFORMATIONAL("INFORMATIONAL"),
  UNIMPLEMENTED("UNIMPLEMENTED"),
  FAILED("FAILED");

  private final String label;

  Verdict(String label) {
    this.label = label;
  }

  /** Whether this verdict is worse than {@code other} (OK, INFORMATIONAL, NON-STRICT, FAILED). */
  boolean worseThan(Verdict other) {
    return rank() > other.rank();
  }

  private int rank() {
    return switch (this) {
      case OK, UNIMPLEMENTED -> 0;
      case INFORMATIONAL -> 1;
      case NON_STRICT -> 2;
      case FAILED -> 3;
    };
  }

  /** The name Autobahn prints. */
  String label() {
    return label;
  }
}
