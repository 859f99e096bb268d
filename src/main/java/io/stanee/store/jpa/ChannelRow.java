package io.stanee.store.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of Channels: the channel's ID and name, the limits it was created with, the soft-delete flag. */
@Entity
@Table(name = "Channels")
public class ChannelRow {

    @Id
    @Column(name = "id")
    private int id;

    @Column(name = "name", length = 1024, nullable = false)
    private String name;

    /** Last sequence remembered when age expiration emptied the channel (0 otherwise). */
    @Column(name = "maxseq")
    private long maxSeq;

    @Column(name = "maxmsgs")
    private int maxMsgs;

    @Column(name = "maxbytes")
    private long maxBytes;

    @Column(name = "maxage")
    private long maxAge;

    @Column(name = "deleted")
    private boolean deleted;

    protected ChannelRow() {
    }

    public ChannelRow(int id, String name, int maxMsgs, long maxBytes, long maxAge) {
        this.id = id;
        this.name = name;
        this.maxMsgs = maxMsgs;
        this.maxBytes = maxBytes;
        this.maxAge = maxAge;
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    public long maxSeq() {
        return maxSeq;
    }
}
