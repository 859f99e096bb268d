package io.stanee.monitor;

import jakarta.ejb.Asynchronous;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;

import java.util.concurrent.Executor;

/**
 * Runs a task on one of the container's own threads (EJB asynchronous invocation, which the enterprise beans
 * lite feature already brings), for work that must not hold the caller: the core's worker hands per-channel
 * gauge registrations here.
 */
@Stateless
@LocalBean
public class ContainerExecutor implements Executor {

    @Override
    @Asynchronous
    public void execute(Runnable task) {
        task.run();
    }
}
