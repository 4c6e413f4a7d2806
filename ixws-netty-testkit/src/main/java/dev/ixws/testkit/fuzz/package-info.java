/**
 * A seeded mutation fuzzer that runs as a plain JUnit test ({@link dev.ixws.testkit.fuzz.Fuzzing},
 * {@link dev.ixws.testkit.fuzz.Mutator}) and the checks the fuzz targets share: an allocator that
 * tracks every buffer ({@link dev.ixws.testkit.internal.TrackingAllocator}) and a capture of the
 * exceptions our handlers swallow ({@link dev.ixws.testkit.fuzz.CaughtExceptions}). Used by one
 * test thread at a time.
 */
package dev.ixws.testkit.fuzz;
