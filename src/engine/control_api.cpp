#include "cts/engine/control_api.hpp"

#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <openssl/crypto.h>

#include "cts/core/detail/ascii.hpp"
#include "cts/core/detail/text.hpp"
#include "cts/core/json_string.hpp"
#include "cts/engine/coordinator_metrics.hpp"
#include "cts/engine/monitor.hpp"
#include "cts/engine/ops_api.hpp"
#include "cts/health/exposition.hpp"
#include "cts/health/process_metrics.hpp"
#include "cts/net/http_server.hpp"
#include "cts/sign/sha.hpp"
#include "engine/control_responses.hpp"
#include "status_page.hpp"

namespace cts::engine {

namespace {

using detail::error_response;
using detail::is_programmatic;
using detail::json_response;
using detail::wrong_method;

HttpResponse unauthorized() {
  HttpResponse response = error_response(401, "unauthorized");
  response.set_header("WWW-Authenticate", "Bearer realm=\"cts-control\"");
  return response;
}

HttpResponse forbidden() { return error_response(403, "forbidden"); }

void append_info(std::string& out, const SessionInfo& info) {
  out += "{\"name\":";
  cts::append_json_string(out, info.name);
  out += ",\"state\":";
  cts::append_json_string(out, to_string(info.state));
  out += ",\"status\":";
  cts::append_json_string(out, info.status);
  out += ",\"error\":";
  cts::append_json_string(out, info.error);
  out += fmt::format(",\"restarts\":{},\"restart\":", info.restarts);
  cts::append_json_string(out, info.restart);
  out += '}';
}

std::string sessions_json(const std::vector<SessionInfo>& infos) {
  std::string out = "{\"sessions\":[";
  for (std::size_t i = 0; i < infos.size(); ++i) {
    if (i != 0) out += ',';
    append_info(out, infos[i]);
  }
  out += "]}";
  return out;
}

std::size_t count_headers(const HttpRequest& request, std::string_view name) {
  std::size_t n = 0;
  for (const HttpHeaderView header : request.headers) n += cts::detail::iequals(header.name, name) ? 1 : 0;
  return n;
}

}  // namespace

ControlApi::ControlApi(Coordinator& coordinator, const sign::Secret& token, std::string authority,
                       std::string service_id, Monitor* monitor, const PerformanceSampler* performance)
    : coordinator_(coordinator),
      monitor_(monitor),
      authority_(std::move(authority)),
      origin_("http://" + authority_),
      service_id_(std::move(service_id)),
      performance_(performance) {
  if (token.empty()) throw Exception(make_error(ErrorCode::invalid_argument, "control API: the token is empty"));
  if (authority_.empty()) throw Exception(make_error(ErrorCode::invalid_argument, "control API: no authority"));
  token_digest_ = sign::sha256(token.reveal());
}

ControlApi::Auth ControlApi::authenticate(const HttpRequest& request) const {
  const std::optional<std::string_view> header = request.header("Authorization");
  if (!header) return Auth::missing;
  const std::string_view value = cts::detail::trim_spaces(*header);
  const std::size_t space = value.find(' ');
  if (space == std::string_view::npos || !cts::detail::iequals(value.substr(0, space), "Bearer")) return Auth::wrong;
  const std::string_view presented = cts::detail::trim_spaces(value.substr(space + 1));
  const std::array<std::uint8_t, 32> digest = sign::sha256(presented);
  return CRYPTO_memcmp(digest.data(), token_digest_.data(), digest.size()) == 0 ? Auth::valid : Auth::wrong;
}

HttpResponse ControlApi::handle(const HttpRequest& request) const {
  for (std::string_view name : {"Host", "Origin", "Authorization"}) {
    if (count_headers(request, name) > 1) return error_response(400, fmt::format("more than one {} header", name));
  }
  // The browser defences come first: nothing is revealed to a request a page of
  // another site made, whatever its route.
  const std::optional<std::string_view> host = request.header("Host");
  if (!host || !cts::detail::iequals(*host, authority_)) return forbidden();
  if (const std::optional<std::string_view> origin = request.header("Origin");
      origin && !cts::detail::iequals(*origin, origin_)) {
    return forbidden();
  }
  if (const std::optional<std::string_view> site = request.header("Sec-Fetch-Site");
      site && !cts::detail::iequals(*site, "same-origin") && !cts::detail::iequals(*site, "none")) {
    return forbidden();
  }
  HttpResponse response = route(request);
  response.set_header("Cache-Control", "no-store");
  response.set_header("X-Content-Type-Options", "nosniff");
  return response;
}

HttpResponse ControlApi::route(const HttpRequest& request) const {
  const bool get = request.method == HttpMethod::get;
  const bool post = request.method == HttpMethod::post;
  const std::string_view path = request.path;
  if (path == "/") {
    if (!get) return wrong_method("GET");
    return detail::status_page_response();
  }
  if (path == "/health") {
    if (!get) return wrong_method("GET");
    return health_response(coordinator_, RealClock{}.steady_now(), service_id_);
  }
  const Auth auth = authenticate(request);
  if (path == "/metrics") {
    if (!get) return wrong_method("GET");
    // Open to scrapers; a scraper that sends the token also sees the holdings, one
    // that sends a wrong token is told so.
    if (auth == Auth::wrong) return unauthorized();
    HttpResponse response;
    response.status = 200;
    response.set_header("Content-Type", health::kPrometheusTextContentType);
    response.body =
        metrics_text(coordinator_, auth == Auth::valid ? MetricsExposure::everything : MetricsExposure::public_only,
                     monitor_ != nullptr ? monitor_->metric_families() : std::vector<health::FamilySnapshot>{});
    return response;
  }
  if (auth != Auth::valid) return unauthorized();
  const RealClock clock;
  if (std::optional<HttpResponse> ops = ops_api_response(request, coordinator_, monitor_, clock.system_now(),
                                                          clock.steady_now())) {
    return std::move(*ops);
  }

  if (path == "/sessions") {
    if (!get) return wrong_method("GET");
    return json_response(200, sessions_json(coordinator_.states()));
  }
  if (path == "/api/performance") {
    if (!get) return wrong_method("GET");
    if (performance_ == nullptr) return error_response(404, "performance figures are not sampled by this engine");
    const Result<health::ProcessSample> process = health::read_process_sample();
    return json_response(200, performance_->to_json(process ? std::optional<health::ProcessSample>(*process)
                                                            : std::nullopt,
                                                    RealClock{}.system_now()));
  }
  constexpr std::string_view kPrefix = "/sessions/";
  if (!path.starts_with(kPrefix)) return error_response(404, "not found");
  const std::string_view rest = path.substr(kPrefix.size());
  const std::size_t slash = rest.find('/');
  const std::string_view name = slash == std::string_view::npos ? std::string_view{} : rest.substr(0, slash);
  const std::optional<SessionCommand> command =
      parse_session_command(slash == std::string_view::npos ? rest : rest.substr(slash + 1));
  // /sessions/<command> is every session, unless a session bears the command's name.
  const bool for_all = slash == std::string_view::npos && command && !coordinator_.state(rest);
  if (slash == std::string_view::npos && !for_all) {
    if (!get) return wrong_method("GET");
    for (const SessionInfo& info : coordinator_.states()) {
      if (info.name != rest) continue;
      std::string body;
      append_info(body, info);
      return json_response(200, std::move(body));
    }
    return error_response(404, fmt::format("unknown session \"{}\"", rest));
  }
  if (!command) return error_response(404, "not found");
  if (!post) return wrong_method("POST");
  if (!is_programmatic(request)) {
    return detail::not_programmatic();
  }
  if (for_all) {
    Result<std::vector<SessionInfo>> done = coordinator_.apply_all(*command, false);
    if (!done) return error_response(409, done.error().message);
    return json_response(200, sessions_json(*done));
  }
  if (!coordinator_.state(name)) return error_response(404, fmt::format("unknown session \"{}\"", name));
  Result<SessionState> done = coordinator_.apply(name, *command, false);
  if (!done) return error_response(409, done.error().message);
  std::string body = "{\"name\":";
  cts::append_json_string(body, name);
  body += ",\"state\":";
  cts::append_json_string(body, to_string(*done));
  body += '}';
  return json_response(200, std::move(body));
}

ControlServer::ControlServer(Coordinator& coordinator, ControlServerOptions options) {
  if (options.token.empty()) {
    throw Exception(make_error(ErrorCode::invalid_argument, "control server: the token is empty"));
  }
  net::HttpServerOptions server_options;
  server_options.port = options.port;
  server_ = std::make_unique<net::HttpServer>(
      [this](const HttpRequest& request) {
        const ControlApi* api = ready_.load(std::memory_order_acquire);
        if (api == nullptr) return error_response(503, "starting");
        return api->handle(request);
      },
      server_options);
  api_ = std::make_unique<ControlApi>(coordinator, options.token, fmt::format("127.0.0.1:{}", server_->port()),
                                      std::move(options.service_id), options.monitor, options.performance);
  ready_.store(api_.get(), std::memory_order_release);
}

ControlServer::~ControlServer() { stop(); }

std::uint16_t ControlServer::port() const noexcept { return server_->port(); }

std::string ControlServer::base_url() const { return server_->base_url(); }

void ControlServer::stop() { server_->stop(); }

}  // namespace cts::engine
