package dev.ixws.http.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server's own callback executor: at most {@code maxThreads} daemon threads, made when a
 * task finds none idle, ended after {@code keepAlive} without work, and a task handed to the thread
 * that became idle <em>last</em> (a stack, not a queue). A {@code ThreadPoolExecutor} with a core
 * of {@code maxConnections} threads makes a new thread for each task until the core is full and
 * then rotates the tasks through all of them, each wake-up landing on a cold thread; handing work
 * to the most recently idle thread keeps a few hot threads busy under load instead (in {@code
 * benchmarks/httpd-bench.sh} that was more than twice the small-response throughput). When every
 * thread is busy a task waits in a FIFO backlog that finishing threads drain before going idle, so
 * nothing is refused before {@link #shutdown()}.
 *
 * <p>Thread-safe: one lock guards the idle stack, the backlog and the counts; it is held only for a
 * few field updates, never while a task runs.
 */
public final class CallbackPool implements Executor {

  private static final Logger LOG = LoggerFactory.getLogger(CallbackPool.class);

  private final int maxThreads;
  private final long keepAliveNanos;
  private final String namePrefix;
  private final AtomicInteger names = new AtomicInteger();

  private final Object lock = new Object();
  // Guarded by lock.
  private final ArrayDeque<Worker> idle = new ArrayDeque<>(); // most recently idle first
  private final ArrayDeque<Runnable> backlog = new ArrayDeque<>();
  private int threads;
  private boolean shutdown;

  /**
   * A pool of at most {@code maxThreads} threads named {@code namePrefix-N}.
   *
   * @param keepAlive how long an idle thread waits for work before it ends
   */
  public CallbackPool(int maxThreads, long keepAlive, TimeUnit unit, String namePrefix) {
    if (maxThreads < 1) {
      throw new IllegalArgumentException("maxThreads must be positive");
    }
    this.maxThreads = maxThreads;
    this.keepAliveNanos = unit.toNanos(keepAlive);
    this.namePrefix = namePrefix;
  }

  /**
   * Runs {@code task} on an idle thread, a new one, or (all {@code maxThreads} busy) the first
   * thread that finishes.
   *
   * @throws RejectedExecutionException after {@link #shutdown()}
   */
  @Override
  public void execute(Runnable task) {
    Worker worker;
    boolean start = false;
    synchronized (lock) {
      if (shutdown) {
        throw new RejectedExecutionException("the HTTP server's callback pool is shut down");
      }
      worker = idle.pollFirst();
      if (worker != null) {
        worker.task = task;
      } else if (threads < maxThreads) {
        threads++;
        worker = new Worker(task);
        start = true;
      } else {
        backlog.addLast(task);
        return;
      }
    }
    if (start) {
      try {
        worker.thread.start();
      } catch (RuntimeException | Error e) {
        synchronized (lock) {
          threads--;
        }
        throw new RejectedExecutionException("cannot start a callback thread", e);
      }
    } else {
      LockSupport.unpark(worker.thread);
    }
  }

  /**
   * Refuses new tasks; queued and running ones still run, then the threads end. Returns at once.
   */
  public void shutdown() {
    synchronized (lock) {
      shutdown = true;
      for (Worker worker : idle) {
        LockSupport.unpark(worker.thread);
      }
    }
  }

  /** The threads alive now (busy or idle). */
  public int threadCount() {
    synchronized (lock) {
      return threads;
    }
  }

  /** The threads waiting for work now. */
  int idleCount() {
    synchronized (lock) {
      return idle.size();
    }
  }

  private final class Worker implements Runnable {
    final Thread thread;
    Runnable task; // guarded by lock: handed over by execute()

    Worker(Runnable first) {
      this.task = first;
      this.thread = new Thread(this, namePrefix + "-" + names.incrementAndGet());
      thread.setDaemon(true);
    }

    @Override
    public void run() {
      Runnable next;
      synchronized (lock) {
        next = task;
        task = null;
      }
      while (next != null) {
        try {
          next.run();
        } catch (Throwable t) {
          LOG.warn("HTTP callback task failed", t);
        }
        next = nextTask();
      }
    }

    /** The next task: from the backlog, or handed over while idle; null to end the thread. */
    private Runnable nextTask() {
      synchronized (lock) {
        Runnable queued = backlog.pollFirst();
        if (queued != null) {
          return queued;
        }
        if (shutdown) {
          threads--;
          return null;
        }
        idle.addFirst(this);
      }
      long deadline = System.nanoTime() + keepAliveNanos;
      while (true) {
        synchronized (lock) {
          if (task != null) {
            Runnable given = task;
            task = null;
            return given;
          }
          if (shutdown || System.nanoTime() - deadline >= 0) {
            idle.remove(this);
            threads--;
            return null;
          }
        }
        LockSupport.parkNanos(this, deadline - System.nanoTime());
      }
    }
  }
}
