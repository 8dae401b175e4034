// The schema migrations from version 10 on (migrations.hpp): the second part of SchemaMigrations' list, kept
// in its own file (append-only, as the first: never edit a shipped migration, add a new one at the end here).
#include "migrations.hpp"

namespace mizu::backend {

const std::vector<const char*>& LaterSchemaMigrations() {
  static const std::vector<const char*> migrations = {
      // 10: the staff's work queues (staff_work.hpp). Applications get the bureau's statuses (received,
      // scheduled, done, rejected; the unused processing/completed/cancelled map onto them) and a status
      // history; notices get the kind `outage` (断水・濁水), an optional end (ends_at: no longer shown after
      // it), and notification_settings the same kind; the notices staff publish are kept with their target
      // and
      // counts (bureau_notices; each reached contract gets a notices row with ref "bureau:<id>"). Tables are
      // rebuilt to change their CHECKs (foreign keys are off while migrating).
      R"sql(
        CREATE TABLE applications_new (
          id INTEGER PRIMARY KEY,
          reference TEXT NOT NULL UNIQUE,
          kind TEXT NOT NULL CHECK (kind IN ('move_in', 'move_out')),
          status TEXT NOT NULL DEFAULT 'received'
            CHECK (status IN ('received', 'scheduled', 'done', 'rejected')),
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
        INSERT INTO applications_new SELECT id, reference, kind,
            CASE status WHEN 'processing' THEN 'scheduled' WHEN 'completed' THEN 'done'
                        WHEN 'cancelled' THEN 'rejected' ELSE status END,
            customer_number, postal_code, address, name, name_kana, phone, email, desired_date, payment_method,
            forwarding_address, lang, client, created_at, updated_at FROM applications;
        DROP TABLE applications;
        ALTER TABLE applications_new RENAME TO applications;
        CREATE INDEX applications_email ON applications (email COLLATE NOCASE, created_at);
        CREATE INDEX applications_client ON applications (client, created_at);
        CREATE INDEX applications_status ON applications (status, id);
        CREATE TABLE application_history (
          id INTEGER PRIMARY KEY,
          application_id INTEGER NOT NULL REFERENCES applications (id),
          at INTEGER NOT NULL,
          staff_id INTEGER REFERENCES staff (id),
          from_status TEXT NOT NULL,
          to_status TEXT NOT NULL,
          note TEXT NOT NULL DEFAULT ''
        ) STRICT;
        CREATE INDEX application_history_application ON application_history (application_id, at);

        CREATE TABLE notices_new (
          id INTEGER PRIMARY KEY,
          customer_number TEXT REFERENCES customers (customer_number),
          kind TEXT NOT NULL CHECK (kind IN ('meter_reading', 'payment', 'bureau', 'outage')),
          ref TEXT NOT NULL DEFAULT '',
          title_ja TEXT NOT NULL,
          body_ja TEXT NOT NULL,
          title_en TEXT NOT NULL,
          body_en TEXT NOT NULL,
          published_at INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          ends_at INTEGER
        ) STRICT;
        INSERT INTO notices_new (id, customer_number, kind, ref, title_ja, body_ja, title_en, body_en,
            published_at, created_at)
          SELECT id, customer_number, kind, ref, title_ja, body_ja, title_en, body_en, published_at, created_at
          FROM notices;
        DROP TABLE notices;
        ALTER TABLE notices_new RENAME TO notices;
        CREATE UNIQUE INDEX notices_ref ON notices (customer_number, kind, ref) WHERE ref != '';
        CREATE INDEX notices_contract ON notices (customer_number, published_at);

        CREATE TABLE notification_settings_new (
          account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
          kind TEXT NOT NULL CHECK (kind IN ('meter_reading', 'payment', 'bureau', 'outage')),
          email INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (account_id, kind)
        ) STRICT;
        INSERT INTO notification_settings_new SELECT account_id, kind, email, updated_at
          FROM notification_settings;
        DROP TABLE notification_settings;
        ALTER TABLE notification_settings_new RENAME TO notification_settings;

        CREATE TABLE bureau_notices (
          id INTEGER PRIMARY KEY,
          kind TEXT NOT NULL CHECK (kind IN ('bureau', 'outage')),
          title_ja TEXT NOT NULL,
          body_ja TEXT NOT NULL,
          title_en TEXT NOT NULL,
          body_en TEXT NOT NULL,
          published_at INTEGER NOT NULL,
          ends_at INTEGER,
          target TEXT NOT NULL CHECK (target IN ('all', 'list', 'district')),
          target_detail TEXT NOT NULL DEFAULT '',
          contracts INTEGER NOT NULL,
          mailed INTEGER NOT NULL,
          staff_id INTEGER REFERENCES staff (id),
          created_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX bureau_notices_published ON bureau_notices (published_at);
      )sql",
      // 11: counter kiosks (kiosk.hpp): terminals an administrator enrolled, each with a token (stored
      // hashed)
      // the terminal presents on every request until it is revoked.
      R"sql(
        CREATE TABLE kiosks (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          token_hash TEXT NOT NULL UNIQUE,
          created_at INTEGER NOT NULL,
          created_by INTEGER REFERENCES staff (id),
          revoked_at INTEGER,
          last_seen_at INTEGER
        ) STRICT;
      )sql",
      // 12: kiosk sessions (kiosk.hpp): a session begun on a counter kiosk names it, and only requests from
      // that terminal (its X-Mizu-Kiosk token) may use it. NULL: a browser session.
      R"sql(
        ALTER TABLE sessions ADD COLUMN kiosk_id INTEGER REFERENCES kiosks (id);
        CREATE INDEX sessions_kiosk ON sessions (kiosk_id) WHERE kiosk_id IS NOT NULL;
      )sql",
      // 13: the daily usage rollup (ingest.hpp): per meter and JST day, what the day's hours with both
      // bounding
      // registers add up to, kept in the transaction that stores the readings. Filled from the day tables
      // of an older database at open (EnsureDailyRollup), then server_state 'usage_daily.complete' is set.
      R"sql(
        CREATE TABLE usage_daily (
          meter INTEGER NOT NULL,
          day INTEGER NOT NULL,
          missing_hours INTEGER NOT NULL,
          volume_l INTEGER NOT NULL,
          max_rise_l INTEGER NOT NULL,
          drops INTEGER NOT NULL,
          PRIMARY KEY (meter, day)
        ) WITHOUT ROWID, STRICT;
      )sql",
      // 14: Web Push (push.hpp). A browser's push subscription (RFC 8030 endpoint, RFC 8291 keys as
      // base64url)
      // belongs to one account; `enabled` is the resident's choice per device on 通知受信設定, `ended_at` set
      // when the push service answers 404/410 or the device unsubscribes. The outbox is rebuilt so that its
      // channel may be 'push' (SQLite cannot change a CHECK): to_addr = "push:<subscription id>", body_text =
      // the message and its e-mail fallback as JSON.
      R"sql(
        CREATE TABLE push_subscriptions (
          id INTEGER PRIMARY KEY,
          account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
          endpoint TEXT NOT NULL UNIQUE,
          p256dh TEXT NOT NULL,
          auth TEXT NOT NULL,
          device TEXT NOT NULL,
          enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
          created_at INTEGER NOT NULL,
          last_sent_at INTEGER,
          ended_at INTEGER,
          ended_reason TEXT
        ) STRICT;
        CREATE INDEX push_subscriptions_account ON push_subscriptions (account_id) WHERE ended_at IS NULL;
        CREATE TABLE mail_outbox_new (
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
          last_error TEXT,
          channel TEXT NOT NULL DEFAULT 'mail' CHECK (channel IN ('mail', 'sms', 'push')),
          expires_at INTEGER
        ) STRICT;
        INSERT INTO mail_outbox_new SELECT id, message_key, kind, lang, to_addr, to_name, subject, body_text,
          status, attempts, created_at, next_attempt_at, claim, last_attempt_at, sent_at, last_error, channel,
          expires_at FROM mail_outbox;
        DROP TABLE mail_outbox;
        ALTER TABLE mail_outbox_new RENAME TO mail_outbox;
        CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id) WHERE status IN ('pending', 'sending');
        CREATE INDEX mail_outbox_to ON mail_outbox (to_addr COLLATE NOCASE, created_at);
      )sql",
      // 15: the watch's alerts (alerts.hpp): the choices per watch (settings as JSON, recipients a JSON array
      // of
      // the watch's addresses; [] = all), looked for from active_from; one event row per (watch, episode) —
      // the exactly-once key, inserted in the transaction of its mails — with its status: sent, held (quiet
      // hours, until hold_until) or dropped (away, or found too late).
      R"sql(
        CREATE TABLE watch_alerts (
          watch_id INTEGER PRIMARY KEY REFERENCES watches (id) ON DELETE CASCADE,
          settings TEXT NOT NULL,
          recipients TEXT NOT NULL,
          active_from INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE alert_events (
          watch_id INTEGER NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
          episode TEXT NOT NULL,
          kind TEXT NOT NULL,
          at_utc INTEGER NOT NULL,
          facts TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('sent', 'held', 'dropped')),
          hold_until INTEGER,
          created_at INTEGER NOT NULL,
          sent_at INTEGER,
          mails INTEGER NOT NULL DEFAULT 0,
          subject TEXT NOT NULL DEFAULT '',
          PRIMARY KEY (watch_id, episode)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX alert_events_held ON alert_events (hold_until) WHERE status = 'held';
      )sql",
      // 16: a watch's continuous-flow alerts by time, for the hourly pass to recognise an episode already
      // alerted whose start moved with late data, and to close one that began before its look-back.
      // (The same text on PostgreSQL: migrations_postgres.cpp.)
      R"sql(
        CREATE INDEX alert_events_flow ON alert_events (watch_id, at_utc) WHERE kind = 'flow';
      )sql",
      // 17: the rate limits' and login throttle's state when several servers share the database
      // (auth.hpp SharedLimitStore): one row per (bucket, key), forgotten after expires_at.
      R"sql(
        CREATE TABLE rate_state (
          bucket TEXT NOT NULL,
          key TEXT NOT NULL,
          value TEXT NOT NULL,
          expires_at INTEGER NOT NULL,
          PRIMARY KEY (bucket, key)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX rate_state_expires ON rate_state (expires_at);
      )sql",
      // 18: 料金のお支払い (payment_codes.hpp): the CIS's convenience-store barcode and Pay-easy numbers of a
      // bill ('' when it sent none), and a staff reissue's digit and new deadline.
      // (The same text on PostgreSQL: migrations_postgres.cpp.)
      R"sql(
        ALTER TABLE bills ADD COLUMN konbini_barcode TEXT NOT NULL DEFAULT '';
        ALTER TABLE bills ADD COLUMN payeasy_customer_number TEXT NOT NULL DEFAULT '';
        ALTER TABLE bills ADD COLUMN payeasy_confirmation_number TEXT NOT NULL DEFAULT '';
        ALTER TABLE bills ADD COLUMN reissue INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE bills ADD COLUMN reissue_deadline TEXT NOT NULL DEFAULT '';
      )sql",
      // 19: the CIS's payment codes looked up by the bill they name (a barcode's company code and free field,
      // digits 3–29; a Pay-easy pair), so that an import refuses one another bill already carries (paying one
      // would be credited to the other). Partial: most bills have none.
      R"sql(
        CREATE INDEX bills_konbini_bill ON bills (substr(konbini_barcode, 3, 27)) WHERE konbini_barcode <> '';
        CREATE INDEX bills_payeasy ON bills (payeasy_customer_number, payeasy_confirmation_number)
          WHERE payeasy_customer_number <> '';
      )sql",
      // 20: what has been received for each bill, kept on the bill (the sum of its payments, written by these
      // triggers in the same statement as the payment itself), so that listing the bills reads one row each
      // instead of summing the payments of every bill on every read (docs/performance.md).
      // (The same rule on PostgreSQL: migrations_postgres.cpp.)
      R"sql(
        ALTER TABLE bills ADD COLUMN paid INTEGER NOT NULL DEFAULT 0;
        UPDATE bills SET paid = (SELECT COALESCE(SUM(p.amount), 0) FROM payments p
          WHERE p.customer_number = bills.customer_number AND p.reading_date = bills.reading_date);
        CREATE TRIGGER payments_paid_insert AFTER INSERT ON payments BEGIN
          UPDATE bills SET paid = (SELECT COALESCE(SUM(p.amount), 0) FROM payments p
            WHERE p.customer_number = NEW.customer_number AND p.reading_date = NEW.reading_date)
          WHERE customer_number = NEW.customer_number AND reading_date = NEW.reading_date;
        END;
        CREATE TRIGGER payments_paid_update AFTER UPDATE ON payments BEGIN
          UPDATE bills SET paid = (SELECT COALESCE(SUM(p.amount), 0) FROM payments p
            WHERE p.customer_number = OLD.customer_number AND p.reading_date = OLD.reading_date)
          WHERE customer_number = OLD.customer_number AND reading_date = OLD.reading_date;
          UPDATE bills SET paid = (SELECT COALESCE(SUM(p.amount), 0) FROM payments p
            WHERE p.customer_number = NEW.customer_number AND p.reading_date = NEW.reading_date)
          WHERE customer_number = NEW.customer_number AND reading_date = NEW.reading_date;
        END;
        CREATE TRIGGER payments_paid_delete AFTER DELETE ON payments BEGIN
          UPDATE bills SET paid = (SELECT COALESCE(SUM(p.amount), 0) FROM payments p
            WHERE p.customer_number = OLD.customer_number AND p.reading_date = OLD.reading_date)
          WHERE customer_number = OLD.customer_number AND reading_date = OLD.reading_date;
        END;
      )sql",
      // 21: bills stored in their primary key's order (WITHOUT ROWID, sqlite.org/withoutrowid.html): a
      // customer's bills are one run of one B-tree, not an index run plus a table lookup per bill — the bills
      // list reads twelve rows on every visit to お支払い実績 (docs/performance.md). The table is rebuilt
      // (sqlite.org/lang_altertable.html, "other kinds of table schema changes"), columns in their order; the
      // indexes of 19 made again. legacy_alter_table keeps the rename from rewriting or checking the triggers
      // of 20, which name bills and refer to the rebuilt table once it has the name.
      R"sql(
        CREATE TABLE bills_rebuilt (
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
          konbini_barcode TEXT NOT NULL DEFAULT '',
          payeasy_customer_number TEXT NOT NULL DEFAULT '',
          payeasy_confirmation_number TEXT NOT NULL DEFAULT '',
          reissue INTEGER NOT NULL DEFAULT 0,
          reissue_deadline TEXT NOT NULL DEFAULT '',
          paid INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (customer_number, reading_date)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO bills_rebuilt (customer_number, reading_date, period_start, period_end, prev_reading,
            curr_reading, usage_m3, water_charge, sewer_charge, tax, total, due_date, payment_method, updated_at,
            konbini_barcode, payeasy_customer_number, payeasy_confirmation_number, reissue, reissue_deadline, paid)
          SELECT customer_number, reading_date, period_start, period_end, prev_reading, curr_reading, usage_m3,
            water_charge, sewer_charge, tax, total, due_date, payment_method, updated_at, konbini_barcode,
            payeasy_customer_number, payeasy_confirmation_number, reissue, reissue_deadline, paid FROM bills;
        DROP TABLE bills;
        PRAGMA legacy_alter_table = ON;
        ALTER TABLE bills_rebuilt RENAME TO bills;
        PRAGMA legacy_alter_table = OFF;
        CREATE INDEX bills_konbini_bill ON bills (substr(konbini_barcode, 3, 27)) WHERE konbini_barcode <> '';
        CREATE INDEX bills_payeasy ON bills (payeasy_customer_number, payeasy_confirmation_number)
          WHERE payeasy_customer_number <> '';
      )sql",
  };
  return migrations;
}

}  // namespace mizu::backend
