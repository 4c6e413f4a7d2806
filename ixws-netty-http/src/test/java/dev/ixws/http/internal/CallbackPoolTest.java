package dev.ixws.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CallbackPoolTest {

  @Test
  void sequentialTasksReuseOneThread() throws Exception {
    CallbackPool pool = new CallbackPool(8, 30, TimeUnit.SECONDS, "t");
    Set<String> names = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 50; i++) {
      CountDownLatch done = new CountDownLatch(1);
      pool.execute(
          () -> {
            names.add(Thread.currentThread().getName());
            done.countDown();
          });
      assertTrue(done.await(5, TimeUnit.SECONDS));
      // Wait until the thread is idle again, so the next task finds it.
      Await.until("the thread is idle", Duration.ofSeconds(5), () -> pool.idleCount() == 1);
    }
    assertEquals(1, names.size(), names.toString());
    assertEquals(1, pool.threadCount());
    pool.shutdown();
  }

  @Test
  void atMostMaxThreadsRunAndTheRestWaitInOrder() throws Exception {
    CallbackPool pool = new CallbackPool(2, 30, TimeUnit.SECONDS, "b");
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(2);
    List<Integer> order = new CopyOnWriteArrayList<>();
    CountDownLatch all = new CountDownLatch(6);
    for (int i = 0; i < 2; i++) {
      pool.execute(
          () -> {
            started.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            all.countDown();
          });
    }
    assertTrue(started.await(5, TimeUnit.SECONDS));
    for (int i = 0; i < 4; i++) {
      int n = i;
      pool.execute(
          () -> {
            order.add(n);
            all.countDown();
          });
    }
    assertEquals(2, pool.threadCount());
    assertEquals(List.of(), order, "queued behind the two busy threads");
    release.countDown();
    assertTrue(all.await(5, TimeUnit.SECONDS));
    assertEquals(4, order.size());
    assertEquals(2, pool.threadCount());
    pool.shutdown();
  }

  @Test
  void idleThreadsEndAfterTheKeepAliveAndAThrowingTaskKillsNothing() throws Exception {
    CallbackPool pool = new CallbackPool(4, 200, TimeUnit.MILLISECONDS, "k");
    CountDownLatch ran = new CountDownLatch(1);
    pool.execute(
        () -> {
          throw new IllegalStateException("thrown on purpose");
        });
    pool.execute(ran::countDown);
    assertTrue(ran.await(5, TimeUnit.SECONDS));
    Await.until("idle threads end", Duration.ofSeconds(5), () -> pool.threadCount() == 0);
    CountDownLatch again = new CountDownLatch(1);
    pool.execute(again::countDown);
    assertTrue(again.await(5, TimeUnit.SECONDS), "a new thread after the old ones ended");
    pool.shutdown();
  }

  @Test
  void shutdownRefusesNewTasksAndEndsIdleThreads() throws Exception {
    CallbackPool pool = new CallbackPool(4, 30, TimeUnit.SECONDS, "s");
    CountDownLatch ran = new CountDownLatch(1);
    pool.execute(ran::countDown);
    assertTrue(ran.await(5, TimeUnit.SECONDS));
    pool.shutdown();
    assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> {}));
    Await.until("threads end", Duration.ofSeconds(5), () -> pool.threadCount() == 0);
  }
}
