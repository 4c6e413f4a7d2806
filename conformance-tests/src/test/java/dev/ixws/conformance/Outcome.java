package dev.ixws.conformance;

/**
 * What one run of a case concluded.
 *
 * @param verdict the verdict
 * @param observed what the implementation did (echoes, close code, connection failed), readable
 */
record Outcome(Verdict verdict, String observed) {

  static Outcome ok(String observed) {
    return new Outcome(Verdict.OK, observed);
  }

  static Outcome failed(String observed) {
    return new Outcome(Verdict.FAILED, observed);
  }

  /** This outcome with its verdict lowered to {@code other} if that is worse, noting why. */
  Outcome orWorse(Verdict other, String why) {
    return other.worseThan(verdict) ? new Outcome(other, observed + "; " + why) : this;
  }

  /** This outcome with {@code what} put before what was observed. */
  Outcome prefixed(String what) {
    return new Outcome(verdict, what + "; " + observed);
  }
}
