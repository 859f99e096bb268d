package io.stanee.monitor;

import io.stanee.core.ServerRole;
import io.stanee.core.StanInstance;
import io.stanee.endpoint.StanServerBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/**
 * Started once the instance has recovered its state, or, as a member of an FT group, stands by (it recovers only
 * when it takes over, so there is nothing to wait for): until then an orchestrator holds back the liveness check.
 */
@Startup
@ApplicationScoped
public class StartupHealthCheck implements HealthCheck {

    @Inject
    StanServerBean server;

    @Override
    public HealthCheckResponse call() {
        StanInstance instance = server.instance();
        boolean started = instance.recovered() || instance.role() == ServerRole.STANDBY;
        return HealthCheckResponse.named("started")
                .status(started)
                .withData("recovered", instance.recovered())
                .withData("role", instance.role().label())
                .build();
    }
}
