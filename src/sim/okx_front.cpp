// The OKX-v5-compatible REST front (SPOT and SWAP). Facts (paths, parameters, field names,
// error codes with their messages and HTTP statuses, the authentication rule, the
// per-endpoint rate limits) from OKX's v5 API documentation (REST authentication, error
// codes, and the trade, market, public data and account pages); the values that are the
// simulator's own are listed in the header's file comment.
#include "cts/sim/okx_front.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "bybit_json.hpp"
#include "cts/core/detail/crc32.hpp"
#include "cts/core/json_string.hpp"
#include "cts/sign/encoding.hpp"
#include "form.hpp"
#include "json_params.hpp"
#include "okx_json.hpp"

namespace cts::sim {
namespace {

using detail::is_okx_swap;
using detail::okx_inst_type;
using detail::okx_settle;
using detail::okx_text;

using detail::Params;
using detail::read_plain_members;
using detail::to_int;

// Most parameters one request (or one batch item) may carry.
constexpr std::size_t kMaxOkxParams = 64;
// Most orders in one batch request.
constexpr std::size_t kMaxOkxBatch = 20;
// How far the OK-ACCESS-TIMESTAMP may lie from the server's clock.
constexpr std::int64_t kOkxTimestampWindowMs = 30'000;

// An OKX error: its code (error codes page) as Error::venue_code, its message.
Error okx_error(long code, std::string message, ErrorCode kind = ErrorCode::invalid_argument) {
  return make_error(kind, std::move(message), std::to_string(code));
}

// 51000 "Parameter <name> error".
Error okx_param_error(std::string_view name) { return okx_error(51000, fmt::format("Parameter {} error", name)); }

// 50014 "Parameter <name> can not be empty."
Error okx_missing(std::string_view name) {
  return okx_error(50014, fmt::format("Parameter {} can not be empty.", name));
}

Error okx_rate_limited() { return okx_error(50011, "Too Many Requests", ErrorCode::rate_limited); }

// 50011 as OKX words it where no HTTP status carries the meaning (the WebSocket).
constexpr std::string_view kOkxRateLimitText =
    "Rate limit reached. Please refer to API documentation and throttle requests accordingly.";

// 60013, OKX's answer to a WebSocket request whose args are not what the op takes.
constexpr std::string_view kOkxInvalidArgs = "Invalid args";

// The code an error carries (51000 when it carries none).
long okx_code(const Error& e) {
  long code = 51000;
  if (const auto parsed = to_int(e.venue_code)) code = static_cast<long>(*parsed);
  return code;
}

// The HTTP status OKX sends a code with.
int okx_http_status(long code) {
  if (code == 50011) return 429;
  if (code == 50001) return 503;
  if (code == 50102 || (code >= 50100 && code <= 50120)) return 401;
  return 200;
}

// OKX's envelope; `data` is the JSON array.
HttpResponse okx_envelope(int status, long code, std::string_view message, std::string_view data) {
  HttpResponse r;
  r.status = status;
  r.headers.push_back({"Content-Type", "application/json"});
  r.body = fmt::format(R"({{"code":"{}","msg":)", code);
  append_json_string(r.body, message);
  fmt::format_to(std::back_inserter(r.body), R"(,"data":{}}})", data);
  return r;
}

HttpResponse okx_failure(const Error& e) {
  const long code = okx_code(e);
  return okx_envelope(okx_http_status(code), code, e.message, "[]");
}

HttpResponse okx_success(std::string_view data) { return okx_envelope(200, 0, "", data); }

// Which of the engine's refusals an order operation met.
enum class OkxOperation : std::uint8_t { place, amend, cancel };

// The OKX error for an engine error (the engine speaks Binance's codes on spot and
// Bybit's on linear).
Error okx_from_engine(const Error& e, OkxOperation operation) {
  switch (e.code) {
    case ErrorCode::insufficient_funds:
      return okx_error(51008, "Order failed. Insufficient balance in account.", e.code);
    case ErrorCode::duplicate_client_order_id: return okx_error(51016, "Duplicated clOrdId", e.code);
    case ErrorCode::order_not_found:
      if (operation == OkxOperation::amend) {
        return okx_error(51503, "Order modification failed as the order has been filled, canceled or does not exist.",
                         ErrorCode::rejected);
      }
      return okx_error(51400, "Order cancellation failed as the order has been filled, canceled or does not exist.",
                       ErrorCode::rejected);
    default: break;
  }
  if (e.venue_code == "-1013") {
    if (e.message.find("PERCENT_PRICE") != std::string::npos)
      return okx_error(51006, "Order price is not within the price limit.");
    if (e.message.find("LOT_SIZE") != std::string::npos)
      return okx_error(51121, "Order quantity must be a multiple of the lot size.");
    if (e.message.find("PRICE_FILTER") != std::string::npos) return okx_param_error("px");
    return okx_param_error("sz");
  }
  if (e.venue_code == "110017") {
    return okx_error(51169,
                     "Order failed because you don't have any positions in this direction for this contract to reduce "
                     "or close.",
                     ErrorCode::rejected);
  }
  if (e.code == ErrorCode::rejected) return okx_error(51000, "Parameter ordType error: a post_only order would take.");
  return okx_error(51000, fmt::format("Parameter error: {}", e.message));
}

// The limits an endpoint counts against.
enum class OkxLimit : std::uint8_t {
  none,
  place,
  amend,
  cancel,
  batch,
  order_query,
  history,
  fills,
  balance,
  positions,
  cancel_all_after
};

struct OkxRoute {
  HttpMethod method;
  std::string_view path;
  OkxLimit limit;  // none: public
};

constexpr OkxRoute kOkxRoutes[] = {
    {HttpMethod::get, "/api/v5/public/time", OkxLimit::none},
    {HttpMethod::get, "/api/v5/public/instruments", OkxLimit::none},
    {HttpMethod::get, "/api/v5/market/books", OkxLimit::none},
    {HttpMethod::get, "/api/v5/market/ticker", OkxLimit::none},
    {HttpMethod::post, "/api/v5/trade/order", OkxLimit::place},
    {HttpMethod::post, "/api/v5/trade/amend-order", OkxLimit::amend},
    {HttpMethod::post, "/api/v5/trade/cancel-order", OkxLimit::cancel},
    {HttpMethod::post, "/api/v5/trade/batch-orders", OkxLimit::batch},
    {HttpMethod::post, "/api/v5/trade/amend-batch-orders", OkxLimit::batch},
    {HttpMethod::post, "/api/v5/trade/cancel-batch-orders", OkxLimit::batch},
    {HttpMethod::post, "/api/v5/trade/cancel-all-after", OkxLimit::cancel_all_after},
    {HttpMethod::get, "/api/v5/trade/order", OkxLimit::order_query},
    {HttpMethod::get, "/api/v5/trade/orders-pending", OkxLimit::order_query},
    {HttpMethod::get, "/api/v5/trade/orders-history", OkxLimit::history},
    {HttpMethod::get, "/api/v5/trade/fills", OkxLimit::fills},
    {HttpMethod::get, "/api/v5/account/balance", OkxLimit::balance},
    {HttpMethod::get, "/api/v5/account/positions", OkxLimit::positions},
};

const OkxRoute* find_okx_route(const HttpRequest& r) {
  for (const OkxRoute& route : kOkxRoutes) {
    if (route.method == r.method && route.path == r.path) return &route;
  }
  return nullptr;
}

// The single endpoint a batch endpoint's request of one order counts as ("If there is
// only one order in the request, it will consume the rate limit of" the single
// endpoint); null for any other path.
const OkxRoute* okx_single_route_of_batch(std::string_view path) {
  std::string_view single;
  if (path == "/api/v5/trade/batch-orders") single = "/api/v5/trade/order";
  if (path == "/api/v5/trade/amend-batch-orders") single = "/api/v5/trade/amend-order";
  if (path == "/api/v5/trade/cancel-batch-orders") single = "/api/v5/trade/cancel-order";
  for (const OkxRoute& route : kOkxRoutes) {
    if (!single.empty() && route.method == HttpMethod::post && route.path == single) return &route;
  }
  return nullptr;
}

// The REST route a WebSocket order op shares its checks, items and rate limit with.
const OkxRoute& okx_route_of(OkxOrderOp op, bool batch) {
  std::string_view path;
  switch (op) {
    case OkxOrderOp::place: path = batch ? "/api/v5/trade/batch-orders" : "/api/v5/trade/order"; break;
    case OkxOrderOp::amend: path = batch ? "/api/v5/trade/amend-batch-orders" : "/api/v5/trade/amend-order"; break;
    case OkxOrderOp::cancel: path = batch ? "/api/v5/trade/cancel-batch-orders" : "/api/v5/trade/cancel-order"; break;
  }
  const auto found = std::find_if(std::begin(kOkxRoutes), std::end(kOkxRoutes), [&](const OkxRoute& route) {
    return route.method == HttpMethod::post && route.path == path;
  });
  return *found;
}

// The window a request of `route` with `cost` orders counts against: its limit, its
// length, its key ("<account>:<path>", with ":<instId>" for place, amend and cancel).
// A batch of one order counts as its single endpoint's request on `inst_id`.
struct OkxWindowOf {
  std::uint32_t limit = 0;
  std::int64_t window_ms = 0;
  std::string key;
};

OkxWindowOf okx_window_of(const OkxLimitConfig& limits, const OkxRoute& requested, AccountId account,
                          std::string_view inst_id, std::size_t cost) {
  const OkxRoute* route = &requested;
  if (route->limit == OkxLimit::batch && cost == 1) {
    if (const OkxRoute* single = okx_single_route_of_batch(route->path)) route = single;
  }
  OkxWindowOf window{0, limits.window_ms, fmt::format("{}:{}", account, route->path)};
  switch (route->limit) {
    case OkxLimit::place: window.limit = limits.place_per_window; break;
    case OkxLimit::amend: window.limit = limits.amend_per_window; break;
    case OkxLimit::cancel: window.limit = limits.cancel_per_window; break;
    case OkxLimit::batch: window.limit = limits.batch_orders_per_window; break;
    case OkxLimit::order_query: window.limit = limits.order_query_per_window; break;
    case OkxLimit::history: window.limit = limits.history_per_window; break;
    case OkxLimit::fills: window.limit = limits.fills_per_window; break;
    case OkxLimit::balance: window.limit = limits.balance_per_window; break;
    case OkxLimit::positions: window.limit = limits.positions_per_window; break;
    case OkxLimit::cancel_all_after:
      window.limit = limits.cancel_all_after_per_second;
      window.window_ms = 1000;
      break;
    case OkxLimit::none: break;
  }
  if (route->limit == OkxLimit::place || route->limit == OkxLimit::amend || route->limit == OkxLimit::cancel) {
    fmt::format_to(std::back_inserter(window.key), ":{}", inst_id);
  }
  return window;
}

// Parses OK-ACCESS-TIMESTAMP, "YYYY-MM-DDTHH:MM:SS.sssZ", into Unix milliseconds.
std::optional<std::int64_t> parse_okx_timestamp(std::string_view text) {
  if (text.size() != 24 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      text[19] != '.' || text[23] != 'Z') {
    return std::nullopt;
  }
  const auto number = [&](std::size_t at, std::size_t digits) { return to_int(text.substr(at, digits)); };
  const auto year = number(0, 4), month = number(5, 2), day = number(8, 2), hour = number(11, 2),
             minute = number(14, 2), second = number(17, 2), millis = number(20, 3);
  if (!year || !month || !day || !hour || !minute || !second || !millis) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(static_cast<int>(*year)),
                                         std::chrono::month(static_cast<unsigned>(*month)),
                                         std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
  const auto days = std::chrono::sys_days(date).time_since_epoch();
  return std::chrono::duration_cast<std::chrono::milliseconds>(days).count() +
         ((*hour * 60 + *minute) * 60 + *second) * 1000 + *millis;
}

// 51000 for more than kMaxOkxParams parameters or a name given twice.
std::optional<Error> check_okx_params(const Params& params) {
  if (params.size() > kMaxOkxParams) return okx_error(51000, "Parameter error: too many parameters.");
  for (std::size_t i = 0; i < params.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (params[i].first == params[j].first) return okx_param_error(params[i].first.substr(0, 64));
    }
  }
  return std::nullopt;
}

// A JSON body: an object (single endpoints) into `out`, or an array of objects (batch
// endpoints) into `items`; members must be plain values.
bool parse_okx_body(std::string_view body, Params& out, std::vector<Params>* items) {
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  if (parser.parse(body.data(), body.size()).get(document) != simdjson::SUCCESS) return false;
  const auto no_nesting = [](simdjson::dom::array) { return false; };
  if (items == nullptr) {
    simdjson::dom::object object;
    return document.get(object) == simdjson::SUCCESS && read_plain_members(object, out, {}, no_nesting);
  }
  simdjson::dom::array array;
  if (document.get(array) != simdjson::SUCCESS) return false;
  for (const auto element : array) {
    simdjson::dom::object item;
    if (element.get(item) != simdjson::SUCCESS) return false;
    if (!read_plain_members(item, items->emplace_back(), {}, no_nesting)) return false;
  }
  return true;
}

// A clOrdId: 1 to 32 letters and digits.
bool valid_cl_ord_id(std::string_view id) {
  return !id.empty() && id.size() <= 32 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

// The engine's market of an instId ("" when it lists none): a SWAP id names a linear
// perpetual market, any other a spot one.
std::string okx_market_of(const MatchingEngine& engine, std::string_view inst_id) {
  const InstrumentKind kind = inst_id.ends_with("-SWAP") ? InstrumentKind::linear_perpetual : InstrumentKind::spot;
  std::string key = market_key(kind, inst_id);
  return engine.instrument(key) == nullptr ? std::string() : key;
}

// An order as amend, cancel and order details name it.
struct OkxOrderTarget {
  std::string market;
  std::optional<OrderId> order_id;
  std::string cl_ord_id;
};

// Writes one acknowledgement item of `path` for `done` (or its failure, with the ids as
// sent).
void okx_item_json(std::string& out, std::string_view path, const Result<Order>& done, std::string_view cl_ord_id,
                   std::string_view req_id, std::int64_t now_ms) {
  out.append(R"({"clOrdId":)");
  append_json_string(out, cl_ord_id);
  fmt::format_to(std::back_inserter(out), R"(,"ordId":"{}")", done ? std::to_string(done->id) : std::string());
  const bool amend = path.find("amend") != std::string_view::npos;
  const bool place = path == "/api/v5/trade/order" || path == "/api/v5/trade/batch-orders";
  if (place) out.append(R"(,"tag":"")");
  fmt::format_to(std::back_inserter(out), R"(,"ts":"{}")", now_ms);
  if (amend) {
    out.append(R"(,"reqId":)");
    append_json_string(out, req_id);
  }
  if (done) {
    out.append(R"(,"sCode":"0","sMsg":""})");
  } else {
    fmt::format_to(std::back_inserter(out), R"(,"sCode":"{}","sMsg":)", okx_code(done.error()));
    append_json_string(out, done.error().message);
    out.push_back('}');
  }
}

}  // namespace

std::vector<MarketSpec> default_okx_markets() {
  using namespace cts::literals;
  const auto spot = [](std::string inst_id, std::string base, Decimal tick, Decimal lot, Decimal min) {
    MarketSpec m;
    m.instrument.venue_symbol = std::move(inst_id);
    m.instrument.base = std::move(base);
    m.instrument.quote = "USDT";
    m.instrument.tick_size = tick;
    m.instrument.step_size = lot;
    m.instrument.min_quantity = min;
    m.instrument.max_quantity = "9999999999"_d;
    m.instrument.min_notional = Decimal{};
    m.filters.max_price = "10000000"_d;
    m.filters.max_notional = Decimal{};
    m.filters.percent_price_by_side.reset();
    return m;
  };
  MarketSpec swap = spot("BTC-USDT-SWAP", "BTC", "0.1"_d, "0.01"_d, "0.01"_d);
  swap.instrument.kind = InstrumentKind::linear_perpetual;
  swap.instrument.settle = "USDT";
  swap.instrument.multiplier = "0.01"_d;
  swap.instrument.max_quantity = "100000000"_d;
  swap.filters.min_leverage = "1"_d;
  swap.filters.max_leverage = "100"_d;
  swap.filters.leverage_step = "0.01"_d;
  return {spot("BTC-USDT", "BTC", "0.1"_d, "0.00000001"_d, "0.00001"_d),
          spot("ETH-USDT", "ETH", "0.01"_d, "0.000001"_d, "0.001"_d), swap};
}

// The parameters of a request, or of one item of a batch request, with typed readers.
class OkxFront::Fields {
 public:
  Params params;
  std::optional<Error> refused;  // set when the order is refused before it runs (a WebSocket order's instIdCode)

  [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const {
    return detail::find_param(params, name);
  }

  [[nodiscard]] Result<std::string_view> required(std::string_view name) const {
    const auto v = get(name);
    if (!v) return okx_missing(name);
    return *v;
  }

  // A positive decimal parameter, if given.
  [[nodiscard]] Result<std::optional<Decimal>> decimal(std::string_view name) const {
    const auto v = get(name);
    if (!v) return std::optional<Decimal>{};
    auto d = Decimal::parse(*v);
    if (!d || !d->is_positive()) return okx_param_error(name);
    return std::optional<Decimal>(*d);
  }

  // `limit` within [1, 100], 100 when absent.
  [[nodiscard]] Result<std::size_t> limit() const {
    const auto v = get("limit");
    if (!v) return std::size_t{100};
    const auto n = to_int(*v);
    if (!n || *n < 1 || *n > 100) return okx_param_error("limit");
    return static_cast<std::size_t>(*n);
  }

  // The engine's market named by instId: 50014 when absent and `required` ("" when absent
  // and not), 51001 when no market has that id.
  [[nodiscard]] Result<std::string> market(const MatchingEngine& engine, bool required) const {
    const auto inst_id = get("instId");
    if (!inst_id) {
      if (required) return okx_missing("instId");
      return std::string();
    }
    std::string market = okx_market_of(engine, *inst_id);
    if (market.empty()) return okx_error(51001, "Instrument ID does not exist.");
    return market;
  }

  // The order instId with ordId (digits) or clOrdId names; one of the two is required,
  // and an ordId that is not a number is `unknown`.
  [[nodiscard]] Result<OkxOrderTarget> order_target(const MatchingEngine& engine, const Error& unknown) const {
    auto in = market(engine, true);
    if (!in) return in.error();
    const auto id = get("ordId");
    const auto client = get("clOrdId");
    if (!id && !client) return okx_missing("ordId");
    std::optional<OrderId> order_id;
    if (id) {
      order_id = to_int(*id);
      if (!order_id) return unknown;
    }
    return OkxOrderTarget{std::move(*in), order_id, std::string(client.value_or(""))};
  }
};

// One request being served: its parameters (query, or JSON body for POST), a batch
// request's items, and the authenticated account.
class OkxFront::Call : public Fields {
 public:
  const HttpRequest& request;
  std::int64_t now_ms;
  const OkxRoute& route;
  std::vector<Fields> items;  // a batch request's orders, in order
  std::size_t granted = 0;    // how many of them the rate limit lets run (the first ones)
  AccountId account = 0;

  Call(const HttpRequest& r, std::int64_t now, const OkxRoute& rt) : request(r), now_ms(now), route(rt) {}

  // Whole-request checks: the body or query, and for a batch 1 to kMaxOkxBatch items.
  std::optional<Error> parse() {
    const bool post = request.method == HttpMethod::post;
    const bool batch = route.limit == OkxLimit::batch;
    std::vector<Params> item_params;
    const bool ok = post ? parse_okx_body(request.body, params, batch ? &item_params : nullptr)
                         : detail::parse_form(request.query, params);
    if (!ok) {
      return okx_error(50002, post ? (batch ? "Invalid JSON: the body must be an array of objects of plain values."
                                            : "Invalid JSON: the body must be an object of plain values.")
                                   : "Invalid query string.");
    }
    if (auto bad = check_okx_params(params)) return bad;
    if (!batch) return std::nullopt;
    for (Params& item : item_params) {
      if (auto bad = check_okx_params(item)) return bad;
      items.push_back(Fields{std::move(item), std::nullopt});
    }
    if (items.empty() || items.size() > kMaxOkxBatch) {
      return okx_error(
          51000, fmt::format("Parameter error: a batch holds 1 to {} orders, not {}.", kMaxOkxBatch, items.size()));
    }
    return std::nullopt;
  }
};

OkxFront::OkxFront(MatchingEngine& engine, OkxFrontConfig config)
    : engine_(engine), config_(std::move(config)), faults_(config_.faults) {}

void OkxFront::add_credential(std::string api_key, std::string_view secret, std::string passphrase, AccountId account) {
  if (api_key.empty() || secret.empty() || passphrase.empty())
    throw Exception(make_error(ErrorCode::invalid_argument, "API key, secret and passphrase must not be empty"));
  credentials_.insert_or_assign(std::move(api_key),
                                Credential{account, sign::HmacSha256(secret), std::move(passphrase)});
}

std::string_view OkxFront::cl_ord_id(const Order& order) const {
  const auto it = orders_.find(order.id);
  return it == orders_.end() ? std::string_view() : std::string_view(it->second.cl_ord_id);
}

std::string_view OkxFront::trade_mode(const Order& order) const {
  const auto it = orders_.find(order.id);
  return it == orders_.end() ? std::string_view() : std::string_view(it->second.td_mode);
}

std::string_view OkxFront::target_currency(const Order& order) const {
  const auto found = orders_.find(order.id);
  return found == orders_.end() ? std::string_view() : std::string_view(found->second.tgt_ccy);
}

std::string_view OkxFront::margin_mode(AccountId account, std::string_view market) const {
  const auto found = position_modes_.find(fmt::format("{}:{}", account, market));
  return found == position_modes_.end() ? std::string_view("cross") : std::string_view(found->second);
}

void OkxFront::advance(SystemTime now) {
  const std::int64_t now_ms = to_unix_millis(now);
  for (auto it = dead_man_.begin(); it != dead_man_.end();) {
    if (it->second > now_ms) {
      ++it;
      continue;
    }
    for (const std::string& market : engine_.markets()) (void)engine_.cancel_all(it->first, market, now_ms);
    it = dead_man_.erase(it);
  }
}

net::ServerReply OkxFront::handle(const HttpRequest& request, SystemTime now) {
  ++stats_.requests;
  advance(now);
  const std::int64_t now_ms = to_unix_millis(now);
  net::ServerReply reply;
  const Error server_error =
      okx_error(50001, "Service temporarily unavailable. Please try again later.", ErrorCode::venue_unavailable);
  const RestFaults::Before before = faults_.before(config_.faults, reply.delay, stats_.faults);
  if (before == RestFaults::Before::reset) {
    reply.action = net::ReplyAction::reset;
    return reply;
  }
  if (before == RestFaults::Before::error) {
    reply.response = okx_failure(server_error);
    return reply;
  }
  const OkxRoute* route = find_okx_route(request);
  if (route == nullptr) {
    // As OKX answers an unknown path: HTTP 404 with a numeric code.
    reply.response.status = 404;
    reply.response.headers.push_back({"Content-Type", "application/json"});
    reply.response.body = R"({"code":404,"data":{},"msg":"Not Found"})";
    return reply;
  }
  if (faults_.take_burst(stats_.faults)) {
    ++stats_.rate_limited;
    reply.response = okx_failure(okx_rate_limited());
    return reply;
  }
  Call call(request, now_ms, *route);
  if (const auto bad = call.parse()) {
    reply.response = okx_failure(*bad);
  } else {
    ++stats_.executed;
    reply.response = dispatch(call);
  }
  // granted: authenticated and within the limits (dispatch() set it), so executed.
  const bool order_route = route->limit == OkxLimit::place || route->limit == OkxLimit::amend ||
                           route->limit == OkxLimit::cancel || route->limit == OkxLimit::batch;
  const RestFaults::After after = faults_.after(config_.faults, order_route && call.granted > 0, stats_.faults);
  if (after == RestFaults::After::error) {
    reply.response = okx_failure(server_error);
  } else if (after == RestFaults::After::drop) {
    reply.action = net::ReplyAction::drop;
  }
  return reply;
}

HttpResponse OkxFront::dispatch(Call& call) {
  if (call.route.limit == OkxLimit::none) return market(call);
  const HttpRequest& r = call.request;
  ++stats_.signed_requests;
  const auto reject = [&](const Error& e) {
    ++stats_.auth_rejected;
    return okx_failure(e);
  };
  const auto key = r.header("OK-ACCESS-KEY");
  const auto passphrase = r.header("OK-ACCESS-PASSPHRASE");
  const auto signature = r.header("OK-ACCESS-SIGN");
  const auto timestamp_text = r.header("OK-ACCESS-TIMESTAMP");
  const auto header_missing = [](long code, std::string_view name) {
    return okx_failure(
        okx_error(code, fmt::format("Request header {} cannot be empty.", name), ErrorCode::auth_failed));
  };
  if (!key || key->empty()) return header_missing(50103, "OK-ACCESS-KEY");
  if (!passphrase || passphrase->empty()) return header_missing(50104, "OK-ACCESS-PASSPHRASE");
  if (!signature || signature->empty()) return header_missing(50106, "OK-ACCESS-SIGN");
  if (!timestamp_text || timestamp_text->empty()) return header_missing(50107, "OK-ACCESS-TIMESTAMP");
  const auto timestamp = parse_okx_timestamp(*timestamp_text);
  if (!timestamp) {
    return okx_failure(okx_error(50112, "Invalid OK-ACCESS-TIMESTAMP", ErrorCode::timestamp_out_of_window));
  }
  if (*timestamp < call.now_ms - kOkxTimestampWindowMs || *timestamp > call.now_ms + kOkxTimestampWindowMs) {
    return okx_failure(okx_error(50102, "Timestamp request expired", ErrorCode::timestamp_out_of_window));
  }
  const auto credential = credentials_.find(std::string(*key));
  if (credential == credentials_.end())
    return reject(okx_error(50111, "Invalid OK-ACCESS-KEY", ErrorCode::auth_failed));
  if (*passphrase != credential->second.passphrase) {
    return reject(okx_error(50105, "Request header OK-ACCESS-PASSPHRASE incorrect.", ErrorCode::auth_failed));
  }
  const std::string_view question = r.query.empty() ? std::string_view() : std::string_view("?");
  const auto digest =
      credential->second.mac.digest({*timestamp_text, to_string(r.method), r.path, question, r.query, r.body});
  if (*signature != sign::base64_encode(digest)) {
    return reject(okx_error(50113, "Invalid Sign", ErrorCode::invalid_signature));
  }
  call.account = credential->second.account;

  // Per-account windows; place, amend and cancel count per instrument too, a batch each
  // of its orders. When fewer remain than a batch holds, its first orders run and the
  // rest fail with 50011.
  const bool batch = call.route.limit == OkxLimit::batch;
  const std::size_t cost = batch ? call.items.size() : 1;
  const Fields& named = batch && cost == 1 ? call.items.front() : call;
  const OkxWindowOf window =
      okx_window_of(config_.limits, call.route, call.account, named.get("instId").value_or(""), cost);
  call.granted = grant(window.key, window.limit, window.window_ms, cost, call.now_ms);
  if (call.granted == 0) return okx_failure(okx_rate_limited());

  const std::string_view path = r.path;
  const auto reply = [](OkxOpReply done) {
    return okx_envelope(okx_http_status(done.code), done.code, done.msg, done.data);
  };
  const auto run = [&](ItemAction action) {
    if (call.route.limit == OkxLimit::batch) {
      return reply(run_batch(action, call.items, call.granted, path, call.account, call.now_ms));
    }
    return reply(run_single(action, call, path, call.account, call.now_ms));
  };
  if (path == "/api/v5/trade/order" && r.method == HttpMethod::post) return run(&OkxFront::place_order);
  if (path == "/api/v5/trade/amend-order" || path == "/api/v5/trade/amend-batch-orders") return run(&OkxFront::amend_order);
  if (path == "/api/v5/trade/cancel-order" || path == "/api/v5/trade/cancel-batch-orders") {
    return run(&OkxFront::cancel_order);
  }
  if (path == "/api/v5/trade/batch-orders") return run(&OkxFront::place_order);
  if (path == "/api/v5/trade/cancel-all-after") return cancel_all_after(call);
  if (path == "/api/v5/trade/order") return order_details(call);
  if (path == "/api/v5/trade/fills") return fills(call);
  if (path == "/api/v5/account/balance") return balance(call);
  if (path == "/api/v5/account/positions") return positions(call);
  return order_list(call);
}

std::size_t OkxFront::grant(const std::string& key, std::uint32_t limit, std::int64_t window_ms, std::size_t cost,
                            std::int64_t now_ms) {
  Window& window = windows_[key];
  const std::int64_t start = window_ms > 0 ? now_ms / window_ms * window_ms : now_ms;
  if (window.start != start) window = Window{start, 0};
  const std::size_t granted = std::min<std::size_t>(cost, limit - std::min(limit, window.used));
  window.used += static_cast<std::uint32_t>(granted);
  if (granted < cost) ++stats_.rate_limited;
  return granted;
}

std::int64_t OkxFront::inst_id_code(std::string_view inst_id) noexcept {
  cts::detail::Crc32 crc;
  crc.update(inst_id);
  const std::int64_t code = crc.value() & 0x7FFF'FFFFu;
  return code == 0 ? 1 : code;
}

void OkxFront::resolve_inst_id_code(Fields& item) const {
  const auto text = item.get("instIdCode");
  if (!text) {
    item.refused = okx_missing("instIdCode");
    return;
  }
  const auto code = to_int(*text);
  if (!code) {
    item.refused = okx_param_error("instIdCode");
    return;
  }
  std::string inst_id;
  for (const std::string& market : engine_.markets()) {
    const std::string& symbol = engine_.instrument(market)->venue_symbol;
    if (inst_id_code(symbol) == *code) inst_id = symbol;
  }
  if (inst_id.empty()) {
    item.refused = okx_error(51001, "Instrument ID, Instrument ID code or Spread ID doesn't exist.");
    return;
  }
  std::erase_if(item.params, [](const auto& param) { return param.first == "instIdCode" || param.first == "instId"; });
  item.params.emplace_back("instId", std::move(inst_id));
}

OkxOpReply OkxFront::ws_order(AccountId account, OkxOrderOp op, bool batch, std::string_view args,
                              std::int64_t now_ms) {
  advance(from_unix_millis(now_ms));
  const OkxOpReply invalid{60013, std::string(kOkxInvalidArgs), "[]"};
  Params unused;
  std::vector<Params> item_params;
  if (!parse_okx_body(args, unused, &item_params)) return invalid;
  if (item_params.empty() || item_params.size() > (batch ? kMaxOkxBatch : 1)) return invalid;
  std::vector<Fields> items;
  for (Params& params : item_params) {
    if (const auto bad = check_okx_params(params)) return OkxOpReply{okx_code(*bad), bad->message, "[]"};
    Fields& item = items.emplace_back(Fields{std::move(params), std::nullopt});
    resolve_inst_id_code(item);
  }
  const OkxRoute& route = okx_route_of(op, batch);
  const OkxWindowOf window =
      okx_window_of(config_.limits, route, account, items.front().get("instId").value_or(""), items.size());
  const std::size_t granted = grant(window.key, window.limit, window.window_ms, items.size(), now_ms);
  if (granted == 0) return OkxOpReply{50011, std::string(kOkxRateLimitText), "[]"};
  const ItemAction action = op == OkxOrderOp::place   ? &OkxFront::place_order
                            : op == OkxOrderOp::amend ? &OkxFront::amend_order
                                                      : &OkxFront::cancel_order;
  if (batch) return run_batch(action, items, granted, route.path, account, now_ms);
  return run_single(action, items.front(), route.path, account, now_ms);
}

HttpResponse OkxFront::market(Call& call) {
  const std::string_view path = call.request.path;
  std::string data;
  auto out = std::back_inserter(data);
  if (path == "/api/v5/public/time") {
    fmt::format_to(out, R"([{{"ts":"{}"}}])", call.now_ms);
    return okx_success(data);
  }
  if (path == "/api/v5/public/instruments") return instruments(call);
  const auto named = call.market(engine_, true);
  if (!named) return okx_failure(named.error());
  const std::string& market = *named;
  const Instrument& in = *engine_.instrument(market);
  if (path == "/api/v5/market/books") {
    std::size_t depth = 1;
    if (const auto sz = call.get("sz")) {
      const auto n = to_int(*sz);
      if (!n || *n < 1 || *n > 400) return okx_failure(okx_param_error("sz"));
      depth = static_cast<std::size_t>(*n);
    }
    const auto [bids, asks] = engine_.depth(market, depth);
    data.append(R"([{"asks":)");
    detail::okx_levels(data, asks);
    data.append(R"(,"bids":)");
    detail::okx_levels(data, bids);
    fmt::format_to(out, R"(,"ts":"{}"}}])", call.now_ms);
    return okx_success(data);
  }
  // /api/v5/market/ticker: best bid and ask, the last trade ("" before any), the 24 h
  // figures over the public trades the engine keeps; vol24h in base (SPOT) or contracts
  // (SWAP), volCcy24h in quote (SPOT) or base (SWAP).
  const detail::TickerFigures t = detail::ticker_figures(engine_, market, call.now_ms);
  const auto price = [](const std::optional<Level>& l) { return l ? okx_text(l->price) : std::string(); };
  const auto size = [](const std::optional<Level>& l) { return l ? okx_text(l->quantity) : std::string(); };
  std::string last_size;
  if (const auto trades = engine_.recent_trades(market, 1); !trades.empty())
    last_size = okx_text(trades.back().quantity);
  const Decimal volume_ccy = is_okx_swap(in) ? t.volume_24h.mul(in.multiplier, Rounding::half_even) : t.turnover_24h;
  const std::string open = detail::optional_text(t.open_24h);
  fmt::format_to(
      out,
      R"([{{"instType":"{}","instId":"{}","last":"{}","lastSz":"{}","askPx":"{}","askSz":"{}","bidPx":"{}","bidSz":"{}","open24h":"{}","high24h":"{}","low24h":"{}","volCcy24h":"{}","vol24h":"{}","sodUtc0":"{}","sodUtc8":"{}","ts":"{}"}}])",
      okx_inst_type(in), in.venue_symbol, detail::optional_text(t.last), last_size, price(t.ask), size(t.ask),
      price(t.bid), size(t.bid), open, detail::optional_text(t.high_24h), detail::optional_text(t.low_24h), volume_ccy,
      t.volume_24h, open, open, call.now_ms);
  return okx_success(data);
}

// /api/v5/public/instruments?instType=SPOT|SWAP[&instId=]: every market of the type, or
// the one named (51001 when the type lists no such instId).
HttpResponse OkxFront::instruments(Call& call) {
  const auto type = call.required("instType");
  if (!type) return okx_failure(type.error());
  if (*type != "SPOT" && *type != "SWAP") return okx_failure(okx_param_error("instType"));
  const bool swap = *type == "SWAP";
  const auto only = call.get("instId");
  std::string data = "[";
  bool first = true;
  for (const std::string& market : engine_.markets()) {
    const Instrument& in = *engine_.instrument(market);
    if (is_okx_swap(in) != swap || (only && *only != in.venue_symbol)) continue;
    const SymbolFilters& f = *engine_.filters(market);
    const std::string max_size = in.max_quantity.is_positive() ? okx_text(in.max_quantity) : "9999999999";
    if (!first) data.push_back(',');
    first = false;
    if (swap) {
      fmt::format_to(
          std::back_inserter(data),
          R"({{"alias":"","baseCcy":"","category":"1","ctMult":"1","ctType":"linear","ctVal":"{}","ctValCcy":"{}","expTime":"","instFamily":"{}-{}","instId":"{}","instIdCode":{},"instType":"SWAP","lever":"{}","listTime":"0","lotSz":"{}","maxIcebergSz":"{}","maxLmtAmt":"","maxLmtSz":"{}","maxMktAmt":"","maxMktSz":"{}","maxStopSz":"{}","maxTriggerSz":"{}","maxTwapSz":"{}","minSz":"{}","optType":"","quoteCcy":"","settleCcy":"{}","state":"live","stk":"","tickSz":"{}","uly":"{}-{}"}})",
          in.multiplier, in.base, in.base, in.quote, in.venue_symbol, inst_id_code(in.venue_symbol), f.max_leverage, in.step_size, max_size, max_size,
          max_size, max_size, max_size, max_size, in.min_quantity, okx_settle(in), in.tick_size, in.base, in.quote);
    } else {
      fmt::format_to(
          std::back_inserter(data),
          R"({{"alias":"","baseCcy":"{}","category":"1","ctMult":"","ctType":"","ctVal":"","ctValCcy":"","expTime":"","instFamily":"","instId":"{}","instIdCode":{},"instType":"SPOT","lever":"","listTime":"0","lotSz":"{}","maxIcebergSz":"{}","maxLmtAmt":"","maxLmtSz":"{}","maxMktAmt":"","maxMktSz":"","maxStopSz":"","maxTriggerSz":"{}","maxTwapSz":"{}","minSz":"{}","optType":"","quoteCcy":"{}","settleCcy":"","state":"live","stk":"","tickSz":"{}","uly":""}})",
          in.base, in.venue_symbol, inst_id_code(in.venue_symbol), in.step_size, max_size, max_size, max_size, max_size, in.min_quantity, in.quote,
          in.tick_size);
    }
  }
  data.push_back(']');
  if (only && first) return okx_failure(okx_error(51001, "Instrument ID does not exist."));
  return okx_success(data);
}

Result<Order> OkxFront::place_order(const Fields& item, AccountId account, std::int64_t now_ms) {
  const auto named = item.market(engine_, true);
  if (!named) return named.error();
  const std::string& market = *named;
  const Instrument& in = *engine_.instrument(market);
  const bool swap = is_okx_swap(in);
  const auto td_mode = item.required("tdMode");
  if (!td_mode) return td_mode.error();
  if (swap ? (*td_mode != "cross" && *td_mode != "isolated") : *td_mode != "cash") return okx_param_error("tdMode");
  OrderRequest order;
  order.account = account;
  order.symbol = market;
  const auto side = item.required("side");
  if (!side) return side.error();
  if (*side == "buy") {
    order.side = Side::buy;
  } else if (*side == "sell") {
    order.side = Side::sell;
  } else {
    return okx_param_error("side");
  }
  const auto ord_type = item.required("ordType");
  if (!ord_type) return ord_type.error();
  const auto size = item.decimal("sz");
  if (!size) return size.error();
  if (!*size) return okx_missing("sz");
  const auto price = item.decimal("px");
  if (!price) return price.error();
  if (const auto pos_side = item.get("posSide"); pos_side && *pos_side != "net") return okx_param_error("posSide");
  if (const auto reduce = item.get("reduceOnly")) {
    if (*reduce != "true" && *reduce != "false") return okx_param_error("reduceOnly");
    order.reduce_only = *reduce == "true";
    if (order.reduce_only && !swap) return okx_param_error("reduceOnly");
  }
  std::string tgt_ccy;
  if (*ord_type == "market") {
    order.type = SimOrderType::market;
    // SPOT: sz is quote for a buy and base for a sell unless tgtCcy says otherwise; SWAP
    // orders are sized in contracts.
    if (swap) {
      if (item.get("tgtCcy")) return okx_param_error("tgtCcy");
      order.quantity = **size;
    } else {
      tgt_ccy = std::string(item.get("tgtCcy").value_or(order.side == Side::buy ? "quote_ccy" : "base_ccy"));
      if (tgt_ccy == "base_ccy") {
        order.quantity = **size;
      } else if (tgt_ccy == "quote_ccy") {
        order.quote_quantity = **size;
      } else {
        return okx_param_error("tgtCcy");
      }
    }
  } else {
    if (*ord_type == "limit") {
      order.time_in_force = TimeInForce::gtc;
    } else if (*ord_type == "ioc") {
      order.time_in_force = TimeInForce::ioc;
    } else if (*ord_type == "fok") {
      order.time_in_force = TimeInForce::fok;
    } else if (*ord_type == "post_only") {
      order.type = SimOrderType::limit_maker;
    } else {
      return okx_param_error("ordType");
    }
    if (!*price) return okx_missing("px");
    order.price = *price;
    order.quantity = **size;
    if (item.get("tgtCcy")) return okx_param_error("tgtCcy");
  }
  if (order.quantity.is_positive() && order.quantity < in.min_quantity) {
    return okx_error(51020, "Order amount should be greater than the min available amount.");
  }
  std::string client_key;
  if (const auto client = item.get("clOrdId")) {
    if (!valid_cl_ord_id(*client)) return okx_param_error("clOrdId");
    client_key = fmt::format("{}:{}", account, *client);
    if (cl_ord_ids_.contains(client_key))
      return okx_error(51016, "Duplicated clOrdId", ErrorCode::duplicate_client_order_id);
    order.client_order_id = std::string(*client);
  }
  auto placed = engine_.place(order, now_ms);
  if (!placed) return okx_from_engine(placed.error(), OkxOperation::place);
  if (!client_key.empty()) cl_ord_ids_.insert(std::move(client_key));
  orders_[placed->order.id] = OrderMeta{order.client_order_id, std::string(*td_mode), std::move(tgt_ccy)};
  if (swap) position_modes_[fmt::format("{}:{}", account, market)] = std::string(*td_mode);
  return std::move(placed->order);
}

Result<Order> OkxFront::amend_order(const Fields& item, AccountId account, std::int64_t now_ms) {
  const auto target =
      item.order_target(engine_, okx_from_engine(make_error(ErrorCode::order_not_found, ""), OkxOperation::amend));
  if (!target) return target.error();
  const auto size = item.decimal("newSz");
  if (!size) return size.error();
  const auto price = item.decimal("newPx");
  if (!price) return price.error();
  if (!*size && !*price) return okx_missing("newSz or newPx");
  auto amended = engine_.amend(account, target->market, target->order_id, target->cl_ord_id, *size, *price, now_ms);
  if (!amended) return okx_from_engine(amended.error(), OkxOperation::amend);
  return amended;
}

Result<Order> OkxFront::cancel_order(const Fields& item, AccountId account, std::int64_t now_ms) {
  const auto target =
      item.order_target(engine_, okx_from_engine(make_error(ErrorCode::order_not_found, ""), OkxOperation::cancel));
  if (!target) return target.error();
  auto cancelled = engine_.cancel(account, target->market, target->order_id, target->cl_ord_id, now_ms);
  if (!cancelled) return okx_from_engine(cancelled.error(), OkxOperation::cancel);
  return cancelled;
}

Result<Order> OkxFront::run_item(ItemAction action, const Fields& item, AccountId account, std::int64_t now_ms) {
  if (item.refused) return *item.refused;
  return (this->*action)(item, account, now_ms);
}

// One order operation: its item in data with code "0", or code "1" "All operations
// failed" with the failed item; a malformed request (50014, 51000) answers its code
// with empty data.
OkxOpReply OkxFront::run_single(ItemAction action, const Fields& item, std::string_view path, AccountId account,
                                std::int64_t now_ms) {
  const Result<Order> done = run_item(action, item, account, now_ms);
  if (!done) {
    const long code = okx_code(done.error());
    if (code == 50014 || code == 51000) return OkxOpReply{code, done.error().message, "[]"};
  }
  std::string data = "[";
  const std::string_view client = done ? cl_ord_id(*done) : item.get("clOrdId").value_or("");
  okx_item_json(data, path, done, client, item.get("reqId").value_or(""), now_ms);
  data.push_back(']');
  if (done) return OkxOpReply{0, "", std::move(data)};
  return OkxOpReply{1, "All operations failed", std::move(data)};
}

OkxOpReply OkxFront::run_batch(ItemAction action, const std::vector<Fields>& items, std::size_t granted,
                               std::string_view path, AccountId account, std::int64_t now_ms) {
  std::string data = "[";
  std::size_t failed = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Fields& item = items[i];
    const Result<Order> done =
        i < granted ? run_item(action, item, account, now_ms) : Result<Order>(okx_rate_limited());
    if (!done) ++failed;
    if (i != 0) data.push_back(',');
    const std::string_view client = done ? cl_ord_id(*done) : item.get("clOrdId").value_or("");
    okx_item_json(data, path, done, client, item.get("reqId").value_or(""), now_ms);
  }
  data.push_back(']');
  if (failed == 0) return OkxOpReply{0, "", std::move(data)};
  if (failed == items.size()) return OkxOpReply{1, "All operations failed", std::move(data)};
  return OkxOpReply{2, "Bulk operation partially succeeded", std::move(data)};
}

// /api/v5/trade/cancel-all-after {"timeOut":"<s>"}: 0 disarms; 10..120 arms the
// account's switch to cancel every open order at now + timeOut (triggerTime, ms).
HttpResponse OkxFront::cancel_all_after(Call& call) {
  const auto timeout = call.required("timeOut");
  if (!timeout) return okx_failure(timeout.error());
  const auto seconds = to_int(*timeout);
  if (!seconds || (*seconds != 0 && (*seconds < 10 || *seconds > 120))) return okx_failure(okx_param_error("timeOut"));
  std::int64_t trigger = 0;
  if (*seconds == 0) {
    dead_man_.erase(call.account);
  } else {
    trigger = call.now_ms + *seconds * 1000;
    dead_man_[call.account] = trigger;
  }
  return okx_success(fmt::format(R"([{{"triggerTime":"{}","tag":"","ts":"{}"}}])", trigger, call.now_ms));
}

void OkxFront::order_json(std::string& out, const Order& o) const {
  const Instrument& in = *engine_.instrument(o.symbol);
  detail::OkxOrderFacts facts;
  facts.cl_ord_id = cl_ord_id(o);
  facts.td_mode = trade_mode(o);
  facts.tgt_ccy = target_currency(o);
  const std::vector<Fill> fills = engine_.account_fills(o.account, o.symbol);
  for (const Fill& f : fills) {
    if (f.order_id != o.id) continue;
    facts.fee += f.commission;
    facts.pnl += f.realised_pnl;
    facts.last = &f;
  }
  detail::okx_order_json(out, o, in, engine_.leverage(o.account, o.symbol), facts);
}

// GET /api/v5/trade/order?instId=&ordId=|clOrdId=: the order, or 51603.
HttpResponse OkxFront::order_details(Call& call) {
  const Error unknown = okx_error(51603, "Order does not exist", ErrorCode::order_not_found);
  const auto target = call.order_target(engine_, unknown);
  if (!target) return okx_failure(target.error());
  const Order* found = engine_.find_order(call.account, target->market, target->order_id, target->cl_ord_id);
  if (found == nullptr || (!target->cl_ord_id.empty() && cl_ord_id(*found) != target->cl_ord_id)) {
    return okx_failure(unknown);
  }
  std::string data = "[";
  order_json(data, *found);
  data.push_back(']');
  return okx_success(data);
}

// GET /api/v5/trade/orders-pending (open orders; instType optional) and orders-history
// (closed ones; instType required), newest first; `after` lists the orders older than
// that ordId, `before` the newer ones; limit 1..100 (100).
HttpResponse OkxFront::order_list(Call& call) {
  const bool history = call.request.path == "/api/v5/trade/orders-history";
  const auto type = call.get("instType");
  if (history && !type) return okx_failure(okx_missing("instType"));
  if (type && *type != "SPOT" && *type != "SWAP") return okx_failure(okx_param_error("instType"));
  const auto named = call.market(engine_, false);
  if (!named) return okx_failure(named.error());
  const std::string& only = *named;
  auto limit = call.limit();
  if (!limit) return okx_failure(limit.error());
  std::optional<OrderId> after, before;
  if (const auto v = call.get("after")) {
    after = to_int(*v);
    if (!after) return okx_failure(okx_param_error("after"));
  }
  if (const auto v = call.get("before")) {
    before = to_int(*v);
    if (!before) return okx_failure(okx_param_error("before"));
  }
  std::vector<Order> orders;
  for (const std::string& market : engine_.markets()) {
    const Instrument& in = *engine_.instrument(market);
    if ((type && *type != okx_inst_type(in)) || (!only.empty() && market != only)) continue;
    for (Order& o : history ? engine_.all_orders(call.account, market) : engine_.open_orders(call.account, market)) {
      if (is_open(o.status) == history) continue;
      if ((after && o.id >= *after) || (before && o.id <= *before)) continue;
      orders.push_back(std::move(o));
    }
  }
  std::sort(orders.begin(), orders.end(), [](const Order& a, const Order& b) { return a.id > b.id; });
  if (orders.size() > *limit) orders.resize(*limit);
  std::string data = "[";
  for (std::size_t i = 0; i < orders.size(); ++i) {
    if (i != 0) data.push_back(',');
    order_json(data, orders[i]);
  }
  data.push_back(']');
  return okx_success(data);
}

// GET /api/v5/trade/fills: the account's fills, newest first (by time, then billId);
// instType, instId and ordId select; `after` lists those past that billId in this order,
// `before` those ahead of it; limit 1..100 (100).
HttpResponse OkxFront::fills(Call& call) {
  const auto type = call.get("instType");
  if (type && *type != "SPOT" && *type != "SWAP") return okx_failure(okx_param_error("instType"));
  const auto named = call.market(engine_, false);
  if (!named) return okx_failure(named.error());
  const std::string& only = *named;
  std::optional<OrderId> order_id;
  if (const auto v = call.get("ordId")) {
    order_id = to_int(*v);
    if (!order_id) return okx_failure(okx_param_error("ordId"));
  }
  auto limit = call.limit();
  if (!limit) return okx_failure(limit.error());
  struct Listed {
    Fill fill;
    std::int64_t bill_id;
    const Instrument* instrument;
  };
  std::vector<Listed> listed;
  const std::vector<std::string>& markets = engine_.markets();
  for (std::size_t index = 0; index < markets.size(); ++index) {
    const Instrument& in = *engine_.instrument(markets[index]);
    if ((type && *type != okx_inst_type(in)) || (!only.empty() && markets[index] != only)) continue;
    for (Fill& f : engine_.account_fills(call.account, markets[index])) {
      if (order_id && f.order_id != *order_id) continue;
      const std::int64_t bill = f.trade_id * 64 + static_cast<std::int64_t>(index);
      listed.push_back(Listed{std::move(f), bill, &in});
    }
  }
  std::sort(listed.begin(), listed.end(), [](const Listed& a, const Listed& b) {
    return a.fill.time_ms != b.fill.time_ms ? a.fill.time_ms > b.fill.time_ms : a.bill_id > b.bill_id;
  });
  const auto position_of = [&](std::string_view name) -> Result<std::size_t> {
    const auto bill = to_int(call.get(name).value_or(""));
    if (!bill) return okx_param_error(name);
    const auto it = std::find_if(listed.begin(), listed.end(), [&](const Listed& l) { return l.bill_id == *bill; });
    return static_cast<std::size_t>(it - listed.begin());
  };
  std::size_t begin = 0, end = listed.size();
  if (call.get("after")) {
    auto at = position_of("after");
    if (!at) return okx_failure(at.error());
    begin = std::min(end, *at + 1);
  }
  if (call.get("before")) {
    auto at = position_of("before");
    if (!at) return okx_failure(at.error());
    end = std::min(end, *at);
  }
  std::string data = "[";
  for (std::size_t i = begin; i < end && i - begin < *limit; ++i) {
    const Fill& f = listed[i].fill;
    const Instrument& in = *listed[i].instrument;
    const Order* o = engine_.find_order(call.account, f.symbol, f.order_id, {});
    const Decimal rate = f.is_maker ? engine_.config().maker_fee_rate : engine_.config().taker_fee_rate;
    if (i != begin) data.push_back(',');
    fmt::format_to(
        std::back_inserter(data),
        R"({{"side":"{}","fillSz":"{}","fillPx":"{}","fillPxVol":"","fillFwdPx":"","fee":"{}","fillPnl":"{}","ordId":"{}","feeRate":"{}","instType":"{}","fillPxUsd":"","instId":"{}","clOrdId":)",
        f.is_buyer ? "buy" : "sell", f.quantity, f.price, -f.commission, f.realised_pnl, f.order_id, -rate,
        okx_inst_type(in), in.venue_symbol);
    append_json_string(data, o != nullptr ? cl_ord_id(*o) : std::string_view());
    fmt::format_to(
        std::back_inserter(data),
        R"(,"posSide":"{}","billId":"{}","subType":"{}","fillMarkVol":"","tag":"","fillTime":"{}","execType":"{}","fillIdxPx":"","tradeId":"{}","fillMarkPx":"","feeCcy":"{}","ts":"{}"}})",
        is_okx_swap(in) ? "net" : "", listed[i].bill_id, f.is_buyer ? "1" : "2", f.time_ms, f.is_maker ? "M" : "T",
        f.trade_id, f.commission_asset, f.time_ms);
  }
  data.push_back(']');
  return okx_success(data);
}

// GET /api/v5/account/balance[?ccy=A,B]: one account. Per currency: cashBal = free +
// locked; frozenBal = what orders lock plus the initial margin of the SWAP positions
// settled in it; ordFrozen = what orders lock; availBal = cashBal − frozenBal; upl over
// those positions at the mark price; eq = cashBal + upl; eqUsd = eq · USD price. The
// account: totalEq and adjEq (USD), imr (order and position margin, USD), upl (USD),
// notionalUsd of the positions, ordFroz (USD); no maintenance margin ("0").
HttpResponse OkxFront::balance(Call& call) {
  const auto only = call.get("ccy");
  const auto selected = [&](std::string_view ccy) { return !only || detail::in_comma_list(*only, ccy); };
  std::string data = "[";
  detail::okx_account_json(data, engine_, call.account, selected, call.now_ms);
  data.push_back(']');
  return okx_success(data);
}

// GET /api/v5/account/positions[?instType=SWAP&instId=]: the account's SWAP positions
// that are not flat, one-way ("net": pos signed), in contracts. avgPx the entry price,
// markPx the engine's mark, upl = (mark − entry)·pos·ctVal, notionalUsd = |pos|·ctVal·mark
// (USDT as USD), imr = |pos|·ctVal·entry / lever, realizedPnl = closed PnL − fees, fee =
// −fees, pnl = closed PnL.
HttpResponse OkxFront::positions(Call& call) {
  const auto type = call.get("instType");
  if (type && *type != "SWAP") return okx_failure(okx_param_error("instType"));
  const auto named = call.market(engine_, false);
  if (!named) return okx_failure(named.error());
  const std::string& only = *named;
  std::string data = "[";
  bool first = true;
  for (const auto& [market, held] : engine_.positions(call.account)) {
    if ((!only.empty() && market != only) || held.size.is_zero()) continue;
    if (!first) data.push_back(',');
    first = false;
    detail::okx_position_json(data, engine_, market, held, margin_mode(call.account, market));
  }
  data.push_back(']');
  return okx_success(data);
}

}  // namespace cts::sim
