#pragma once
/// \file
/// The engine configuration a ctsctl command works with: the file named by --config
/// (key = value lines, docs/engine.md), then --venue and --category on top of it, as
/// `ctsctl run` and `ctsctl check` read them.

#include <cts/core/result.hpp>
#include <cts/engine/config.hpp>
#include <cts/sign/secret.hpp>

#include "ctsctl/args.hpp"

namespace ctsctl {

/// Largest configuration file read: a real one is a few hundred bytes.
inline constexpr std::size_t kMaxConfigBytes = 1024 * 1024;

/// The configuration of --config FILE (defaults without one), with --venue (the venue
/// and its default market, unless --category names one) and --category (a market of
/// the configured venue) applied. `args` must have been parsed with config, venue and
/// category as valued options. Errors: the file's (unreadable, too large, a bad key,
/// prefixed with its path); invalid_argument for a venue or category cts cannot trade,
/// naming the ones it can.
cts::Result<cts::engine::EngineConfig> load_engine_config(const Args& args);

/// The API passphrase held by the environment variable `config.api_passphrase_env`
/// when it is set and not empty (OKX signs with one), else an empty Secret (the venues
/// that take none; OKX's signer then refuses to be made, saying so). Never printed.
cts::Result<cts::sign::Secret> load_passphrase(const cts::engine::EngineConfig& config);

}  // namespace ctsctl
