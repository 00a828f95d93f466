// Fuzz target "engine_config": the reference engine's configuration parser.
// Properties: parse_engine_config() never throws; an error is invalid_argument naming
// the line ("line N: ..."); for a parsed configuration, session_config() builds every
// session it asks for without throwing (its documented contract for configurations
// the parser made).
#include <string>
#include <string_view>

#include "cts/engine/config.hpp"
#include "fuzz_target.hpp"

CTS_FUZZ_TARGET(engine_config) {
  using cts::fuzz::require;
  const auto config = cts::engine::parse_engine_config(input);
  if (!config) {
    require(config.error().code == cts::ErrorCode::invalid_argument, "a bad configuration is invalid_argument");
    require(config.error().message.starts_with("line "), "a configuration error names its line");
    return;
  }
  for (const std::string& symbol : cts::engine::session_symbols(*config)) {
    const cts::engine::EngineConfig session = cts::engine::session_config(*config, symbol);
    require(session.symbol == symbol && session.symbols.empty(), "a session trades its own symbol");
  }
}
