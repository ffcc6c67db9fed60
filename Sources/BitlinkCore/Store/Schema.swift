/// The database schema, as an ordered list of migrations. Migration `n` (1-based) takes
/// `PRAGMA user_version` from `n-1` to `n`. Append, never edit a shipped migration.
enum Schema {
    static let migrations: [String] = [v1]

    static var latestVersion: Int { migrations.count }

    /// The tables every bitlink database has.
    static let tables: Set<String> = ["miners", "wallets", "miner_configs", "share_submissions", "samples"]

    // Times are Unix seconds (INTEGER), hashrate H/s (REAL), temperatures C, power W.
    static let v1 = """
        CREATE TABLE miners (
            id              INTEGER PRIMARY KEY,
            name            TEXT    NOT NULL UNIQUE,
            miner_type      TEXT    NOT NULL DEFAULT 'unknown',
            model           TEXT,
            firmware        TEXT,
            ip_address      TEXT    UNIQUE,
            mac_address     TEXT,
            hostname        TEXT,
            serial          TEXT,
            api_port        INTEGER,
            http_port       INTEGER,
            v3_port         INTEGER,
            read_hints      TEXT,
            status          TEXT    NOT NULL DEFAULT 'unknown',
            status_reasons  TEXT,
            failed_polls    INTEGER NOT NULL DEFAULT 0,
            enabled         INTEGER NOT NULL DEFAULT 1,
            auto_discovered INTEGER NOT NULL DEFAULT 0,
            created_at      INTEGER NOT NULL,
            last_seen       INTEGER,
            last_alert_at   INTEGER
        );
        CREATE UNIQUE INDEX miners_mac_address ON miners(mac_address) WHERE mac_address IS NOT NULL;

        CREATE TABLE wallets (
            id         INTEGER PRIMARY KEY,
            address    TEXT    NOT NULL UNIQUE,
            label      TEXT,
            pool       TEXT,
            created_at INTEGER NOT NULL
        );

        CREATE TABLE miner_configs (
            id                  INTEGER PRIMARY KEY,
            miner_id            INTEGER NOT NULL REFERENCES miners(id) ON DELETE CASCADE,
            wallet_id           INTEGER REFERENCES wallets(id) ON DELETE SET NULL,
            pool_url            TEXT    NOT NULL,
            pool_user           TEXT    NOT NULL DEFAULT '',
            worker_name         TEXT,
            pool_id             TEXT,
            active              INTEGER NOT NULL DEFAULT 0,
            linked_by           TEXT    CHECK (linked_by IN ('auto', 'manual')),
            detected_at         INTEGER NOT NULL,
            last_accepted       INTEGER,
            last_rejected       INTEGER,
            last_diff_accepted  REAL,
            last_diff_rejected  REAL,
            last_uptime_s       INTEGER,
            last_share_at       INTEGER,
            UNIQUE (miner_id, pool_url, pool_user)
        );
        CREATE INDEX miner_configs_wallet ON miner_configs(wallet_id);

        CREATE TABLE share_submissions (
            id          INTEGER PRIMARY KEY,
            timestamp   INTEGER NOT NULL,
            wallet_id   INTEGER REFERENCES wallets(id) ON DELETE SET NULL,
            miner_id    INTEGER REFERENCES miners(id) ON DELETE SET NULL,
            pool_name   TEXT,
            worker_name TEXT,
            difficulty  REAL,
            accepted    INTEGER NOT NULL DEFAULT 1,
            shares      INTEGER NOT NULL DEFAULT 1 CHECK (shares > 0),
            source      TEXT    NOT NULL CHECK (source IN ('manual', 'poll'))
        );
        CREATE INDEX share_submissions_timestamp ON share_submissions(timestamp);
        CREATE INDEX share_submissions_wallet ON share_submissions(wallet_id, timestamp);
        CREATE INDEX share_submissions_miner ON share_submissions(miner_id, timestamp);

        CREATE TABLE samples (
            miner_id    INTEGER NOT NULL REFERENCES miners(id) ON DELETE CASCADE,
            time        INTEGER NOT NULL,
            status      TEXT    NOT NULL,
            hashrate_hs REAL,
            temp_max_c  REAL,
            fan_min_rpm REAL,
            fans_spinning INTEGER,
            power_w     REAL,
            accepted    INTEGER,
            rejected    INTEGER,
            uptime_s    INTEGER,
            reasons     TEXT,
            PRIMARY KEY (miner_id, time)
        ) WITHOUT ROWID;
        CREATE INDEX samples_time ON samples(time);
        """
}
