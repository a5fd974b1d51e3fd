-- spridning schema, version 14: people's SSH public keys. sshd asks spridning who a key
-- belongs to (`spridning authorized-keys`, its AuthorizedKeysCommand), so adding a person
-- or removing a key needs no file to edit. A key belongs to one person; removing the person
-- removes their keys. The type and body are checked by `domain::ssh_key` before they are
-- written; the CHECKs hold the same shape for any writer.
CREATE TABLE user_key (
    id       INTEGER PRIMARY KEY,
    login    TEXT NOT NULL REFERENCES user (login) ON DELETE CASCADE,
    kind     TEXT NOT NULL CHECK (kind IN ('ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256',
                 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'sk-ssh-ed25519@openssh.com',
                 'sk-ecdsa-sha2-nistp256@openssh.com', 'ssh-dss')),
    body     TEXT NOT NULL CHECK (length(body) BETWEEN 16 AND 8192
                 AND body NOT GLOB '*[^A-Za-z0-9+/=]*'),
    comment  TEXT CHECK (comment IS NULL OR length(comment) BETWEEN 1 AND 200),
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL,
    UNIQUE (kind, body)
);
CREATE INDEX user_key_by_login ON user_key (login);
