package io.stanee.store.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.Objects;

/** A row of Subscriptions: channel ID, subscription ID, last sent sequence, serialized spb.SubState. */
@Entity
@Table(name = "Subscriptions")
@IdClass(SubscriptionRow.Key.class)
public class SubscriptionRow {

    @Id
    @Column(name = "id")
    private int channelId;

    @Id
    @Column(name = "subid")
    private long subId;

    @Column(name = "lastsent")
    private long lastSent;

    @Column(name = "proto")
    private byte[] proto;

    @Column(name = "deleted")
    private boolean deleted;

    protected SubscriptionRow() {
    }

    public SubscriptionRow(int channelId, long subId, byte[] proto) {
        this.channelId = channelId;
        this.subId = subId;
        this.proto = proto;
    }

    public int channelId() {
        return channelId;
    }

    public long subId() {
        return subId;
    }

    public long lastSent() {
        return lastSent;
    }

    public byte[] proto() {
        return proto;
    }

    /** The primary key PK_SubKey (id, subid). */
    public static class Key implements Serializable {
        private int channelId;
        private long subId;

        public Key() {
        }

        public Key(int channelId, long subId) {
            this.channelId = channelId;
            this.subId = subId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && channelId == k.channelId && subId == k.subId;
        }

        @Override
        public int hashCode() {
            return Objects.hash(channelId, subId);
        }
    }
}
