package io.stanee.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The store work of one batch of requests, applied by {@link Store#apply} in one transaction. */
public final class StoreBatch {

    private final List<StoreOp> ops = new ArrayList<>();
    private String requiredLockOwner;

    public void add(StoreOp op) {
        ops.add(op);
    }

    public List<StoreOp> ops() {
        return Collections.unmodifiableList(ops);
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    /**
     * Makes the batch conditional on the fault-tolerance lock: it commits only while {@code lockOwner} holds
     * the StoreLock row, checked inside its own transaction, so that a server whose lock was taken over can
     * never write beside the new owner (null: no condition, a server outside an FT group).
     */
    public void requireLockOwner(String lockOwner) {
        this.requiredLockOwner = lockOwner;
    }

    public String requiredLockOwner() {
        return requiredLockOwner;
    }
}
