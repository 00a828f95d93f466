// ctsctl journal: operations on a journal, one subcommand each (a table below: a new
// one is a function and a row). `inspect` summarises a journal, `export` writes its
// records as JSON Lines (both read-only, beside a running engine), `compact` folds old
// closed orders into a snapshot as the engine does, and `migrate` copies a SQLite
// journal into a PostgreSQL stream under the same sequence numbers. Journal locations
// are printed with any password redacted.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include <cts/core/clock.hpp>
#include <cts/core/file_replacement.hpp>
#include <cts/engine/config.hpp>
#include <cts/health/detail/json.hpp>
#include <cts/store/compaction.hpp>
#include <cts/store/copy_journal.hpp>
#include <cts/store/open_journal.hpp>
#include <cts/store/postgres_journal.hpp>
#include <cts/store/sqlite_journal.hpp>
#include <cts/venue/json_body.hpp>

#include "ctsctl/args.hpp"
#include "ctsctl/command.hpp"
#include "ctsctl/journal_json.hpp"
#include "ctsctl/journal_survey.hpp"
#include "ctsctl/output.hpp"

namespace {

constexpr std::string_view kUsage =
    "usage: ctsctl journal inspect --journal LOCATION [--json] [--multiplier SYMBOL=SIZE ...]\n"
    "       ctsctl journal export --journal LOCATION [--output FILE]\n"
    "       ctsctl journal compact --journal LOCATION [--retention DURATION] [--multiplier SYMBOL=SIZE ...]\n"
    "       ctsctl journal migrate --from SQLITE_PATH --to postgresql://user@host:port/db?stream=NAME\n"
    "\n"
    "LOCATION is a SQLite journal's path or postgresql://user@host:port/db?stream=NAME\n"
    "(the engine's journal setting; the stream defaults to \"default\"; a password in the\n"
    "URL is never printed).\n"
    "\n"
    "  inspect   summarises the journal: backend, stream, records by kind, first and last\n"
    "            seq and time, size in bytes, the snapshot, the open orders and the\n"
    "            positions (exact decimals). --json prints one JSON object instead.\n"
    "  export    writes every record as JSON Lines, one object per line (seq, kind, time\n"
    "            and the record's fields, decimals as strings), to standard output or\n"
    "            --output FILE (replaced whole once every record is written; mode 0600).\n"
    "            inspect and export only read: they take no lock and work while an\n"
    "            engine owns the journal, reading what it had committed when they started.\n"
    "  compact   folds the closed orders whose last event is older than --retention\n"
    "            (<n>d, <n>h, <n>m, or 0 for every closed order; default 1d) and their\n"
    "            fills into a snapshot, as the engine's journal.retention does, and prints\n"
    "            the records and bytes before and after. It owns the journal while it\n"
    "            runs: refused, changing nothing, while an engine (or anything else) does.\n"
    "  migrate   copies every record of the SQLite journal at SQLITE_PATH into the\n"
    "            PostgreSQL journal's stream (the engine's journal setting; the stream\n"
    "            defaults to \"default\"), under the same sequence numbers, in one\n"
    "            transaction: all of them or none. Refused when the stream already\n"
    "            holds records, or when either journal is in use (stop the engine\n"
    "            first). The SQLite journal keeps its records.\n"
    "\n"
    "The journal records each order's symbol, not its contract size: a contract whose\n"
    "size is not 1 is named with --multiplier SYMBOL=SIZE (e.g. BTC/USDT:USDT=0.01) unless\n"
    "a snapshot holds it already. inspect shows such a position's realized PnL as unknown\n"
    "without it; compact refuses to run without it (the snapshot would keep a wrong PnL).\n"
    "\n"
    "Exit status: 0 done, 1 refused or failed (reason printed: the journal in use, the\n"
    "server unreachable, a write failed), 2 bad input (usage, a missing journal file or\n"
    "stream, a file that is not a journal, a malformed URL, duration or size).\n";

int fail(const cts::Error& error) {
  ctsctl::print_err("ctsctl journal: {}\n", error.to_string());
  return 1;
}

int usage_error(std::string_view what) {
  ctsctl::print_err("ctsctl journal: {}\n{}", what, kUsage);
  return 2;
}

// Bad input: the error's message and exit status 2.
int bad_input(const cts::Error& error) {
  ctsctl::print_err("ctsctl journal: {}\n", error.to_string());
  return 2;
}

// The exit status of a journal that could not be opened for reading: 2 when the input
// names no journal (a missing file or stream, a file that is not a journal, a malformed
// URL), 1 otherwise (a server that cannot be reached, a failure).
int open_failure(const cts::Error& error) {
  const bool input = error.code == cts::ErrorCode::invalid_argument || error.code == cts::ErrorCode::protocol_error;
  return input ? bad_input(error) : fail(error);
}

int migrate(std::span<const std::string_view> args) {
  static constexpr std::string_view kValued[] = {"from", "to"};
  cts::Result<ctsctl::Args> parsed = ctsctl::Args::parse(args, kValued, {});
  if (!parsed) return usage_error(parsed.error().message);
  if (!parsed->positional().empty()) return usage_error("unexpected argument " + parsed->positional()[0]);
  const std::optional<std::string> from = parsed->get("from");
  const std::optional<std::string> to = parsed->get("to");
  if (!from || !to) return usage_error("migrate needs --from and --to");
  if (cts::store::is_postgres_url(*from)) return usage_error("--from is the path of a SQLite journal");
  if (!cts::store::is_postgres_url(*to)) return usage_error("--to is a postgresql:// URL");

  // Opening a SQLite journal creates a missing file: a mistyped path must not migrate
  // an empty journal. A read-only open first refuses it, and a file that is not a
  // journal, as bad input.
  if (cts::Result<std::unique_ptr<cts::store::Journal>> probe = cts::store::open_journal_for_reading(*from, "default");
      !probe) {
    return open_failure(probe.error());
  }
  cts::Result<std::unique_ptr<cts::store::SqliteJournal>> source = cts::store::SqliteJournal::open(*from);
  if (!source) return fail(source.error());
  cts::Result<std::unique_ptr<cts::store::Journal>> target = cts::store::open_journal(*to, "default");
  if (!target) return fail(target.error());
  cts::Result<std::uint64_t> copied = cts::store::copy_journal(**source, **target);
  if (!copied) return fail(copied.error());
  ctsctl::print_out("migrated {} records (seq 1 to {}) from {} to {}\n", *copied, *copied, *from,
                    cts::store::journal_display_name(*to));
  return 0;
}

// The --journal location of `args`, or the usage error's status.
std::variant<std::string, int> journal_location(const ctsctl::Args& args) {
  if (!args.positional().empty()) return usage_error("unexpected argument " + args.positional()[0]);
  std::optional<std::string> location = args.get("journal");
  if (!location || location->empty()) return usage_error("--journal LOCATION is needed");
  return std::move(*location);
}

// The --multiplier SYMBOL=SIZE values of `args`.
cts::Result<std::map<std::string, cts::Decimal>> multipliers(const ctsctl::Args& args) {
  std::map<std::string, cts::Decimal> out;
  for (const std::string& given : args.all("multiplier")) {
    const std::size_t eq = given.rfind('=');
    cts::Result<cts::Decimal> size = eq == std::string::npos ? cts::Result<cts::Decimal>(cts::make_error(
                                                                   cts::ErrorCode::invalid_argument, "no size"))
                                                             : cts::Decimal::parse(std::string_view(given).substr(eq + 1));
    if (!size || !size->is_positive() || eq == 0) {
      return cts::make_error(cts::ErrorCode::invalid_argument,
                             fmt::format("--multiplier \"{}\": expected SYMBOL=SIZE, the size a positive decimal", given));
    }
    if (!out.emplace(given.substr(0, eq), *size).second) {
      return cts::make_error(cts::ErrorCode::invalid_argument,
                             fmt::format("--multiplier names {} twice", given.substr(0, eq)));
    }
  }
  return out;
}

// The bytes `journal` takes, as journal.max_size measures them (Journal::size_bytes):
// the SQLite file and its log, or a PostgreSQL stream's stored records.
std::uint64_t journal_bytes(const cts::store::Journal& journal) { return journal.size_bytes().value_or(0); }

// "sqlite" or "postgresql", and the stream ("" for SQLite), of `location`.
std::pair<std::string_view, std::string> backend_of(std::string_view location) {
  if (!cts::store::is_postgres_url(location)) return {"sqlite", {}};
  cts::Result<cts::store::PostgresLocation> parsed = cts::store::PostgresLocation::parse(location);
  return {"postgresql", parsed && !parsed->stream.empty() ? parsed->stream : std::string("default")};
}

std::string time_text(const std::optional<cts::SystemTime>& t) {
  return t ? cts::health::detail::rfc3339_nano(*t) : std::string("-");
}

// What inspect shows of one symbol's position: its cycles summed.
struct PositionTotals {
  std::string symbol;
  cts::Decimal quantity;
  std::optional<cts::Decimal> average_price;  // none when flat
  cts::Decimal realized_pnl;
  cts::Decimal bought;
  cts::Decimal sold;
  std::uint64_t fills = 0;
  std::string settle;
  bool pnl_known = true;
};

std::vector<PositionTotals> position_totals(const cts::order::Account& account, const std::vector<std::string>& unknown_size) {
  std::map<std::string, PositionTotals> by_symbol;
  account.positions().for_each_position([&](const std::vector<cts::order::Position>& closed, const cts::order::Position& current) {
    PositionTotals& t = by_symbol[current.spec().symbol];
    t.symbol = current.spec().symbol;
    t.settle = std::string(current.spec().settle.view());
    t.pnl_known = std::find(unknown_size.begin(), unknown_size.end(), t.symbol) == unknown_size.end();
    t.quantity += current.signed_qty();
    if (!current.signed_qty().is_zero()) t.average_price = current.avg_open();
    const auto add = [&t](const cts::order::Position& p) {
      const cts::order::Position::State s = p.state();
      t.realized_pnl += s.realized_pnl;
      t.bought += s.buy_qty;
      t.sold += s.sell_qty;
      t.fills += s.fill_count;
    };
    for (const cts::order::Position& p : closed) add(p);
    add(current);
  });
  std::vector<PositionTotals> out;
  for (auto& [symbol, totals] : by_symbol) out.push_back(std::move(totals));
  return out;
}

std::vector<const cts::order::Order*> open_orders(const cts::order::Account& account) {
  std::vector<const cts::order::Order*> out;
  account.orders().for_each([&](const cts::order::Order& order) {
    if (order.is_open()) out.push_back(&order);
  });
  return out;
}

std::string inspect_json(std::string_view location, const ctsctl::JournalSurvey& survey, std::uint64_t bytes,
                         const cts::store::ReplayStats& replayed, const cts::order::Account& account,
                         const std::vector<std::string>& unknown_size) {
  const auto [backend, stream] = backend_of(location);
  cts::venue::JsonBody out;
  out.begin_object();
  out.string("backend", backend);
  out.string("journal", cts::store::journal_display_name(location));
  if (stream.empty()) out.null("stream");
  else out.string("stream", stream);
  out.begin_object("records");
  out.integer("total", static_cast<std::int64_t>(survey.records));
  out.integer("order_created", static_cast<std::int64_t>(survey.orders_created));
  out.integer("order_event", static_cast<std::int64_t>(survey.order_events));
  out.integer("fills", static_cast<std::int64_t>(survey.fills));
  out.integer("snapshot", static_cast<std::int64_t>(survey.snapshots));
  out.integer("refused", static_cast<std::int64_t>(replayed.refused));
  out.end_object();
  out.integer("first_seq", static_cast<std::int64_t>(survey.first_seq));
  out.integer("last_seq", static_cast<std::int64_t>(survey.last_seq));
  const auto time = [&](std::string_view key, const std::optional<cts::SystemTime>& t) {
    if (t) out.string(key, cts::health::detail::rfc3339_nano(*t));
    else out.null(key);
  };
  time("first_time", survey.first_time);
  time("last_time", survey.last_time);
  out.integer("size_bytes", static_cast<std::int64_t>(bytes));
  if (survey.snapshot_seq) {
    out.begin_object("snapshot");
    out.integer("seq", static_cast<std::int64_t>(*survey.snapshot_seq));
    out.end_object();
  } else {
    out.null("snapshot");
  }
  out.begin_array("open_orders");
  for (const cts::order::Order* order : open_orders(account)) {
    out.begin_object();
    out.string("client_order_id", order->client_id().view());
    out.string("symbol", order->symbol());
    out.string("side", cts::to_string(order->side()));
    out.string("type", cts::to_string(order->type()));
    out.decimal("quantity", order->quantity());
    if (order->price()) out.decimal("price", *order->price());
    else out.null("price");
    out.decimal("filled", order->filled());
    out.string("state", cts::order::to_string(order->status()));
    out.end_object();
  }
  out.end_array();
  out.begin_array("positions");
  for (const PositionTotals& p : position_totals(account, unknown_size)) {
    out.begin_object();
    out.string("symbol", p.symbol);
    out.decimal("quantity", p.quantity);
    if (p.average_price) out.decimal("average_price", *p.average_price);
    else out.null("average_price");
    if (p.pnl_known) out.decimal("realized_pnl", p.realized_pnl);
    else out.null("realized_pnl");
    out.string("pnl_asset", p.settle);
    out.decimal("bought", p.bought);
    out.decimal("sold", p.sold);
    out.integer("fills", static_cast<std::int64_t>(p.fills));
    out.end_object();
  }
  out.end_array();
  out.end_object();
  return std::move(out).take();
}

std::string inspect_text(std::string_view location, const ctsctl::JournalSurvey& survey, std::uint64_t bytes,
                         const cts::store::ReplayStats& replayed, const cts::order::Account& account,
                         const std::vector<std::string>& unknown_size) {
  const auto [backend, stream] = backend_of(location);
  std::string out = fmt::format("journal    {} ({})\n", cts::store::journal_display_name(location), backend);
  if (!stream.empty()) out += fmt::format("stream     {}\n", stream);
  out += fmt::format("records    {}: {} order_created, {} order_event ({} fills), {} snapshot\n", survey.records,
                     survey.orders_created, survey.order_events, survey.fills, survey.snapshots);
  if (survey.records != 0) out += fmt::format("seq        {} to {}\n", survey.first_seq, survey.last_seq);
  out += fmt::format("time       {} to {}\n", time_text(survey.first_time), time_text(survey.last_time));
  out += fmt::format("size       {} bytes\n", bytes);
  out += survey.snapshot_seq ? fmt::format("snapshot   at seq {}\n", *survey.snapshot_seq) : std::string("snapshot   none\n");
  if (replayed.refused != 0) {
    out += fmt::format("refused    {} records (refused the same way when they were journaled)\n", replayed.refused);
  }
  const std::vector<const cts::order::Order*> open = open_orders(account);
  out += fmt::format("open orders: {}\n", open.size());
  for (const cts::order::Order* order : open) {
    out += fmt::format("  {}  {}  {} {}  {} @ {}  filled {}  {}\n", order->client_id().view(), order->symbol(),
                       cts::to_string(order->side()), cts::to_string(order->type()), order->quantity(),
                       order->price() ? order->price()->to_string() : std::string("market"), order->filled(),
                       cts::order::to_string(order->status()));
  }
  const std::vector<PositionTotals> positions = position_totals(account, unknown_size);
  out += fmt::format("positions: {}\n", positions.size());
  for (const PositionTotals& p : positions) {
    out += fmt::format("  {}  quantity {}  average price {}  realized PnL {}  bought {}  sold {}  fills {}\n", p.symbol,
                       p.quantity, p.average_price ? p.average_price->to_string() : std::string("-"),
                       p.pnl_known ? fmt::format("{} {}", p.realized_pnl, p.settle)
                                   : std::string("unknown (give --multiplier for its contract size)"),
                       p.bought, p.sold, p.fills);
  }
  return out;
}

// A journal opened for reading, surveyed, and the account its replay needs.
struct ReadJournal {
  std::unique_ptr<cts::store::Journal> journal;
  ctsctl::JournalSurvey survey;
  ctsctl::ScratchAccount scratch;
};

using MakeScratch = cts::Result<ctsctl::ScratchAccount> (*)(const ctsctl::JournalSurvey&,
                                                            const std::map<std::string, cts::Decimal>&);

// Opens `where` for reading, surveys it and makes its scratch account with `make`; or
// the exit status of the failure (printed).
std::variant<ReadJournal, int> read_journal(const std::string& where, const std::map<std::string, cts::Decimal>& sizes,
                                            MakeScratch make) {
  cts::Result<std::unique_ptr<cts::store::Journal>> journal = cts::store::open_journal_for_reading(where, "default");
  if (!journal) return open_failure(journal.error());
  cts::Result<ctsctl::JournalSurvey> survey = ctsctl::survey_journal(**journal);
  if (!survey) return fail(survey.error());
  cts::Result<ctsctl::ScratchAccount> scratch = make(*survey, sizes);
  if (!scratch) return bad_input(scratch.error());
  return ReadJournal{std::move(*journal), std::move(*survey), std::move(*scratch)};
}

int inspect(std::span<const std::string_view> args) {
  static constexpr std::string_view kValued[] = {"journal"};
  static constexpr std::string_view kFlags[] = {"json"};
  static constexpr std::string_view kRepeated[] = {"multiplier"};
  cts::Result<ctsctl::Args> parsed = ctsctl::Args::parse(args, kValued, kFlags, kRepeated);
  if (!parsed) return usage_error(parsed.error().message);
  std::variant<std::string, int> location = journal_location(*parsed);
  if (const int* status = std::get_if<int>(&location)) return *status;
  const std::string& where = std::get<std::string>(location);
  cts::Result<std::map<std::string, cts::Decimal>> sizes = multipliers(*parsed);
  if (!sizes) return bad_input(sizes.error());
  std::variant<ReadJournal, int> read = read_journal(where, *sizes, &ctsctl::scratch_account);
  if (const int* status = std::get_if<int>(&read)) return *status;
  ReadJournal& r = std::get<ReadJournal>(read);
  cts::Result<cts::store::ReplayStats> replayed = cts::store::replay_into(*r.journal, *r.scratch.account);
  if (!replayed) return fail(replayed.error());
  const std::uint64_t bytes = journal_bytes(*r.journal);
  if (parsed->flag("json")) {
    ctsctl::print_out("{}\n", inspect_json(where, r.survey, bytes, *replayed, *r.scratch.account, r.scratch.unknown_size));
  } else {
    ctsctl::print_out("{}", inspect_text(where, r.survey, bytes, *replayed, *r.scratch.account, r.scratch.unknown_size));
  }
  return 0;
}

int export_records(std::span<const std::string_view> args) {
  static constexpr std::string_view kValued[] = {"journal", "output"};
  cts::Result<ctsctl::Args> parsed = ctsctl::Args::parse(args, kValued, {});
  if (!parsed) return usage_error(parsed.error().message);
  std::variant<std::string, int> location = journal_location(*parsed);
  if (const int* status = std::get_if<int>(&location)) return *status;
  const std::string& where = std::get<std::string>(location);
  const std::optional<std::string> output = parsed->get("output");
  if (output && output->empty()) return usage_error("--output needs a file name");
  cts::Result<std::unique_ptr<cts::store::Journal>> journal = cts::store::open_journal_for_reading(where, "default");
  if (!journal) return open_failure(journal.error());
  // The file is replaced in one step once every record is written: a failed export
  // leaves an earlier one in place, never a partial file.
  std::optional<cts::FileReplacement> file;
  if (output) {
    cts::Result<cts::FileReplacement> begun = cts::FileReplacement::begin(*output);
    if (!begun) {
      return bad_input(cts::make_error(cts::ErrorCode::invalid_argument,
                                       fmt::format("--output {}: cannot be written: {}", *output, begun.error().message)));
    }
    file.emplace(std::move(*begun));
  }
  std::uint64_t written = 0;
  cts::Result<void> done = (*journal)->replay(0, [&](const cts::store::JournalRecord& record) -> cts::Result<void> {
    cts::Result<std::string> line = ctsctl::record_json(record);
    if (!line) return line.error();
    line->push_back('\n');
    if (file) {
      if (cts::Result<void> put = file->write(*line); !put) return put.error();
    } else {
      ctsctl::write_best_effort(stdout, *line);
    }
    ++written;
    return {};
  });
  if (done && file) done = file->commit();
  if (!done) return fail(done.error());
  if (output) ctsctl::print_err("exported {} records of {} to {}\n", written, cts::store::journal_display_name(where), *output);
  return 0;
}

// The compaction cutoff of --retention (default 1d; 0: now, every closed order).
cts::Result<std::chrono::seconds> retention_of(const ctsctl::Args& args) {
  const std::string text = args.get("retention").value_or("1d");
  if (text == "0") return std::chrono::seconds(0);
  const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
  });
  // The engine's own parser of journal.retention decides what a duration is.
  cts::Result<cts::engine::EngineConfig> config =
      plain ? cts::engine::parse_engine_config("journal.retention = " + text)
            : cts::Result<cts::engine::EngineConfig>(cts::make_error(cts::ErrorCode::invalid_argument, "not a duration"));
  if (!config || !config->journal_retention) {
    return cts::make_error(cts::ErrorCode::invalid_argument,
                           fmt::format("--retention \"{}\": expected 0 or a whole number of days, hours or minutes "
                                       "(7d, 12h, 90m; at most 3650d)",
                                       text));
  }
  return *config->journal_retention;
}

// The scratch account of a compaction: every contract's size known (a guessed one
// would be kept in the snapshot). Errors: those of scratch_account, and
// invalid_argument naming a contract whose size is not known.
cts::Result<ctsctl::ScratchAccount> compaction_account(const ctsctl::JournalSurvey& survey,
                                                       const std::map<std::string, cts::Decimal>& sizes) {
  cts::Result<ctsctl::ScratchAccount> scratch = ctsctl::scratch_account(survey, sizes);
  if (scratch && !scratch->unknown_size.empty()) {
    const std::string& symbol = scratch->unknown_size.front();
    return cts::make_error(cts::ErrorCode::invalid_argument,
                           fmt::format("the journal does not record the contract size of {}: give --multiplier {}=SIZE "
                                       "(nothing changed)",
                                       symbol, symbol));
  }
  return scratch;
}

int compact(std::span<const std::string_view> args) {
  static constexpr std::string_view kValued[] = {"journal", "retention"};
  static constexpr std::string_view kRepeated[] = {"multiplier"};
  cts::Result<ctsctl::Args> parsed = ctsctl::Args::parse(args, kValued, {}, kRepeated);
  if (!parsed) return usage_error(parsed.error().message);
  std::variant<std::string, int> location = journal_location(*parsed);
  if (const int* status = std::get_if<int>(&location)) return *status;
  const std::string& where = std::get<std::string>(location);
  cts::Result<std::chrono::seconds> retention = retention_of(*parsed);
  if (!retention) return bad_input(retention.error());
  cts::Result<std::map<std::string, cts::Decimal>> sizes = multipliers(*parsed);
  if (!sizes) return bad_input(sizes.error());
  // Checked on a read-only open first: a missing file or stream, a file that is not a
  // journal, or a contract size missing is refused before the owner's open (which
  // would create a journal, and writes).
  if (std::variant<ReadJournal, int> probe = read_journal(where, *sizes, &compaction_account);
      std::holds_alternative<int>(probe)) {
    return std::get<int>(probe);
  }
  cts::Result<std::unique_ptr<cts::store::Journal>> journal = cts::store::open_journal(where, "default");
  if (!journal) return fail(journal.error());
  // Surveyed again as its owner: the records may have changed since.
  cts::Result<ctsctl::JournalSurvey> before = ctsctl::survey_journal(**journal);
  if (!before) return fail(before.error());
  cts::Result<ctsctl::ScratchAccount> scratch = compaction_account(*before, *sizes);
  if (!scratch) return fail(scratch.error());
  const std::uint64_t bytes_before = journal_bytes(**journal);
  const cts::SystemTime cutoff = cts::RealClock{}.system_now() - *retention;
  cts::Result<cts::store::CompactionStats> stats = cts::store::compact_journal(**journal, *scratch->account, cutoff);
  if (!stats) return fail(stats.error());
  const std::string name = cts::store::journal_display_name(where);
  if (stats->orders_folded == 0) {
    ctsctl::print_out("nothing to compact in {}: no closed order older than the retention ({} orders kept)\n", name,
                      stats->orders_kept);
  } else {
    ctsctl::print_out("compacted {}: {} closed orders folded into a snapshot at seq {}, {} orders kept\n", name,
                      stats->orders_folded, stats->snapshot_seq, stats->orders_kept);
  }
  cts::Result<ctsctl::JournalSurvey> after = ctsctl::survey_journal(**journal);
  if (!after) return fail(after.error());
  ctsctl::print_out("records {} -> {}\nbytes {} -> {}\n", before->records, after->records, bytes_before,
                    journal_bytes(**journal));
  return 0;
}

// The subcommands: name and entry point (arguments after the name).
struct Subcommand {
  std::string_view name;
  int (*run)(std::span<const std::string_view> args);
};
constexpr Subcommand kSubcommands[] = {
    {"inspect", &inspect},
    {"export", &export_records},
    {"compact", &compact},
    {"migrate", &migrate},
};

int journal(std::span<const std::string_view> args) {
  if (args.empty()) return usage_error("a subcommand is needed");
  for (const Subcommand& sub : kSubcommands) {
    if (args[0] == sub.name) return sub.run(args.subspan(1));
  }
  return usage_error(fmt::format("unknown subcommand \"{}\"", args[0]));
}

const ctsctl::RegisterCommand registered{
    {"journal", "operations on a journal: inspect, export (JSON Lines), compact, migrate SQLite to PostgreSQL", kUsage, &journal}};

}  // namespace
