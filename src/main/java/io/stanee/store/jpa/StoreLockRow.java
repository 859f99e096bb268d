package io.stanee.store.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The single row of StoreLock (fault-tolerant standby): the owner's lock ID and its heartbeat tick. */
@Entity
@Table(name = "StoreLock")
public class StoreLockRow {

    /** The table has no key; the owner's ID identifies the one row. */
    @Id
    @Column(name = "id", length = 30)
    private String ownerId;

    @Column(name = "tick")
    private long tick;

    protected StoreLockRow() {
    }
}
