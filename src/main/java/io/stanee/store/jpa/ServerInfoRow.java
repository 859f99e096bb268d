package io.stanee.store.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The single row of ServerInfo: cluster ID, serialized spb.ServerInfo, schema version. */
@Entity
@Table(name = "ServerInfo")
public class ServerInfoRow {

    /** The only supported schema version (the Go server's too). */
    public static final int SCHEMA_VERSION = 1;

    @Id
    @Column(name = "uniquerow")
    private int uniqueRow = 1;

    @Column(name = "id", length = 1024)
    private String clusterId;

    @Column(name = "proto")
    private byte[] proto;

    @Column(name = "version")
    private Integer version;

    protected ServerInfoRow() {
    }

    public ServerInfoRow(String clusterId, byte[] proto) {
        this.clusterId = clusterId;
        this.proto = proto;
        this.version = SCHEMA_VERSION;
    }

    public String clusterId() {
        return clusterId;
    }

    public byte[] proto() {
        return proto;
    }

    public Integer version() {
        return version;
    }

    void update(String clusterId, byte[] proto) {
        this.clusterId = clusterId;
        this.proto = proto;
        this.version = SCHEMA_VERSION;
    }
}
