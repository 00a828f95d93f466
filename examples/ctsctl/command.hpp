#pragma once
/// \file
/// The ctsctl command table. Each subcommand lives in its own cmd_<name>.cpp and
/// registers itself with a static RegisterCommand object, so adding one touches no
/// other file.

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ctsctl {

/// One subcommand: its name, a one-line summary for `ctsctl --help`, its usage text
/// for `ctsctl <name> --help`, and its entry point (arguments after the name; returns
/// the process exit code).
struct Command {
  std::string_view name;
  std::string_view summary;
  std::string_view usage;
  int (*run)(std::span<const std::string_view> args) = nullptr;
};

/// Every registered command, sorted by name when read through commands().
std::vector<Command>& command_table();

/// Registers a command at static-initialisation time.
struct RegisterCommand {
  explicit RegisterCommand(const Command& command) { command_table().push_back(command); }
};

}  // namespace ctsctl
