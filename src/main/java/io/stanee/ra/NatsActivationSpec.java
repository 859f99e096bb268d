package io.stanee.ra;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;

/**
 * How an endpoint is fed: batch bound, queue bounds (messages and bytes; past either, requests get the
 * application's overload answer), jnats' pending limits of the dispatcher and timer interval (activation config
 * properties of the bean, or server.xml).
 */
public class NatsActivationSpec implements ActivationSpec {

    private ResourceAdapter resourceAdapter;
    private int maxBatchSize = 1024;
    // the queue's bounds and jnats' pending limits are set by server.xml (stan.queue_capacity, ...: the defaults
    // are there, in one place); unset they are 0, which validate() refuses
    private int queueCapacity;
    private int timerIntervalMillis = 100;
    private long queueMaxBytes;
    private long pendingMessagesLimit;
    private long pendingBytesLimit;

    public long getQueueMaxBytes() {
        return queueMaxBytes;
    }

    public void setQueueMaxBytes(long queueMaxBytes) {
        this.queueMaxBytes = queueMaxBytes;
    }

    public long getPendingMessagesLimit() {
        return pendingMessagesLimit;
    }

    public void setPendingMessagesLimit(long pendingMessagesLimit) {
        this.pendingMessagesLimit = pendingMessagesLimit;
    }

    public long getPendingBytesLimit() {
        return pendingBytesLimit;
    }

    public void setPendingBytesLimit(long pendingBytesLimit) {
        this.pendingBytesLimit = pendingBytesLimit;
    }

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
        if (queueMaxBytes < 1024 * 1024) {
            throw new InvalidPropertyException("queueMaxBytes must be at least 1 MiB (a message NATS accepts must fit), got "
                    + queueMaxBytes);
        }
        if (pendingMessagesLimit < 1 || pendingBytesLimit < 1) {
            throw new InvalidPropertyException("pendingMessagesLimit and pendingBytesLimit must be positive, got "
                    + pendingMessagesLimit + " and " + pendingBytesLimit);
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
