package io.stanee.ra;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;

/**
 * How an endpoint is fed: batch bound, queue capacity and timer interval (activation config properties of the
 * bean, or server.xml).
 */
public class NatsActivationSpec implements ActivationSpec {

    private ResourceAdapter resourceAdapter;
    private int maxBatchSize = 1024;
    private int queueCapacity = 65536;
    private int timerIntervalMillis = 100;

    public int getMaxBatchSize() {
        return maxBatchSize;
    }

    public void setMaxBatchSize(int maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
    }

    public int getQueueCapacity() {
        return queueCapacity;
    }

    public void setQueueCapacity(int queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    public int getTimerIntervalMillis() {
        return timerIntervalMillis;
    }

    public void setTimerIntervalMillis(int timerIntervalMillis) {
        this.timerIntervalMillis = timerIntervalMillis;
    }

    @Override
    public void validate() throws InvalidPropertyException {
        if (maxBatchSize < 1) {
            throw new InvalidPropertyException("maxBatchSize must be at least 1, got " + maxBatchSize);
        }
        if (timerIntervalMillis < 1) {
            throw new InvalidPropertyException("timerIntervalMillis must be at least 1, got " + timerIntervalMillis);
        }
        if (queueCapacity < maxBatchSize) {
            throw new InvalidPropertyException("queueCapacity must be at least maxBatchSize, got " + queueCapacity);
        }
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter resourceAdapter) throws ResourceException {
        this.resourceAdapter = resourceAdapter;
    }
}
