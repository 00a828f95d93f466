#pragma once
/// \file
/// Internal to cts::engine: the status page the control API serves at GET / — one
/// self-contained HTML file (src/engine/status_page/index.html) compiled into the
/// library by cmake/CtsEmbedFile.cmake.

#include <string_view>

#include "cts/core/http.hpp"

namespace cts::engine::detail {

/// The page's bytes (UTF-8 HTML); static storage, valid for the life of the program.
/// Defined in the source file the build generates from index.html.
std::string_view status_page_html() noexcept;

/// The page's Content-Security-Policy: nothing may load from anywhere but the page's own
/// inline script and style, data: images and fetch() to the engine itself; no frame
/// may embed it, no form may post anywhere.
inline constexpr std::string_view kStatusPagePolicy =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// A 200 answer with the page and its security headers (the policy above,
/// X-Frame-Options DENY, no referrer). It holds no data, so it needs no token.
HttpResponse status_page_response();

}  // namespace cts::engine::detail
