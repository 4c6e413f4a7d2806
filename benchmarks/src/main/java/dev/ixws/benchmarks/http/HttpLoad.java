package dev.ixws.benchmarks.http;

import dev.ixws.http.HttpClient;
import dev.ixws.http.HttpRequestArgs;
import dev.ixws.http.HttpResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop HTTP/1.1 keep-alive load: {@code --concurrency} requests always in flight (each
 * completion starts the next), GET of {@code --url} for {@code --duration} seconds after a warm-up,
 * through one of three clients: ours ({@code ixws}, {@link HttpClient} in async mode), the JDK's
 * {@code java.net.http.HttpClient} ({@code jdk}) or OkHttp 5 ({@code okhttp}). Prints one JSON
 * line: requests/s, latency percentiles in microseconds, errors (a status other than 200 or a
 * failure), the client's live threads at the end and its CPU in percent of one core.
 *
 * <p>Run by {@code benchmarks/http-bench.sh}, which starts nginx and alternates the clients.
 */
public final class HttpLoad {

  private final String url;
  private final int concurrency;
  private final ConcurrentHistogram latency = new ConcurrentHistogram(3);
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicBoolean measuring = new AtomicBoolean();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private volatile String firstError;

  private HttpLoad(String url, int concurrency) {
    this.url = url;
    this.concurrency = concurrency;
  }

  /** One client's way of sending a GET and calling back once with (ok, detail). */
  private interface Driver {
    void get(Consumer<String> done); // null on success, else what went wrong
  }

  public static void main(String[] args) throws Exception {
    String client = "ixws";
    String url = null;
    int concurrency = 64;
    int duration = 10;
    int warmup = 2;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--client" -> client = args[++i];
        case "--url" -> url = args[++i];
        case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
        case "--duration" -> duration = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (url == null) {
      throw new IllegalArgumentException("--url is required");
    }
    HttpLoad load = new HttpLoad(url, concurrency);
    System.out.println(load.run(client, duration, warmup));
    System.exit(0);
  }

  private String run(String client, int durationSecs, int warmupSecs) throws Exception {
    AutoCloseable closer;
    Driver driver;
    switch (client) {
      case "ixws" -> {
        HttpClient http = new HttpClient(true);
        http.setMaxConnectionsPerHost(concurrency);
        driver =
            done -> {
              HttpRequestArgs args = http.createRequest(url, HttpClient.GET);
              http.performRequestAsync(args).thenAccept(r -> done.accept(problem(r)));
            };
        closer = http;
      }
      case "jdk" -> {
        java.net.http.HttpClient http =
            java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).GET().build();
        driver =
            done ->
                http.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.ofByteArray())
                    .whenComplete(
                        (r, e) ->
                            done.accept(
                                e != null
                                    ? e.toString()
                                    : r.statusCode() == 200 ? null : "status " + r.statusCode()));
        closer = () -> {};
      }
      case "okhttp" -> {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(concurrency);
        dispatcher.setMaxRequestsPerHost(concurrency);
        OkHttpClient http = new OkHttpClient.Builder().dispatcher(dispatcher).build();
        Request request = new Request.Builder().url(url).build();
        driver =
            done ->
                http.newCall(request)
                    .enqueue(
                        new Callback() {
                          @Override
                          public void onFailure(Call call, IOException e) {
                            done.accept(e.toString());
                          }

                          @Override
                          public void onResponse(Call call, Response response) {
                            try (response) {
                              response.body().bytes();
                              done.accept(
                                  response.code() == 200 ? null : "status " + response.code());
                            } catch (IOException e) {
                              done.accept(e.toString());
                            }
                          }
                        });
        closer =
            () -> {
              dispatcher.executorService().shutdown();
              http.connectionPool().evictAll();
            };
      }
      default -> throw new IllegalArgumentException("unknown client " + client);
    }
    for (int i = 0; i < concurrency; i++) {
      loop(driver);
    }
    TimeUnit.SECONDS.sleep(warmupSecs);
    latency.reset();
    long before = completed.get();
    long errorsBefore = errors.get();
    long cpuBefore = cpuNanos();
    long start = System.nanoTime();
    measuring.set(true);
    TimeUnit.SECONDS.sleep(durationSecs);
    measuring.set(false);
    long nanos = System.nanoTime() - start;
    long cpu = cpuNanos() - cpuBefore;
    long requests = completed.get() - before;
    int threads = Thread.activeCount();
    running.set(false);
    Histogram h = latency.copy();
    String json =
        String.format(
            Locale.ROOT,
            "{\"client\":\"%s\",\"concurrency\":%d,\"requests\":%d,\"requestsPerSec\":%.1f,"
                + "\"latencyMicros\":{\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"max\":%.1f},"
                + "\"errors\":%d,\"firstError\":%s,\"threads\":%d,\"cpuPercent\":%.1f}",
            client,
            concurrency,
            requests,
            requests * 1e9 / nanos,
            h.getValueAtPercentile(50) / 1e3,
            h.getValueAtPercentile(90) / 1e3,
            h.getValueAtPercentile(99) / 1e3,
            h.getMaxValue() / 1e3,
            errors.get() - errorsBefore,
            firstError == null ? "null" : "\"" + firstError.replace("\"", "'") + "\"",
            threads,
            cpu * 100.0 / nanos);
    closer.close();
    return json;
  }

  /** Sends one request; its completion records it and sends the next while running. */
  private void loop(Driver driver) {
    long sent = System.nanoTime();
    driver.get(
        problem -> {
          if (measuring.get()) {
            latency.recordValue(Math.max(0, System.nanoTime() - sent));
          }
          completed.incrementAndGet();
          if (problem != null) {
            errors.incrementAndGet();
            if (firstError == null) {
              firstError = problem;
            }
          }
          if (running.get()) {
            loop(driver);
          }
        });
  }

  private static String problem(HttpResponse response) {
    if (response.errorCode() != dev.ixws.http.HttpErrorCode.OK) {
      return response.errorCode() + ": " + response.errorMsg();
    }
    return response.statusCode() == 200 ? null : "status " + response.statusCode();
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
