// The units of work on App::db (app.hpp): WriteDb commits what fn wrote when it returns and rolls all of it
// back when fn throws, holding db_mutex; ReadDb reads on a pooled read-only connection beside the writer, in
// one snapshot. Both return fn's value. Through a real App on a real SQLite file.
#include <catch2/catch.hpp>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "mizu/backend/app.hpp"
#include "server_fixture.hpp"

using mizu::backend::App;
using mizu::backend::Database;
using mizu::backend::ReadDb;
using mizu::backend::WriteDb;

namespace {

// An App on a fresh data folder, without the relay, the scheduler or a server.
class BareApp {
 public:
  BareApp() : dir_("mizu-uow") {
    mizu::backend::Config config;
    config.data_dir = (dir_ / "data").string();
    config.test_mode = true;
    app_ = mizu::backend::OpenApp(config);
  }
  App& operator*() { return *app_; }

 private:
  mizu::testing::TempDir dir_;  // first: removed after the App is closed
  std::unique_ptr<App> app_;
};

void Put(Database& db, const std::string& key, const std::string& value) {
  db.Prepare("INSERT INTO server_state (key, value) VALUES (?, ?)").Bind(1, key).Bind(2, value).Run();
}

// The value stored under key, read on a connection of its own (what another process would see).
std::optional<std::string> Committed(App& app, const std::string& key) {
  Database other(app.db_path);
  auto q = other.Prepare("SELECT value FROM server_state WHERE key = ?");
  q.Bind(1, key);
  if (!q.Step()) return std::nullopt;
  return q.Text(0);
}

// Whether another thread could take db_mutex right now.
bool LockIsFree(App& app) {
  return std::async(std::launch::async,
                    [&app] {
                      if (!app.db_mutex.try_lock()) return false;
                      app.db_mutex.unlock();
                      return true;
                    })
      .get();
}

}  // namespace

TEST_CASE("WriteDb commits what fn wrote when fn returns", "[db][unit_of_work]") {
  BareApp app;
  WriteDb(*app, [](Database& db) {
    Put(db, "uow.a", "1");
    Put(db, "uow.b", "2");
  });
  CHECK(Committed(*app, "uow.a") == "1");
  CHECK(Committed(*app, "uow.b") == "2");
}

TEST_CASE("WriteDb rolls back everything fn wrote when fn throws, and the exception propagates",
          "[db][unit_of_work]") {
  BareApp app;
  struct Refused : std::runtime_error {
    using std::runtime_error::runtime_error;
  };
  CHECK_THROWS_AS(WriteDb(*app,
                          [](Database& db) {
                            Put(db, "uow.gone", "1");
                            throw Refused("no");
                          }),
                  Refused);
  CHECK_FALSE(Committed(*app, "uow.gone"));
  CHECK(LockIsFree(*app));  // released on the way out
  // The database is usable again: no transaction was left open.
  WriteDb(*app, [](Database& db) { Put(db, "uow.after", "2"); });
  CHECK(Committed(*app, "uow.after") == "2");
}

TEST_CASE("WriteDb returns the value of fn, also a move-only one", "[db][unit_of_work]") {
  BareApp app;
  int64_t id = WriteDb(*app, [](Database& db) {
    Put(db, "uow.id", "x");
    auto q = db.Prepare("SELECT rowid FROM server_state WHERE key = 'uow.id'");
    q.Step();
    return q.Int(0);
  });
  CHECK(id > 0);
  auto owned = WriteDb(*app, [](Database& db) {
    Put(db, "uow.owned", "y");
    return std::make_unique<std::string>("y");
  });
  REQUIRE(owned);
  CHECK(*owned == "y");
  CHECK(Committed(*app, "uow.owned") == "y");
}

TEST_CASE("ReadDb returns the value of fn and sees what WriteDb committed", "[db][unit_of_work]") {
  BareApp app;
  WriteDb(*app, [](Database& db) { Put(db, "uow.read", "42"); });
  std::string value = ReadDb(*app, [](Database& db) {
    auto q = db.Prepare("SELECT value FROM server_state WHERE key = 'uow.read'");
    return q.Step() ? q.Text(0) : std::string();
  });
  CHECK(value == "42");
  int version = ReadDb(*app, [](Database& db) { return db.SchemaVersion(); });
  CHECK(version > 0);
}

TEST_CASE("WriteDb holds db_mutex while fn runs, ReadDb never takes it", "[db][unit_of_work]") {
  BareApp app;
  bool free_in_write = true, free_in_read = false;
  WriteDb(*app, [&](Database&) { free_in_write = LockIsFree(*app); });
  ReadDb(*app, [&](Database&) { free_in_read = LockIsFree(*app); });
  CHECK_FALSE(free_in_write);
  CHECK(free_in_read);
  CHECK(LockIsFree(*app));
}

TEST_CASE("ReadDb answers while the writer holds db_mutex and an open write transaction",
          "[db][unit_of_work]") {
  BareApp app;
  WriteDb(*app, [](Database& db) { Put(db, "uow.beside", "before"); });
  std::promise<void> writing, finish;
  auto writer = std::async(std::launch::async, [&] {
    WriteDb(*app, [&](Database& db) {
      db.Prepare("UPDATE server_state SET value = 'during' WHERE key = 'uow.beside'").Run();
      writing.set_value();
      finish.get_future().wait();  // holds db_mutex and the write transaction until the reader is done
    });
  });
  writing.get_future().wait();
  // Another thread: the reader must not need db_mutex (this thread does not hold it either).
  auto read = std::async(std::launch::async, [&] {
    return ReadDb(*app, [](Database& db) {
      auto q = db.Prepare("SELECT value FROM server_state WHERE key = 'uow.beside'");
      return q.Step() ? q.Text(0) : std::string();
    });
  });
  // A reader that waited for the writer would never become ready while the writer waits for `finish`.
  REQUIRE(read.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
  CHECK(read.get() == "before");  // the committed state, not the open transaction's
  finish.set_value();
  writer.get();
  CHECK(ReadDb(*app, [](Database& db) {
          auto q = db.Prepare("SELECT value FROM server_state WHERE key = 'uow.beside'");
          return q.Step() ? q.Text(0) : std::string();
        }) == "during");
}

TEST_CASE("ReadDb refuses a write: its connections are read-only", "[db][unit_of_work]") {
  BareApp app;
  CHECK_THROWS_AS(ReadDb(*app, [](Database& db) { Put(db, "uow.sneaky", "x"); }), mizu::backend::DbError);
  CHECK_FALSE(Committed(*app, "uow.sneaky").has_value());
}

namespace {

std::string ValueOf(App& app, const std::string& key) {
  return ReadDb(app, [&](Database& db) {
    auto q = db.Prepare("SELECT value FROM server_state WHERE key = ?");
    q.Bind(1, key);
    return q.Step() ? q.Text(0) : std::string();
  });
}

// WriteDb on another thread (so that this thread's ReadScope is not involved), waited for.
void SetElsewhere(App& app, const std::string& key, const std::string& value) {
  std::async(std::launch::async, [&] {
    WriteDb(app, [&](Database& db) {
      db.Prepare("UPDATE server_state SET value = ? WHERE key = ?").Bind(1, value).Bind(2, key).Run();
    });
  }).get();
}

}  // namespace

TEST_CASE("ReadScope: every ReadDb of the scope reads one snapshot, after the scope the next sees new writes",
          "[db][unit_of_work][read_scope]") {
  BareApp app;
  WriteDb(*app, [](Database& db) { Put(db, "uow.scope", "before"); });
  {
    mizu::backend::ReadScope scope(*app);
    CHECK(ValueOf(*app, "uow.scope") == "before");
    SetElsewhere(*app, "uow.scope", "after");
    CHECK(Committed(*app, "uow.scope") == "after");  // committed: another connection sees it
    CHECK(ValueOf(*app, "uow.scope") == "before");   // the scope's snapshot does not
    CHECK_THROWS_AS(ReadDb(*app, [](Database& db) { db.Prepare("SELECT nonsense FROM nowhere").Step(); }),
                    mizu::backend::DbError);
    CHECK(ValueOf(*app, "uow.scope") == "before");  // a failed read leaves the snapshot usable
  }
  CHECK(ValueOf(*app, "uow.scope") == "after");
}

TEST_CASE("ReadScope: a WriteDb on the scope's own thread ends the snapshot, so the next ReadDb sees it",
          "[db][unit_of_work][read_scope]") {
  BareApp app;
  WriteDb(*app, [](Database& db) { Put(db, "uow.own", "before"); });
  mizu::backend::ReadScope scope(*app);
  CHECK(ValueOf(*app, "uow.own") == "before");
  WriteDb(*app, [](Database& db) {
    db.Prepare("UPDATE server_state SET value = 'mine' WHERE key = 'uow.own'").Run();
  });
  CHECK(ValueOf(*app, "uow.own") == "mine");
  SetElsewhere(*app, "uow.own", "theirs");
  CHECK(ValueOf(*app, "uow.own") == "mine");  // the fresh snapshot began at the read after the write
}

TEST_CASE("ReadScope: a scope inside a scope of the same App changes nothing, reads stay read-only",
          "[db][unit_of_work][read_scope]") {
  BareApp app;
  WriteDb(*app, [](Database& db) { Put(db, "uow.nested", "before"); });
  mizu::backend::ReadScope outer(*app);
  CHECK(ValueOf(*app, "uow.nested") == "before");
  {
    mizu::backend::ReadScope inner(*app);
    SetElsewhere(*app, "uow.nested", "after");
    CHECK(ValueOf(*app, "uow.nested") == "before");
  }
  CHECK(ValueOf(*app, "uow.nested") == "before");  // the inner scope's end did not end the outer snapshot
  CHECK_THROWS_AS(ReadDb(*app, [](Database& db) { Put(db, "uow.sneaky2", "x"); }), mizu::backend::DbError);
  CHECK_FALSE(Committed(*app, "uow.sneaky2").has_value());
}
