package dev.ixws.conformance;

/**
 * One case's result, as it goes into the report.
 *
 * @param id Autobahn-style id, e.g. {@code 6.4.1}
 * @param description what the case sends
 * @param expectation what the RFC requires
 * @param role which side of the library was tested
 * @param verdict the verdict
 * @param observed what the implementation did
 * @param durationMillis how long the case took
 */
record CaseResult(
    String id,
    String description,
    String expectation,
    Role role,
    Verdict verdict,
    String observed,
    long durationMillis) {

  /** The family: the first component of the id ("6" for "6.4.1"). */
  String family() {
    int dot = id.indexOf('.');
    return dot < 0 ? id : id.substring(0, dot);
  }
}
