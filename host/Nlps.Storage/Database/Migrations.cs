namespace Nlps.Storage.Database;

/// <summary>The ordered schema history of the state database. Append new steps; never edit a shipped one.</summary>
public static class Migrations
{
    /// <summary>Every step, oldest first.</summary>
    public static IReadOnlyList<Migration> All { get; } =
    [
        new Migration(1, "settings, audit log, plugin catalog, plugin key/value store", """
            CREATE TABLE settings (
                key        TEXT PRIMARY KEY,
                value      TEXT NOT NULL,
                updated_at TEXT
            );

            CREATE TABLE audit_log (
                id     INTEGER PRIMARY KEY AUTOINCREMENT,
                at     TEXT NOT NULL,
                actor  TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT,
                result TEXT NOT NULL CHECK (result IN ('ok', 'refused', 'failed')),
                detail TEXT
            );
            CREATE INDEX audit_log_action ON audit_log (action, id);

            CREATE TABLE plugins (
                id             TEXT PRIMARY KEY,
                active_version TEXT,
                enabled        INTEGER NOT NULL,
                updated_at     TEXT NOT NULL
            );

            CREATE TABLE plugin_versions (
                plugin_id      TEXT NOT NULL REFERENCES plugins (id) ON DELETE CASCADE,
                version        TEXT NOT NULL,
                installed_at   TEXT NOT NULL,
                path           TEXT NOT NULL,
                manifest_json  TEXT NOT NULL,
                package_sha256 TEXT NOT NULL,
                signer_key_id  TEXT,
                PRIMARY KEY (plugin_id, version)
            );

            CREATE TABLE kv (
                plugin_id  TEXT NOT NULL,
                key        TEXT NOT NULL,
                value      BLOB NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (plugin_id, key)
            );
            """),
        new Migration(2, "API keys", """
            CREATE TABLE api_keys (
                id                  TEXT PRIMARY KEY,
                name                TEXT NOT NULL,
                secret_sha256       BLOB NOT NULL,
                scopes              TEXT NOT NULL,
                requests_per_minute INTEGER,
                created_at          TEXT NOT NULL,
                created_by          TEXT NOT NULL,
                expires_at          TEXT,
                revoked_at          TEXT,
                last_used_at        TEXT
            );
            """),
        new Migration(3, "model store catalog", """
            CREATE TABLE models (
                id              TEXT PRIMARY KEY,
                model_type      TEXT NOT NULL,
                task            TEXT NOT NULL,
                dtype           TEXT,
                parameter_count INTEGER NOT NULL,
                total_bytes     INTEGER NOT NULL,
                file_count      INTEGER NOT NULL,
                manifest_sha256 TEXT NOT NULL,
                imported_at     TEXT NOT NULL,
                verified_at     TEXT,
                verify_problem  TEXT
            );
            """),
        new Migration(4, "plugin document store (FTS5 BM25) and vector store", """
            CREATE TABLE doc_collections (
                plugin_id  TEXT NOT NULL,
                name       TEXT NOT NULL,
                indexing   TEXT NOT NULL CHECK (indexing IN ('bigram', 'trigram', 'words')),
                created_at TEXT NOT NULL,
                PRIMARY KEY (plugin_id, name)
            );

            CREATE TABLE doc_chunks (
                id          INTEGER PRIMARY KEY,
                plugin_id   TEXT NOT NULL,
                collection  TEXT NOT NULL,
                document_id TEXT NOT NULL,
                chunk_id    TEXT NOT NULL,
                ordinal     INTEGER NOT NULL,
                text        TEXT NOT NULL,
                metadata    TEXT,
                UNIQUE (plugin_id, collection, chunk_id),
                FOREIGN KEY (plugin_id, collection) REFERENCES doc_collections (plugin_id, name) ON DELETE CASCADE
            );
            CREATE INDEX doc_chunks_document ON doc_chunks (plugin_id, collection, document_id, ordinal);

            -- One index per analysis, so each has its own BM25 statistics; rowid = doc_chunks.id.
            CREATE VIRTUAL TABLE doc_fts_bigram USING fts5 (terms, tokenize = 'unicode61 remove_diacritics 0');
            CREATE VIRTUAL TABLE doc_fts_words USING fts5 (terms, tokenize = 'unicode61 remove_diacritics 0');
            CREATE VIRTUAL TABLE doc_fts_trigram USING fts5 (terms, tokenize = 'trigram');

            CREATE TABLE vec_collections (
                plugin_id    TEXT NOT NULL,
                name         TEXT NOT NULL,
                dimensions   INTEGER NOT NULL,
                quantization TEXT NOT NULL CHECK (quantization IN ('f32', 'int8')),
                created_at   TEXT NOT NULL,
                PRIMARY KEY (plugin_id, name)
            );

            CREATE TABLE vec_items (
                plugin_id  TEXT NOT NULL,
                collection TEXT NOT NULL,
                key        TEXT NOT NULL,
                grp        TEXT,
                scale      REAL NOT NULL,
                data       BLOB NOT NULL,
                PRIMARY KEY (plugin_id, collection, key),
                FOREIGN KEY (plugin_id, collection) REFERENCES vec_collections (plugin_id, name) ON DELETE CASCADE
            );
            CREATE INDEX vec_items_group ON vec_items (plugin_id, collection, grp);
            """),
        new Migration(5, "admin accounts for the console", """
            CREATE TABLE admin_accounts (
                username        TEXT PRIMARY KEY,
                password_hash   TEXT NOT NULL,
                security_stamp  TEXT NOT NULL,
                created_at      TEXT NOT NULL,
                created_by      TEXT NOT NULL,
                password_set_at TEXT NOT NULL,
                failed_logins   INTEGER NOT NULL DEFAULT 0,
                locked_until    TEXT,
                last_login_at   TEXT
            );
            """),
    ];

    /// <summary>The schema version this build of nlpsd produces and understands.</summary>
    public static int LatestVersion => All[^1].Version;
}
