// ctsctl journal: operations on a journal, one subcommand each (a table below: a new
// one is a function and a row). `migrate` copies a SQLite journal into a PostgreSQL
// stream under the same sequence numbers. Journal locations are printed with any
// password redacted.
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include <cts/store/copy_journal.hpp>
#include <cts/store/open_journal.hpp>
#include <cts/store/postgres_journal.hpp>
#include <cts/store/sqlite_journal.hpp>

#include "ctsctl/args.hpp"
#include "ctsctl/command.hpp"
#include "ctsctl/output.hpp"

namespace {

constexpr std::string_view kUsage =
    "usage: ctsctl journal migrate --from SQLITE_PATH --to postgresql://user@host:port/db?stream=NAME\n"
    "\n"
    "  migrate   copies every record of the SQLite journal at SQLITE_PATH into the\n"
    "            PostgreSQL journal's stream (the engine's journal setting; the stream\n"
    "            defaults to \"default\"), under the same sequence numbers, in one\n"
    "            transaction: all of them or none. Refused when the stream already\n"
    "            holds records, or when either journal is in use (stop the engine\n"
    "            first). The SQLite journal keeps its records.\n"
    "\n"
    "Exit status: 0 done, 1 refused or failed (reason printed), 2 usage error.\n";

int fail(const cts::Error& error) {
  ctsctl::print_err("ctsctl journal: {}\n", error.to_string());
  return 1;
}

int usage_error(std::string_view what) {
  ctsctl::print_err("ctsctl journal: {}\n{}", what, kUsage);
  return 2;
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
  // an empty journal.
  std::error_code error;
  if (!std::filesystem::is_regular_file(*from, error)) {
    return fail(cts::make_error(cts::ErrorCode::invalid_argument, fmt::format("--from {}: no such journal file", *from)));
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

// The subcommands: name and entry point (arguments after the name).
struct Subcommand {
  std::string_view name;
  int (*run)(std::span<const std::string_view> args);
};
constexpr Subcommand kSubcommands[] = {
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
    {"journal", "operations on a journal (migrate SQLite to PostgreSQL)", kUsage, &journal}};

}  // namespace
