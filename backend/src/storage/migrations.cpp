// The schema migrations, in order (append-only: never edit a shipped migration, add a new one).
#include "migrations.hpp"

namespace mizu::backend {

// Each entry is one migration; its index + 1 is the schema version it brings the database to.
const std::vector<const char*>& SchemaMigrations() {
  static const std::vector<const char*> migrations = [] {
    std::vector<const char*> list = {
        // 1: settings the server keeps about itself (e.g. when the scheduler last ran).
        R"sql(
        CREATE TABLE server_state (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT;
      )sql",
        // 2: the mail outbox (mail.hpp): one row per outgoing message; the partial index serves the relay's
        // due
        // query, the second one staff looking up a recipient's mail.
        R"sql(
        CREATE TABLE mail_outbox (
          id INTEGER PRIMARY KEY,
          message_key TEXT NOT NULL UNIQUE,
          kind TEXT NOT NULL,
          lang TEXT NOT NULL,
          to_addr TEXT NOT NULL,
          to_name TEXT NOT NULL,
          subject TEXT NOT NULL,
          body_text TEXT NOT NULL,
          status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
          attempts INTEGER NOT NULL DEFAULT 0,
          created_at INTEGER NOT NULL,
          next_attempt_at INTEGER NOT NULL,
          claim TEXT,
          last_attempt_at INTEGER,
          sent_at INTEGER,
          last_error TEXT
        ) STRICT;
        CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id) WHERE status IN ('pending', 'sending');
        CREATE INDEX mail_outbox_to ON mail_outbox (to_addr COLLATE NOCASE, created_at);
      )sql",
        // 3: accounts and identity — the customer master (from the CIS), accounts, the contracts linked to
        // them,
        // sessions, one-time codes, sign-up tokens, machine tokens and an audit trail. Secrets are stored
        // hashed.
        R"sql(
        CREATE TABLE customers (
          customer_number TEXT PRIMARY KEY,
          holder_name TEXT NOT NULL,
          holder_kana TEXT NOT NULL,
          address TEXT NOT NULL,
          bureau_phone TEXT NOT NULL,
          meter_id TEXT,
          smart_meter INTEGER NOT NULL DEFAULT 0,
          diameter_mm INTEGER NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'closed')),
          paper_notice INTEGER NOT NULL DEFAULT 1,
          updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX customers_meter ON customers (meter_id) WHERE meter_id IS NOT NULL;
        CREATE TABLE accounts (
          id INTEGER PRIMARY KEY,
          email TEXT NOT NULL UNIQUE COLLATE NOCASE,
          password_hash TEXT NOT NULL,
          applicant_phone TEXT NOT NULL,
          lang TEXT NOT NULL DEFAULT 'ja',
          created_at INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE contract_links (
          customer_number TEXT PRIMARY KEY REFERENCES customers (customer_number),
          account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
          relationship TEXT NOT NULL CHECK (relationship IN ('self', 'family', 'other')),
          consent INTEGER NOT NULL,
          is_primary INTEGER NOT NULL DEFAULT 0,
          linked_at INTEGER NOT NULL,
          visible_from INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX contract_links_account ON contract_links (account_id);
        CREATE TABLE sessions (
          token_hash TEXT PRIMARY KEY,
          account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
          remember INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          last_seen_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX sessions_account ON sessions (account_id);
        CREATE TABLE codes (
          id INTEGER PRIMARY KEY,
          purpose TEXT NOT NULL CHECK (purpose IN ('signup', 'reset', 'email_change')),
          email TEXT NOT NULL COLLATE NOCASE,
          account_id INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
          code_hash TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0,
          state TEXT NOT NULL DEFAULT 'live' CHECK (state IN ('live', 'used', 'superseded', 'dead'))
        ) STRICT;
        CREATE INDEX codes_lookup ON codes (purpose, email, created_at);
        CREATE TABLE signup_tokens (
          token_hash TEXT PRIMARY KEY,
          email TEXT NOT NULL,
          expires_at INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE api_tokens (
          token_hash TEXT PRIMARY KEY,
          scope TEXT NOT NULL CHECK (scope IN ('ingest', 'import')),
          label TEXT NOT NULL,
          created_at INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE audit_log (
          id INTEGER PRIMARY KEY,
          at INTEGER NOT NULL,
          account_id INTEGER,
          event TEXT NOT NULL,
          detail TEXT NOT NULL DEFAULT ''
        ) STRICT;
      )sql",
        // 4: smart-meter readings (ingest.hpp): meter ids mapped to small integers. The readings themselves
        // live
        // in one table per JST day, readings_YYYYMMDD (meter, hour, register_l, alarms), created on demand.
        R"sql(
        CREATE TABLE reading_meters (
          id INTEGER PRIMARY KEY,
          meter_id TEXT NOT NULL UNIQUE
        ) STRICT;
      )sql",
        // 5: billing history from the CIS (bills, payments), お知らせ with read state per account,
        // 通知受信設定, and
        // 使用開始/中止 applications (billing.hpp, notices.hpp, applications.hpp). Dates are JST YYYY-MM-DD
        // text.
        R"sql(
        CREATE TABLE bills (
          customer_number TEXT NOT NULL REFERENCES customers (customer_number),
          reading_date TEXT NOT NULL,
          period_start TEXT NOT NULL,
          period_end TEXT NOT NULL,
          prev_reading INTEGER NOT NULL,
          curr_reading INTEGER NOT NULL,
          usage_m3 INTEGER NOT NULL,
          water_charge INTEGER NOT NULL,
          sewer_charge INTEGER NOT NULL,
          tax INTEGER NOT NULL,
          total INTEGER NOT NULL,
          due_date TEXT NOT NULL,
          payment_method TEXT NOT NULL,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (customer_number, reading_date)
        ) STRICT;
        CREATE TABLE payments (
          customer_number TEXT NOT NULL,
          reading_date TEXT NOT NULL,
          paid_on TEXT NOT NULL,
          amount INTEGER NOT NULL,
          method TEXT NOT NULL,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (customer_number, reading_date, paid_on),
          FOREIGN KEY (customer_number, reading_date) REFERENCES bills (customer_number, reading_date)
        ) STRICT;
        CREATE TABLE notices (
          id INTEGER PRIMARY KEY,
          customer_number TEXT REFERENCES customers (customer_number),
          kind TEXT NOT NULL CHECK (kind IN ('meter_reading', 'payment', 'bureau')),
          ref TEXT NOT NULL DEFAULT '',
          title_ja TEXT NOT NULL,
          body_ja TEXT NOT NULL,
          title_en TEXT NOT NULL,
          body_en TEXT NOT NULL,
          published_at INTEGER NOT NULL,
          created_at INTEGER NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX notices_ref ON notices (customer_number, kind, ref) WHERE ref != '';
        CREATE INDEX notices_contract ON notices (customer_number, published_at);
        CREATE TABLE notice_reads (
          notice_id INTEGER NOT NULL REFERENCES notices (id) ON DELETE CASCADE,
          account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
          read_at INTEGER NOT NULL,
          PRIMARY KEY (notice_id, account_id)
        ) STRICT;
        CREATE INDEX notice_reads_account ON notice_reads (account_id);
        CREATE TABLE notification_settings (
          account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
          kind TEXT NOT NULL CHECK (kind IN ('meter_reading', 'payment', 'bureau')),
          email INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (account_id, kind)
        ) STRICT;
        CREATE TABLE applications (
          id INTEGER PRIMARY KEY,
          reference TEXT NOT NULL UNIQUE,
          kind TEXT NOT NULL CHECK (kind IN ('move_in', 'move_out')),
          status TEXT NOT NULL DEFAULT 'received'
            CHECK (status IN ('received', 'processing', 'completed', 'cancelled')),
          customer_number TEXT NOT NULL DEFAULT '',
          postal_code TEXT NOT NULL DEFAULT '',
          address TEXT NOT NULL,
          name TEXT NOT NULL,
          name_kana TEXT NOT NULL,
          phone TEXT NOT NULL,
          email TEXT NOT NULL,
          desired_date TEXT NOT NULL,
          payment_method TEXT NOT NULL,
          forwarding_address TEXT NOT NULL DEFAULT '',
          lang TEXT NOT NULL,
          client TEXT NOT NULL DEFAULT '',
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX applications_email ON applications (email COLLATE NOCASE, created_at);
        CREATE INDEX applications_client ON applications (client, created_at);
        CREATE INDEX applications_status ON applications (status, id);
      )sql",
        // 6: the water watch (watch.hpp): one watch per linked contract, gone with the link (unlinking or
        // withdrawal deletes it), its start hours (active_from: reports only for windows due after it), its
        // recipients (stop token = HMAC(secret.key, nonce), stored hashed), one report row per (watch,
        // window)
        // —
        // the exactly-once key, inserted in the transaction of its mails — and the "ended" notices a deleted
        // watch leaves for its recipients (trigger; the scheduler turns them into mails).
        R"sql(
        CREATE TABLE watches (
          id INTEGER PRIMARY KEY,
          customer_number TEXT NOT NULL UNIQUE REFERENCES contract_links (customer_number) ON DELETE CASCADE,
          lang TEXT NOT NULL CHECK (lang IN ('ja', 'en')),
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE watch_hours (
          start_hour INTEGER NOT NULL CHECK (start_hour BETWEEN 0 AND 23),
          watch_id INTEGER NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
          position INTEGER NOT NULL,
          active_from INTEGER NOT NULL,
          PRIMARY KEY (start_hour, watch_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX watch_hours_watch ON watch_hours (watch_id);
        CREATE INDEX watch_hours_from ON watch_hours (active_from);
        CREATE TABLE watch_recipients (
          id INTEGER PRIMARY KEY,
          watch_id INTEGER NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
          position INTEGER NOT NULL,
          name TEXT NOT NULL,
          email TEXT NOT NULL COLLATE NOCASE,
          stop_nonce TEXT NOT NULL,
          stop_token_hash TEXT NOT NULL UNIQUE,
          added_at INTEGER NOT NULL,
          stopped_at INTEGER,
          UNIQUE (watch_id, email)
        ) STRICT;
        CREATE TABLE watch_reports (
          watch_id INTEGER NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
          window_id TEXT NOT NULL,
          due_at INTEGER NOT NULL,
          evaluated_at INTEGER NOT NULL,
          outcome TEXT NOT NULL CHECK (outcome IN ('used', 'not_used', 'no_data', 'partial')),
          volume_l INTEGER NOT NULL,
          hours_present INTEGER NOT NULL,
          hours_expected INTEGER NOT NULL,
          late INTEGER NOT NULL,
          mails INTEGER NOT NULL,
          PRIMARY KEY (watch_id, window_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX watch_reports_due ON watch_reports (due_at);
        CREATE TABLE watch_farewells (
          id INTEGER PRIMARY KEY,
          customer_number TEXT NOT NULL,
          lang TEXT NOT NULL,
          name TEXT NOT NULL,
          email TEXT NOT NULL,
          created_at INTEGER NOT NULL
        ) STRICT;
        CREATE TRIGGER watches_farewell BEFORE DELETE ON watches BEGIN
          INSERT INTO watch_farewells (customer_number, lang, name, email, created_at)
          SELECT OLD.customer_number, OLD.lang, name, email, CAST(strftime('%s', 'now') AS INTEGER)
          FROM watch_recipients WHERE watch_id = OLD.id AND stopped_at IS NULL ORDER BY position;
        END;
      )sql",
        // 7: login by mobile number (SMS). accounts is rebuilt (SQLite cannot drop NOT NULL): e-mail becomes
        // optional, a unique `mobile` (11 digits) is added, and an account has at least one of them.
        // codes.email and
        // signup_tokens.email hold the address a code went to: an e-mail address or a mobile number (never an
        // '@'). The outbox gets a channel ('sms' rows: to_addr = the mobile number, body_text = the text) and
        // an
        // optional expiry (a code's message is not sent or retried after it). Runs with foreign keys off
        // (Migrate).
        R"sql(
        CREATE TABLE accounts_new (
          id INTEGER PRIMARY KEY,
          email TEXT UNIQUE COLLATE NOCASE,
          mobile TEXT UNIQUE,
          password_hash TEXT NOT NULL,
          applicant_phone TEXT NOT NULL,
          lang TEXT NOT NULL DEFAULT 'ja',
          created_at INTEGER NOT NULL,
          CHECK (email IS NOT NULL OR mobile IS NOT NULL)
        ) STRICT;
        INSERT INTO accounts_new (id, email, password_hash, applicant_phone, lang, created_at)
          SELECT id, email, password_hash, applicant_phone, lang, created_at FROM accounts;
        DROP TABLE accounts;
        ALTER TABLE accounts_new RENAME TO accounts;
        ALTER TABLE mail_outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'mail' CHECK (channel IN ('mail', 'sms'));
        ALTER TABLE mail_outbox ADD COLUMN expires_at INTEGER;
      )sql",
        // 8: session families and sign-up token mismatches (accounts.hpp). A remembered session's rotation
        // keeps
        // the replaced row (rotated_at, successor_hash) for a grace period and, after it, to detect reuse:
        // every
        // row of a `family` (the hash of the family's first token) ends together. A sign-up token counts its
        // identity_mismatch answers and dies at the limit.
        R"sql(
        ALTER TABLE sessions ADD COLUMN family TEXT NOT NULL DEFAULT '';
        ALTER TABLE sessions ADD COLUMN rotated_at INTEGER;
        ALTER TABLE sessions ADD COLUMN successor_hash TEXT;
        UPDATE sessions SET family = token_hash;
        CREATE INDEX sessions_family ON sessions (family);
        ALTER TABLE signup_tokens ADD COLUMN mismatches INTEGER NOT NULL DEFAULT 0;
      )sql",
        // 9: the bureau's staff (staff.hpp): staff accounts with a role and a TOTP second factor (its secret
        // sealed with a key outside the database), their own sessions, and their own append-only audit log
        // (triggers refuse UPDATE and DELETE); each delivery attempt of a message with the server's answer.
        R"sql(
        CREATE TABLE staff (
          id INTEGER PRIMARY KEY,
          email TEXT NOT NULL UNIQUE COLLATE NOCASE,
          role TEXT NOT NULL CHECK (role IN ('counter', 'supervisor', 'admin')),
          password_hash TEXT,
          totp_sealed TEXT NOT NULL,
          totp_last_step INTEGER NOT NULL DEFAULT -1,
          enrol_token_hash TEXT UNIQUE,
          enrol_expires_at INTEGER,
          created_at INTEGER NOT NULL,
          created_by INTEGER,
          enrolled_at INTEGER,
          disabled_at INTEGER
        ) STRICT;
        CREATE TABLE staff_sessions (
          token_hash TEXT PRIMARY KEY,
          staff_id INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
          created_at INTEGER NOT NULL,
          last_seen_at INTEGER NOT NULL,
          client TEXT NOT NULL DEFAULT ''
        ) STRICT;
        CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);
        CREATE TABLE staff_audit (
          id INTEGER PRIMARY KEY,
          at INTEGER NOT NULL,
          staff_id INTEGER,
          action TEXT NOT NULL,
          account_id INTEGER,
          customer_number TEXT NOT NULL DEFAULT '',
          target TEXT NOT NULL DEFAULT '',
          reason TEXT NOT NULL DEFAULT '',
          client TEXT NOT NULL DEFAULT ''
        ) STRICT;
        CREATE INDEX staff_audit_staff ON staff_audit (staff_id, at);
        CREATE INDEX staff_audit_customer ON staff_audit (customer_number, at);
        CREATE TRIGGER staff_audit_append_only_update BEFORE UPDATE ON staff_audit
          BEGIN SELECT RAISE(ABORT, 'staff_audit is append-only'); END;
        CREATE TRIGGER staff_audit_append_only_delete BEFORE DELETE ON staff_audit
          BEGIN SELECT RAISE(ABORT, 'staff_audit is append-only'); END;
        CREATE TABLE mail_attempts (
          id INTEGER PRIMARY KEY,
          outbox_id INTEGER NOT NULL,
          at INTEGER NOT NULL,
          outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'retry', 'failed')),
          answer TEXT NOT NULL DEFAULT ''
        ) STRICT;
        CREATE INDEX mail_attempts_outbox ON mail_attempts (outbox_id, at);
      )sql",
    };
    // 10 on: the bureau's side, the kiosks, the rollup, push, alerts and several servers
    // (migrations_later.cpp).
    const auto& later = LaterSchemaMigrations();
    list.insert(list.end(), later.begin(), later.end());
    return list;
  }();
  return migrations;
}

}  // namespace mizu::backend
