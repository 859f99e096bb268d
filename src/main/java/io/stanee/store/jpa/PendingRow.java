package io.stanee.store.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.Objects;

/**
 * A row of SubsPending. In the no-caching layout each row is one unacknowledged sequence ({@code seq} > 0);
 * in the caching layout {@code pending} and {@code acks} hold JSON arrays of sequences.
 */
@Entity
@Table(name = "SubsPending")
@IdClass(PendingRow.Key.class)
public class PendingRow {

    @Id
    @Column(name = "subid")
    private long subId;

    /** ROW is reserved in MySQL: the quoted name makes EclipseLink use each database's own quotes. */
    @Id
    @Column(name = "\"row\"")
    private long row;

    @Column(name = "seq")
    private long seq;

    @Column(name = "lastsent")
    private long lastSent;

    @Column(name = "pending")
    private byte[] pending;

    @Column(name = "acks")
    private byte[] acks;

    /** Rows are only read through this entity (by recovery); every row is written by JDBC (RowInserts, PendingStates). */
    protected PendingRow() {
    }

    public long subId() {
        return subId;
    }

    public long row() {
        return row;
    }

    public long seq() {
        return seq;
    }

    public long lastSent() {
        return lastSent;
    }

    /** JSON array of pending sequences (caching layout), or null. */
    public byte[] pending() {
        return pending;
    }

    /** JSON array of acknowledged sequences (caching layout), or null. */
    public byte[] acks() {
        return acks;
    }

    /** The primary key PK_MsgPendingKey (subid, row). */
    public static class Key implements Serializable {
        private long subId;
        private long row;

        public Key() {
        }

        public Key(long subId, long row) {
            this.subId = subId;
            this.row = row;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && subId == k.subId && row == k.row;
        }

        @Override
        public int hashCode() {
            return Objects.hash(subId, row);
        }
    }
}
