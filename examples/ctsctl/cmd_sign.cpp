// ctsctl sign <venue> ...: prints what a venue's auth scheme produces for exactly the
// given inputs (signature as placed on the wire, auth headers, added parameters) — the
// tool to reach for when a venue answers "signature invalid".
#include <array>
#include <chrono>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <cts/core/clock.hpp>
#include <cts/core/http.hpp>
#include <cts/core/json_string.hpp>
#include <cts/core/venue_id.hpp>
#include <cts/sign.hpp>

#include "ctsctl/args.hpp"
#include "ctsctl/command.hpp"

namespace {

using cts::sign::Secret;

constexpr std::array<std::string_view, 16> kValued{
    "secret", "secret-file", "secret-env", "key",        "passphrase", "method", "path",  "query",
    "body",   "timestamp",   "nonce",      "expires",    "recv-window", "host",  "token", "channel"};
constexpr std::array<std::string_view, 3> kFlags{"json", "ws", "legacy"};

// The headers whose value is itself a credential: shown masked.
constexpr std::array<std::string_view, 2> kMaskedHeaders{"OK-ACCESS-PASSPHRASE", "Authorization"};

struct Failure {
  std::string message;
};

// Timestamps accepted: 1970-01-01 up to, not including, 2100-01-01 (in milliseconds;
// far enough for any signature, well inside the clock's range).
constexpr std::int64_t kMaxTimestampMillis = 4'102'444'800'000 - 1;
// The widest receive window a venue accepts (Binance's maximum, 60 s).
constexpr std::int64_t kMaxRecvWindowMillis = 60'000;

std::optional<std::int64_t> parse_digits(std::string_view text) {
  auto value = ctsctl::parse_integer("", text, 0, std::numeric_limits<std::int64_t>::max());
  if (!value) return std::nullopt;
  return *value;
}

// --timestamp: Unix seconds (up to 11 digits), Unix milliseconds (12+ digits), or
// ISO 8601 UTC "YYYY-MM-DDThh:mm:ss[.mmm][Z]" (as OKX and HTX print their examples),
// from 1970 to 2099.
cts::Result<cts::SystemTime> parse_time(std::string_view text) {
  const auto bad = cts::make_error(cts::ErrorCode::invalid_argument,
                                   fmt::format("--timestamp \"{}\" is neither Unix seconds/milliseconds nor "
                                               "YYYY-MM-DDThh:mm:ss[.mmm][Z] from 1970 to 2099",
                                               text));
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos) {
    const auto n = parse_digits(text);
    if (!n) return bad;
    const std::int64_t millis = text.size() <= 11 ? (*n > kMaxTimestampMillis / 1000 ? -1 : *n * 1000) : *n;
    if (millis < 0 || millis > kMaxTimestampMillis) return bad;
    return cts::from_unix_millis(millis);
  }
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':') {
    return bad;
  }
  const auto field = [&](std::size_t pos, std::size_t len) { return parse_digits(text.substr(pos, len)); };
  const auto y = field(0, 4), mo = field(5, 2), d = field(8, 2), h = field(11, 2), mi = field(14, 2), s = field(17, 2);
  if (!y || !mo || !d || !h || !mi || !s) return bad;
  if (*y < 1970 || *y > 2099 || *h > 23 || *mi > 59 || *s > 59) return bad;
  std::string_view rest = text.substr(19);
  std::int64_t millis = 0;
  if (!rest.empty() && rest[0] == '.') {
    if (rest.size() < 4) return bad;
    const auto ms = parse_digits(rest.substr(1, 3));
    if (!ms) return bad;
    millis = *ms;
    rest.remove_prefix(4);
  }
  if (rest == "Z") rest = {};
  if (!rest.empty()) return bad;
  using namespace std::chrono;
  const year_month_day date{year{static_cast<int>(*y)}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  if (!date.ok()) return bad;
  const auto t = sys_days{date} + hours{*h} + minutes{*mi} + seconds{*s} + milliseconds{millis};
  return cts::SystemTime{duration_cast<cts::SystemTime::duration>(t.time_since_epoch())};
}

// --recv-window, when given: 1..60000 ms.
cts::Result<std::optional<std::int64_t>> recv_window(const ctsctl::Args& args) {
  const auto text = args.get("recv-window");
  if (!text) return std::optional<std::int64_t>();
  cts::Result<std::int64_t> ms = ctsctl::parse_integer("recv-window", *text, 1, kMaxRecvWindowMillis);
  if (!ms) return ms.error();
  return std::optional<std::int64_t>(*ms);
}

cts::Result<cts::HttpMethod> parse_method(std::string_view text) {
  for (auto m : {cts::HttpMethod::get, cts::HttpMethod::post, cts::HttpMethod::put, cts::HttpMethod::delete_,
                 cts::HttpMethod::patch}) {
    if (cts::detail::iequals(text, cts::to_string(m))) return m;
  }
  return cts::make_error(cts::ErrorCode::invalid_argument, fmt::format("unknown --method \"{}\"", text));
}

cts::Result<Secret> load_secret(const ctsctl::Args& args) {
  const int sources = (args.get("secret") ? 1 : 0) + (args.get("secret-file") ? 1 : 0) + (args.get("secret-env") ? 1 : 0);
  if (sources > 1) {
    return cts::make_error(cts::ErrorCode::invalid_argument, "give only one of --secret, --secret-file, --secret-env");
  }
  if (auto s = args.get("secret")) return Secret(*s);
  if (auto f = args.get("secret-file")) return Secret::from_file(*f);
  return Secret::from_env(args.get("secret-env").value_or("CTS_API_SECRET").c_str());
}

// What gets printed: the signature, the headers, and the request as it goes out.
struct Output {
  std::string signature;
  cts::HttpHeaders headers;
  std::optional<cts::HttpRequest> request;
  std::vector<std::pair<std::string, std::string>> extra;  // WebSocket frame, auth params...
};

std::string shown_value(cts::HttpHeaderView h) {
  for (std::string_view masked : kMaskedHeaders) {
    if (cts::detail::iequals(h.name, masked) && !h.value.starts_with("Bearer ")) return std::string(Secret::kMask);
  }
  return std::string(h.value);
}

void print(const Output& out, cts::VenueId venue, bool json) {
  if (json) {
    using cts::json_string;
    std::string s = fmt::format(R"({{"venue":"{}","signature":{},"headers":{{)", venue, json_string(out.signature));
    for (std::size_t i = 0; i < out.headers.size(); ++i) {
      s += fmt::format(R"({}{}:{})", i ? "," : "", json_string(out.headers[i].name),
                       json_string(shown_value(out.headers[i])));
    }
    s += "}";
    if (out.request) {
      s += fmt::format(R"(,"method":"{}","path":{},"query":{},"body":{})", cts::to_string(out.request->method),
                       json_string(out.request->path), json_string(out.request->query), json_string(out.request->body));
    }
    for (const auto& [name, value] : out.extra) s += fmt::format(R"(,"{}":{})", name, json_string(value));
    fmt::print("{}}}\n", s);
    return;
  }
  fmt::print("venue:     {}\nsignature: {}\n", venue, out.signature);
  if (out.request) {
    fmt::print("request:   {} {}\n", cts::to_string(out.request->method), out.request->target());
    if (!out.request->body.empty()) fmt::print("body:      {}\n", out.request->body);
  }
  if (!out.headers.empty()) fmt::print("headers:\n");
  for (const auto& h : out.headers) fmt::print("  {}: {}\n", h.name, shown_value(h));
  for (const auto& [name, value] : out.extra) fmt::print("{}: {}\n", name, value);
}

cts::Result<Output> sign_rest(cts::VenueId venue, const ctsctl::Args& args, cts::sign::Credentials creds,
                              const cts::sign::SigningContext& context) {
  cts::sign::SignerOptions options;
  const cts::Result<std::optional<std::int64_t>> window = recv_window(args);
  if (!window) return window.error();
  if (*window) options.recv_window_ms = **window;
  options.host = args.get("host").value_or("");
  if (args.flag("legacy")) options.coinbase_auth = cts::sign::CoinbaseAuth::legacy_hmac;
  auto method = parse_method(args.get("method").value_or("GET"));
  if (!method) return method.error();
  auto signer = cts::sign::make_signer(venue, std::move(creds), std::move(options));
  if (!signer) return signer.error();
  if (auto* orangex = dynamic_cast<cts::sign::OrangexSigner*>(signer->get())) {
    orangex->set_access_token(Secret(args.get("token").value_or("")));
  }
  cts::HttpRequest request{*method, args.get("path").value_or("/"), args.get("query").value_or(""),
                           args.get("body").value_or(""), {}};
  if (auto r = (*signer)->sign(request, context); !r) return r.error();
  Output out;
  const auto slot = (*signer)->signature_slot();
  if (slot.where == cts::sign::SignatureSlot::Where::header) {
    out.signature = std::string(request.header(slot.name).value_or(""));
  } else {
    auto p = cts::sign::find_param(request.query, slot.name);
    if (!p) p = cts::sign::find_param(request.body, slot.name);
    out.signature = std::string(p.value_or(""));
  }
  out.headers = request.headers;
  out.request = std::move(request);
  return out;
}

cts::Result<Output> sign_ws(cts::VenueId venue, const ctsctl::Args& args, const cts::sign::Credentials& c,
                            const cts::sign::SigningContext& context) {
  using namespace cts::sign;
  Output out;
  const std::int64_t ms = cts::to_unix_millis(context.now);
  try {
    switch (venue) {
      case cts::VenueId::binance_spot:
      case cts::VenueId::binance_usdm: {
        std::vector<std::pair<std::string, std::string>> params;
        for (const auto& p : split_params(args.get("query").value_or(""))) params.emplace_back(p.name, p.value);
        const cts::Result<std::optional<std::int64_t>> window = recv_window(args);
        if (!window) return window.error();
        auto sig = BinanceHmacSigner(venue, c.api_key, c.secret, *window).sign_ws_params(params, context);
        if (!sig) return sig.error();
        out.signature = *sig;
        std::string signed_params;
        for (const auto& [k, v] : params) append_param(signed_params, k, v);
        out.extra.emplace_back("params", signed_params);
        return out;
      }
      case cts::VenueId::bybit: {
        cts::Result<std::int64_t> expires =
            args.get("expires") ? ctsctl::parse_integer("expires", *args.get("expires"), 0, kMaxTimestampMillis)
                                : cts::Result<std::int64_t>(ms + 10000);
        if (!expires) return expires.error();
        const BybitSigner signer(c.api_key, c.secret);
        out.signature = signer.ws_auth_signature(*expires);
        out.extra.emplace_back("frame", signer.ws_auth_frame(*expires));
        return out;
      }
      case cts::VenueId::okx: {
        const OkxSigner signer(c.api_key, c.secret, c.passphrase);
        out.signature = signer.ws_login_signature(ms / 1000);
        return out;
      }
      case cts::VenueId::htx: {
        const HtxSigner signer(c.api_key, c.secret, args.get("host").value_or(""));
        out.signature = signer.ws_auth_signature(context.now);
        out.extra.emplace_back("frame", signer.ws_auth_frame(context.now));
        return out;
      }
      case cts::VenueId::gate: {
        const auto query = args.get("query").value_or("");
        const auto channel = find_param(query, "channel");
        const auto event = find_param(query, "event");
        if (!channel || !event) {
          return cts::make_error(cts::ErrorCode::invalid_argument, "gate --ws needs --query \"channel=..&event=..\"");
        }
        out.signature = GateSigner(c.api_key, c.secret).ws_channel_signature(*channel, *event, ms / 1000);
        return out;
      }
      case cts::VenueId::pionex: {
        const std::string query = PionexSigner(c.api_key, c.secret).ws_auth_query(ms);
        out.signature = std::string(find_param(query, "signature").value_or(""));
        out.extra.emplace_back("url_query", query);
        return out;
      }
      case cts::VenueId::coinbase: {
        const std::string jwt = CoinbaseJwtSigner(c.api_key, c.secret, args.get("host").value_or(""))
                                    .ws_jwt(context.now, context.nonce_text);
        out.signature = jwt.substr(jwt.rfind('.') + 1);
        out.extra.emplace_back("jwt", jwt);
        return out;
      }
      default:
        return cts::make_error(cts::ErrorCode::unsupported, fmt::format("{} has no WebSocket auth signature", venue));
    }
  } catch (const cts::Exception& e) {
    return e.error();
  }
}

cts::Result<Output> sign_orangex_auth(const cts::sign::Credentials& c, const cts::sign::SigningContext& context) {
  try {
    const auto params = cts::sign::OrangexSigner(c.api_key, c.secret).auth_params(context);
    Output out;
    out.signature = params.signature;
    out.extra.emplace_back("grant_type", "client_signature");
    out.extra.emplace_back("client_id", params.client_id);
    out.extra.emplace_back("timestamp", std::to_string(params.timestamp_ms));
    out.extra.emplace_back("nonce", params.nonce);
    return out;
  } catch (const cts::Exception& e) {
    return e.error();
  }
}

int run(std::span<const std::string_view> args) {
  const auto fail = [](const cts::Error& e) {
    fmt::print(stderr, "ctsctl sign: {}\n", e.to_string());
    return 2;
  };
  auto parsed = ctsctl::Args::parse(args, kValued, kFlags);
  if (!parsed) return fail(parsed.error());
  if (parsed->positional().size() != 1) {
    return fail(cts::make_error(cts::ErrorCode::invalid_argument, "expected exactly one venue; see ctsctl sign --help"));
  }
  auto venue = cts::parse_venue(parsed->positional()[0]);
  if (!venue) return fail(venue.error());
  auto secret = load_secret(*parsed);
  if (!secret) return fail(secret.error());

  cts::sign::Credentials creds{parsed->get("key").value_or(""), std::move(*secret),
                               Secret(parsed->get("passphrase").value_or(""))};
  if (creds.api_key.empty()) creds.api_key = "ctsctl-key";  // signatures that do not cover the key still print

  cts::sign::SigningContext context{cts::RealClock{}.system_now(), {}, {}};
  if (auto t = parsed->get("timestamp")) {
    auto at = parse_time(*t);
    if (!at) return fail(at.error());
    context.now = *at;
  }
  const std::string nonce = parsed->get("nonce").value_or("");
  if (!nonce.empty()) {
    context.nonce_text = nonce;
    if (*venue == cts::VenueId::kraken) {
      const auto n = ctsctl::parse_integer("nonce", nonce, 1, std::numeric_limits<std::int64_t>::max());
      if (!n) return fail(n.error());
      context.nonce = static_cast<std::uint64_t>(*n);
    }
  }

  cts::Result<Output> out = *venue == cts::VenueId::orangex && !parsed->get("token")
                                ? sign_orangex_auth(creds, context)
                            : parsed->flag("ws") ? sign_ws(*venue, *parsed, creds, context)
                                                 : sign_rest(*venue, *parsed, std::move(creds), context);
  if (!out) return fail(out.error());
  print(*out, *venue, parsed->flag("json"));
  return 0;
}

const ctsctl::RegisterCommand registered{
    {"sign", "show the signature a venue's auth scheme produces for given inputs",
     "usage: ctsctl sign <venue> [--secret S | --secret-file F | --secret-env VAR] [--key K]\n"
     "                   [--passphrase P] [--method M] [--path P] [--query Q] [--body B]\n"
     "                   [--timestamp T] [--nonce N] [--expires E] [--recv-window MS]\n"
     "                   [--host H] [--legacy] [--token T] [--ws] [--json]\n\n"
     "Signs exactly the given request with the venue's scheme (cts::sign) and prints the\n"
     "signature as placed on the wire, the auth headers and the request as sent\n"
     "(credential headers such as OK-ACCESS-PASSPHRASE are masked). With --json, prints an\n"
     "object with at least \"signature\" and \"headers\".\n\n"
     "venues: binance, binance-usdm, bybit, okx, kraken, coinbase, htx, gate, bingx,\n"
     "        pionex, orangex\n"
     "secret: --secret on the command line, --secret-file (must be chmod 600), or the\n"
     "        environment variable --secret-env (default CTS_API_SECRET)\n"
     "--timestamp: Unix seconds, Unix milliseconds, or YYYY-MM-DDThh:mm:ss[.mmm][Z],\n"
     "        1970 to 2099 (default: now, as a live request would use). A timestamp in\n"
     "        --query (Binance, BingX, Pionex) is signed as given.\n"
     "--recv-window: 1 to 60000 ms\n"
     "--nonce: Kraken's nonce (integer); Coinbase JWT / OrangeX nonce text\n"
     "--ws:    the WebSocket auth signature instead (binance: --query params sorted;\n"
     "        bybit: --expires ms; okx: login; htx; gate: --query channel=..&event=..;\n"
     "        pionex; coinbase: subscribe JWT)\n"
     "orangex: without --token prints the /public/auth client_signature; with --token\n"
     "        signs the request with the bearer token\n"
     "--legacy: Coinbase legacy HMAC key (default: detected from the secret)\n\n"
     "example (Binance documentation, prints c8db5682...):\n"
     "  ctsctl sign binance --secret NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j \\\n"
     "    --method POST --path /api/v3/order --timestamp 1499827319559 \\\n"
     "    --query 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000'\n",
     &run}};

}  // namespace
