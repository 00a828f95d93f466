// ctsctl: the cts command-line tool. Subcommands register themselves (command.hpp).
#include <algorithm>
#include <cstdio>
#include <exception>
#include <new>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include <cts/core/error.hpp>
#include <cts/version.hpp>

#include "ctsctl/command.hpp"
#include "ctsctl/output.hpp"

namespace ctsctl {
std::vector<Command>& command_table() {
  static std::vector<Command> table;
  return table;
}
}  // namespace ctsctl

namespace {

void print_help() {
  auto commands = ctsctl::command_table();
  std::sort(commands.begin(), commands.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  fmt::print(
      "ctsctl {} - the cts command-line tool\n\n"
      "usage: ctsctl <command> [options]\n"
      "       ctsctl <command> --help\n"
      "       ctsctl --version\n\n"
      "commands:\n",
      cts::kVersion);
  for (const auto& command : commands) fmt::print("  {:<10} {}\n", command.name, command.summary);
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_help();
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    fmt::print("ctsctl {}\n", cts::kVersion);
    return 0;
  }
  const auto& table = ctsctl::command_table();
  const auto it = std::find_if(table.begin(), table.end(), [&](const auto& c) { return c.name == args[0]; });
  if (it == table.end()) {
    fmt::print(stderr, "ctsctl: unknown command \"{}\"; see ctsctl --help\n", args[0]);
    return 2;
  }
  const std::span<const std::string_view> rest(args.data() + 1, args.size() - 1);
  if (std::find(rest.begin(), rest.end(), std::string_view("--help")) != rest.end()) {
    fmt::print("{}", it->usage);
    return 0;
  }
  // A subcommand reports failures as cts::Error values; anything thrown past it is
  // caught here and reported as such, never as a bare exception text or an abort.
  try {
    return it->run(rest);
  } catch (const cts::Exception& e) {
    ctsctl::print_err("ctsctl {}: {}\n", it->name, e.error().to_string());
  } catch (const std::bad_alloc&) {
    ctsctl::print_err("ctsctl {}: out of memory\n", it->name);
  } catch (const std::exception& e) {
    ctsctl::print_err("ctsctl {}: internal error (please report it): {}\n", it->name, e.what());
  } catch (...) {
    ctsctl::print_err("ctsctl {}: internal error (please report it): unknown exception\n", it->name);
  }
  return 1;
}
