package dev.ixws.testkit.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A seeded mutation fuzzer run as a plain JUnit test: every corpus input first, then inputs from a
 * {@link Mutator} until the time budget or the case limit is reached. A target is a {@code
 * Consumer<byte[]>} that throws (an {@link AssertionError} usually) when a property breaks.
 *
 * <p>Reproducible: the seed is logged at the start and put in the failure message, and {@code
 * -Dixws.fuzz.seed=N} replays a run. The failing input is also written to {@code
 * target/fuzz-findings/<target>/<sha1>} so it can be added to the corpus as it is.
 *
 * <p>The budget is {@code -Dixws.fuzz.seconds} per target (default {@link #DEFAULT_SECONDS}).
 */
public final class Fuzzing {

  /** The system property holding the time budget of each target, in seconds. */
  public static final String SECONDS_PROPERTY = "ixws.fuzz.seconds";

  /** The system property holding the seed of the mutations (random when absent). */
  public static final String SEED_PROPERTY = "ixws.fuzz.seed";

  /** The budget of each target in a plain {@code mvn verify}, in seconds. */
  public static final int DEFAULT_SECONDS = 3;

  private static final Logger log = LoggerFactory.getLogger(Fuzzing.class);

  private Fuzzing() {}

  /** One corpus input and where it came from. */
  public record Input(String name, byte[] bytes) {}

  /** What a run did. */
  public record Report(
      String target, long seed, int corpusCases, long mutatedCases, Duration took) {}

  /** The time budget of each target: {@code -Dixws.fuzz.seconds}, or the default. */
  public static Duration budget() {
    return Duration.ofSeconds(Long.getLong(SECONDS_PROPERTY, DEFAULT_SECONDS));
  }

  /**
   * Every file of the test-resource directory {@code directory} (relative to {@code anchor}'s
   * package, as {@link Class#getResource} reads it), sorted by name.
   */
  public static List<Input> corpus(Class<?> anchor, String directory) {
    URL url = anchor.getResource(directory);
    if (url == null) {
      throw new IllegalStateException("no corpus directory " + directory + " next to " + anchor);
    }
    try (Stream<Path> files = Files.list(Paths.get(url.toURI()))) {
      List<Input> inputs = new ArrayList<>();
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        inputs.add(new Input(file.getFileName().toString(), Files.readAllBytes(file)));
      }
      if (inputs.isEmpty()) {
        throw new IllegalStateException("empty corpus directory " + url);
      }
      return inputs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs {@code target} on every input of {@code corpus}, then on mutations of them until {@link
   * #budget()} has passed or {@code maxCases} inputs were run in all.
   *
   * @throws AssertionError naming the seed, the case and the input when {@code target} throws
   */
  public static Report run(
      String name, List<Input> corpus, long maxCases, Consumer<byte[]> target) {
    long seed = Long.getLong(SEED_PROPERTY, new Random().nextLong());
    Duration budget = budget();
    log.info("fuzzing {} for {} s with -D{}={}", name, budget.toSeconds(), SEED_PROPERTY, seed);
    long start = System.nanoTime();
    long deadline = start + budget.toNanos();
    for (Input input : corpus) {
      runCase(name, seed, "corpus file " + input.name(), input.bytes(), target);
    }
    Mutator mutator = new Mutator(new Random(seed), corpus.stream().map(Input::bytes).toList());
    long mutated = 0;
    while (System.nanoTime() < deadline && corpus.size() + mutated < maxCases) {
      byte[] input = mutator.next();
      runCase(name, seed, "mutation " + mutated, input, target);
      mutated++;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    log.info(
        "fuzzed {}: {} corpus and {} mutated inputs in {} ms",
        name,
        corpus.size(),
        mutated,
        took.toMillis());
    return new Report(name, seed, corpus.size(), mutated, took);
  }

  private static void runCase(
      String name, long seed, String which, byte[] input, Consumer<byte[]> target) {
    try {
      target.accept(input);
    } catch (RuntimeException | AssertionError e) {
      Path saved = save(name, input);
      String hex = HexFormat.of().formatHex(input, 0, Math.min(input.length, 128));
      throw new AssertionError(
          name
              + " failed on "
              + which
              + " (-D"
              + SEED_PROPERTY
              + "="
              + seed
              + "), input saved to "
              + saved
              + " ("
              + input.length
              + " bytes): "
              + hex
              + (input.length > 128 ? "..." : "")
              + "\n"
              + e,
          e);
    }
  }

  /** Writes {@code input} to {@code target/fuzz-findings/<name>/<sha1>}; returns the path. */
  private static Path save(String name, byte[] input) {
    try {
      String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(input));
      Path dir = Paths.get("target", "fuzz-findings", name);
      Files.createDirectories(dir);
      Path file = dir.resolve("finding-" + sha1);
      Files.write(file, input);
      return file.toAbsolutePath();
    } catch (IOException | NoSuchAlgorithmException e) {
      return Paths.get("(not saved: " + e + ")");
    }
  }
}
