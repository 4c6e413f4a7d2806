/**
 * JMH micro-benchmarks of the library's per-message hot paths (frame decode through the production
 * session pipeline, frame encode, UTF-8 validation, message objects), run from the shaded {@code
 * benchmarks.jar}; see {@code docs/benchmarks.md}.
 */
package dev.ixws.benchmarks.jmh;
