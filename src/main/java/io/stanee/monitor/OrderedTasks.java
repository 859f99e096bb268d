package io.stanee.monitor;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tasks run one at a time, in the order submitted, on threads of an {@link Executor}, without the submitter
 * waiting: at most one drain is scheduled at a time and it runs whatever has queued up.
 */
final class OrderedTasks {

    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Executor executor;

    OrderedTasks(Executor executor) {
        this.executor = executor;
    }

    void submit(Runnable task) {
        queue.add(task);
        if (scheduled.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            Runnable task = queue.poll();
            if (task == null) {
                scheduled.set(false);
                // a task queued after the poll and before the flag went down found it still up: take it on
                if (queue.isEmpty() || !scheduled.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                java.util.logging.Logger.getLogger(OrderedTasks.class.getName())
                        .log(java.util.logging.Level.WARNING, "background task failed", e);
            }
        }
    }
}
