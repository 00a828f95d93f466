// Journal/append_group_commit (256 fill records per commit, WAL, durability `process`)
// against Floor/sqlite_insert_group_commit (the same rows inserted with bare SQLite, no
// encoding), both on a file in the system temp directory.
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include <benchmark/benchmark.h>

#include <cts/store.hpp>

namespace {

using namespace cts::literals;

constexpr int kBatch = 256;

std::filesystem::path temp_file(std::string_view name) {
  auto path = std::filesystem::temp_directory_path() / (std::string(name) + "-" + std::to_string(::getpid()) + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path;
}

void remove_db(const std::filesystem::path& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

cts::store::JournalRecord fill_record(std::uint64_t n) {
  cts::order::Fill f{cts::order::TradeId::from(std::to_string(3'000'000'000ULL + n)).value(), "0.013"_d, "64231.5"_d,
                     "0.0001"_d, cts::order::Asset::from("USDT").value()};
  return cts::store::JournalRecord::for_event(cts::ClientOrderId::from("0Qx7bH2a00011").value(),
                                              cts::order::make_fill_event(f, cts::from_unix_millis(1'763'800'000'000)));
}

void Journal_append_group_commit(benchmark::State& state) {
  const auto path = temp_file("cts-bench-journal");
  {
    auto journal = cts::store::SqliteJournal::open(path, {cts::store::Durability::process, false}).value();
    std::uint64_t n = 0;
    for (auto _ : state) {
      for (int k = 0; k < kBatch; ++k) (void)journal->append(fill_record(++n));
      if (!journal->commit()) state.SkipWithError("commit failed");
    }
  }
  remove_db(path);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * kBatch);
}
BENCHMARK(Journal_append_group_commit)->Name("Journal/append_group_commit")->Unit(benchmark::kMicrosecond);

void Floor_sqlite_insert_group_commit(benchmark::State& state) {
  const auto path = temp_file("cts-bench-sqlite");
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
               "CREATE TABLE journal(seq INTEGER PRIMARY KEY, kind INTEGER, client_id TEXT, body TEXT, checksum INTEGER)",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO journal VALUES(?,?,?,?,?)", -1, &insert, nullptr);
  const std::string body = cts::store::encode_body(fill_record(1));
  std::int64_t n = 0;
  for (auto _ : state) {
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    for (int k = 0; k < kBatch; ++k) {
      sqlite3_bind_int64(insert, 1, ++n);
      sqlite3_bind_int(insert, 2, 2);
      sqlite3_bind_text(insert, 3, "0Qx7bH2a00011", -1, SQLITE_STATIC);
      sqlite3_bind_text(insert, 4, body.data(), static_cast<int>(body.size()), SQLITE_STATIC);
      sqlite3_bind_int64(insert, 5, n);
      sqlite3_step(insert);
      sqlite3_reset(insert);
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  }
  sqlite3_finalize(insert);
  sqlite3_close(db);
  remove_db(path);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * kBatch);
}
BENCHMARK(Floor_sqlite_insert_group_commit)->Name("Floor/sqlite_insert_group_commit")->Unit(benchmark::kMicrosecond);

}  // namespace
