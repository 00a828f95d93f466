#pragma once
/// \file
/// The library version.

#include <string_view>

namespace cts {
/// Major version.
inline constexpr int kVersionMajor = 0;
/// Minor version.
inline constexpr int kVersionMinor = 1;
/// Patch version.
inline constexpr int kVersionPatch = 0;
/// "major.minor.patch".
inline constexpr std::string_view kVersion = "0.1.0";
}  // namespace cts
