#include "ctsctl/engine_config_args.hpp"

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>

#include <cts/core/file.hpp>

namespace ctsctl {

cts::Result<cts::engine::EngineConfig> load_engine_config(const Args& args) {
  cts::engine::EngineConfig config;
  if (auto path = args.get("config")) {
    cts::Result<std::string> text = cts::read_small_file(*path, "config file", kMaxConfigBytes);
    if (!text) return text.error();
    cts::Result<cts::engine::EngineConfig> loaded = cts::engine::parse_engine_config(*text);
    if (!loaded) return cts::make_error(loaded.error().code, fmt::format("{}: {}", *path, loaded.error().message));
    config = std::move(*loaded);
  }
  if (!args.get("venue") && !args.get("category")) return config;
  std::string selection =
      fmt::format("venue = {}\n", args.get("venue").value_or(std::string(cts::to_string(config.venue))));
  const std::optional<std::string> category =
      args.get("category") ? args.get("category") : (args.get("venue") ? std::nullopt : std::optional(config.category));
  if (category && !category->empty()) selection += fmt::format("category = {}\n", *category);
  cts::Result<cts::engine::EngineConfig> selected = cts::engine::parse_engine_config(selection);
  if (!selected) {
    const std::string& message = selected.error().message;
    const std::size_t colon = message.find(": ");  // "line N: ..." refers to the flags here
    return cts::make_error(cts::ErrorCode::invalid_argument,
                           colon == std::string::npos ? message : message.substr(colon + 2));
  }
  config.venue = selected->venue;
  config.category = selected->category;
  return config;
}

cts::Result<cts::sign::Secret> load_passphrase(const cts::engine::EngineConfig& config) {
  const char* set = std::getenv(config.api_passphrase_env.c_str());
  if (set == nullptr || *set == '\0') return cts::sign::Secret();
  return cts::sign::Secret::from_env(config.api_passphrase_env.c_str());
}

}  // namespace ctsctl
