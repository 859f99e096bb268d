package io.stanee.monitor;

import io.stanee.config.StanConfig;
import io.stanee.core.WorkerHeartbeat;
import io.stanee.endpoint.StanServerBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.time.Duration;

/**
 * Live while the resource adapter's worker comes by: it calls the server at least every timer interval (100 ms)
 * between batches, so a worker silent for longer than {@code stan.worker_stall_timeout} is stuck inside a call
 * (a blocked database, a hung statement) or dead, and only a restart helps. The check's data shows how long it
 * has been silent. Before the worker's first call (NATS not reached yet) and while it recovers the state, it is
 * live: that is waiting or long work, not a stall.
 */
@Liveness
@ApplicationScoped
public class WorkerHealthCheck implements HealthCheck {

    @Inject
    StanServerBean server;

    @Inject
    StanConfig config;

    @Override
    public HealthCheckResponse call() {
        WorkerHeartbeat worker = server.instance().worker();
        Duration threshold = config.workerStallTimeout();
        return HealthCheckResponse.named("worker")
                .status(!worker.stuck(threshold.toNanos()))
                .withData("started", worker.started())
                .withData("in_call", worker.inCall())
                .withData("recovering", worker.recovering())
                .withData("silent_ms", worker.silentNanos() / 1_000_000)
                .withData("stall_timeout_ms", threshold.toMillis())
                .build();
    }
}
