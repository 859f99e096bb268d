package io.stanee.store.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.Objects;

/**
 * A row of Messages: channel ID, sequence, timestamp, size and the serialized MsgProto. Read through JPA;
 * written by {@link RowInserts}.
 */
@Entity
@Table(name = "Messages")
@IdClass(MessageRow.Key.class)
public class MessageRow {

    @Id
    @Column(name = "id")
    private int channelId;

    @Id
    @Column(name = "seq")
    private long seq;

    @Column(name = "timestamp")
    private long timestampNanos;

    @Column(name = "size")
    private int byteSize;

    @Column(name = "data")
    private byte[] data;

    protected MessageRow() {
    }


    public long seq() {
        return seq;
    }

    public long timestamp() {
        return timestampNanos;
    }

    public byte[] data() {
        return data;
    }

    /** The primary key PK_MsgKey (id, seq). */
    public static class Key implements Serializable {
        private int channelId;
        private long seq;

        public Key() {
        }

        public Key(int channelId, long seq) {
            this.channelId = channelId;
            this.seq = seq;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && channelId == k.channelId && seq == k.seq;
        }

        @Override
        public int hashCode() {
            return Objects.hash(channelId, seq);
        }
    }
}
