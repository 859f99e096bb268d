package io.stanee.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The store work of one batch of requests, applied by {@link Store#apply} in one transaction. */
public final class StoreBatch {

    private final List<StoreOp> ops = new ArrayList<>();

    public void add(StoreOp op) {
        ops.add(op);
    }

    public List<StoreOp> ops() {
        return Collections.unmodifiableList(ops);
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }
}
