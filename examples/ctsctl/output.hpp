#pragma once
/// \file
/// Best-effort console output for commands that must outlive their terminal: a write
/// to a closed pipe (`ctsctl run | head -3`), a full disk or a closed descriptor is
/// dropped, never an exception and never the end of the process (SIGPIPE is ignored by
/// the command's signal policy, so the write fails with EPIPE instead).

#include <cstdio>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace ctsctl {

/// Writes `text` to `stream` and flushes it; failures are ignored. Thread-safe as
/// stdio is (each call is one fwrite).
void write_best_effort(std::FILE* stream, std::string_view text) noexcept;

/// fmt::print to standard output, best effort (see write_best_effort).
template <class... Args>
void print_out(fmt::format_string<Args...> format, Args&&... args) noexcept {
  try {
    write_best_effort(stdout, fmt::format(format, std::forward<Args>(args)...));
  } catch (...) {  // only std::bad_alloc can get here: the line is dropped like a failed write
  }
}

/// fmt::print to standard error, best effort (see write_best_effort).
template <class... Args>
void print_err(fmt::format_string<Args...> format, Args&&... args) noexcept {
  try {
    write_best_effort(stderr, fmt::format(format, std::forward<Args>(args)...));
  } catch (...) {  // only std::bad_alloc can get here: the line is dropped like a failed write
  }
}

}  // namespace ctsctl
