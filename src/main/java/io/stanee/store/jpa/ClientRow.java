package io.stanee.store.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of Clients: client ID, heartbeat inbox, serialized spb.ClientInfo. */
@Entity
@Table(name = "Clients")
public class ClientRow {

    @Id
    @Column(name = "id", length = 1024)
    private String id;

    @Column(name = "hbinbox")
    private String hbInbox;

    @Column(name = "proto")
    private byte[] proto;

    protected ClientRow() {
    }

    public ClientRow(String id, String hbInbox, byte[] proto) {
        this.id = id;
        this.hbInbox = hbInbox;
        this.proto = proto;
    }

    public String id() {
        return id;
    }

    public String hbInbox() {
        return hbInbox;
    }

    public byte[] proto() {
        return proto;
    }
}
