// SmtpTransport: a blocking RFC 5321 client over Boost.Asio with per-step deadlines
// (each asynchronous step runs the private io_context until it completes or its
// deadline passes; then the socket is closed and the step reports a timeout).
#include "cts/health/smtp_transport.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "cts/core/detail/ascii.hpp"
#include "cts/health/email.hpp"

namespace cts::health {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxReplyLine = 4096;   // RFC 5321 §4.5.3.1.5: 512; generous
constexpr std::size_t kMaxReplyLines = 256;

struct Reply {
  int code = 0;
  std::string text;  // lines joined by " / ", without codes
};

bool is_ip_address(const std::string& host) {
  error_code ec;
  (void)asio::ip::make_address(host, ec);  // only whether it parses matters (ec)
  return !ec;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return out;
}

class Session {
 public:
  Session(const SmtpOptions& options, Clock::time_point deadline) : options_(options), deadline_(deadline) {}

  // Runs one asynchronous step started by `start` (which gets a completion handler)
  // until it completes or `limit` / the session deadline passes.
  template <class Start>
  error_code step(Start&& start, Clock::duration limit, std::size_t* transferred = nullptr) {
    error_code result = asio::error::would_block;
    std::size_t n = 0;
    bool done = false;
    start([&](const error_code& ec, std::size_t bytes = 0) {
      result = ec;
      n = bytes;
      done = true;
    });
    ioc_.restart();
    ioc_.run_until(std::min(Clock::now() + limit, deadline_));
    if (!done) {
      error_code ignored;
      socket_.close(ignored);
      ioc_.restart();
      ioc_.run();
      timed_out_ = true;
      return asio::error::timed_out;
    }
    if (transferred != nullptr) *transferred = n;
    return result;
  }

  Result<void> connect(const std::string& host, const std::string& port) {
    tcp::resolver resolver(ioc_);
    tcp::resolver::results_type endpoints;
    error_code ec = step(
        [&](auto handler) {
          resolver.async_resolve(host, port, [&, handler](const error_code& e, tcp::resolver::results_type r) mutable {
            endpoints = std::move(r);
            handler(e);
          });
        },
        options_.connect_timeout);
    if (ec) return fail("SMTP: cannot resolve the server", ec);
    ec = step([&](auto handler) {
      asio::async_connect(socket_, endpoints, [handler](const error_code& e, const tcp::endpoint&) mutable { handler(e); });
    }, options_.connect_timeout);
    if (ec) return fail("SMTP: cannot connect to the server", ec);
    return {};
  }

  Result<void> start_tls(const std::string& host) {
    ctx_.emplace(ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(ctx_->native_handle(), TLS1_2_VERSION);
    error_code ec;
    if (!options_.ca_pem.empty()) {
      ctx_->add_certificate_authority(asio::buffer(options_.ca_pem), ec);
    } else {
      ctx_->set_default_verify_paths(ec);
    }
    if (ec) return make_error(ErrorCode::invalid_argument, "SMTP: unusable CA certificates");
    ctx_->set_verify_mode(options_.verify_peer ? ssl::verify_peer : ssl::verify_none);
    tls_.emplace(socket_, *ctx_);
    SSL* handle = tls_->native_handle();
    const bool ip = is_ip_address(host);
    if (!ip && SSL_set_tlsext_host_name(handle, host.c_str()) != 1) {
      return make_error(ErrorCode::network, "SMTP: TLS setup failed");
    }
    if (options_.verify_peer) {
      X509_VERIFY_PARAM* param = SSL_get0_param(handle);
      X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      const int ok = ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                        : X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
      if (ok != 1) return make_error(ErrorCode::network, "SMTP: TLS setup failed");
    }
    ec = step([&](auto handler) { tls_->async_handshake(ssl::stream_base::client, handler); }, options_.connect_timeout);
    if (ec) {
      const long verify = SSL_get_verify_result(handle);
      if (verify != X509_V_OK) {
        return make_error(ErrorCode::network,
                          std::string("SMTP: TLS certificate verification failed: ") + X509_verify_cert_error_string(verify));
      }
      return fail("SMTP: TLS handshake failed", ec);
    }
    return {};
  }

  [[nodiscard]] bool secure() const noexcept { return tls_.has_value(); }

  Result<void> write(std::string_view bytes) {
    const auto ec = step([&](auto handler) {
      if (tls_) {
        asio::async_write(*tls_, asio::buffer(bytes.data(), bytes.size()), handler);
      } else {
        asio::async_write(socket_, asio::buffer(bytes.data(), bytes.size()), handler);
      }
    }, options_.reply_timeout);
    if (ec) return fail("SMTP: the connection broke while sending", ec);
    return {};
  }

  // Reads one (possibly multi-line) reply.
  Result<Reply> read_reply() {
    Reply reply;
    for (std::size_t lines = 0; lines < kMaxReplyLines; ++lines) {
      std::size_t n = 0;
      const auto ec = step([&](auto handler) {
        auto buf = asio::dynamic_buffer(in_, kMaxReplyLine);
        if (tls_) {
          asio::async_read_until(*tls_, buf, "\r\n", handler);
        } else {
          asio::async_read_until(socket_, buf, "\r\n", handler);
        }
      }, options_.reply_timeout, &n);
      if (ec == asio::error::not_found) return make_error(ErrorCode::protocol_error, "SMTP: reply line too long");
      if (ec) return fail("SMTP: the connection broke while waiting for a reply", ec);
      const std::string line = in_.substr(0, n - 2);
      in_.erase(0, n);
      int code = 0;
      const auto r = std::from_chars(line.data(), line.data() + std::min<std::size_t>(3, line.size()), code);
      if (line.size() < 3 || r.ptr != line.data() + 3 || code < 200 || code > 599 ||
          (line.size() > 3 && line[3] != ' ' && line[3] != '-') || (reply.code != 0 && code != reply.code)) {
        return make_error(ErrorCode::protocol_error, "SMTP: malformed reply");
      }
      reply.code = code;
      if (line.size() > 4) {
        if (!reply.text.empty()) reply.text += " / ";
        reply.text += line.substr(4);
      }
      if (line.size() == 3 || line[3] == ' ') return reply;
    }
    return make_error(ErrorCode::protocol_error, "SMTP: reply has too many lines");
  }

  Result<Reply> command(std::string_view line) {
    if (auto w = write(std::string(line) + "\r\n"); !w) return w.error();
    return read_reply();
  }

  // Best effort: QUIT and close, ignoring errors, within a short deadline.
  void quit() {
    if (!socket_.is_open()) return;
    deadline_ = std::min(deadline_, Clock::now() + std::chrono::seconds{2});
    (void)command("QUIT");  // the message was already accepted or refused; QUIT's reply changes nothing
    error_code ignored;
    socket_.close(ignored);
  }

  void mark_data_sent() noexcept { data_sent_ = true; }

 private:
  Error fail(std::string_view what, const error_code& ec) const {
    if (timed_out_ || ec == asio::error::timed_out) return make_error(ErrorCode::timeout, std::string(what) + ": timed out");
    const ErrorCode code = data_sent_ ? ErrorCode::unknown_outcome : ErrorCode::network;
    return make_error(code, std::string(what) + ": " + ec.message());
  }

  const SmtpOptions& options_;
  Clock::time_point deadline_;
  asio::io_context ioc_;
  tcp::socket socket_{ioc_};
  std::optional<ssl::context> ctx_;
  std::optional<ssl::stream<tcp::socket&>> tls_;
  std::string in_;
  bool timed_out_ = false;
  bool data_sent_ = false;
};

struct Extensions {
  bool starttls = false;
  bool auth_plain = false;
  bool auth_login = false;
};

Extensions parse_ehlo(const Reply& r) {
  Extensions e;
  std::string_view text = r.text;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto end = text.find(" / ", pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string line = upper(text.substr(pos, end - pos));
    if (line == "STARTTLS") e.starttls = true;
    if (line.rfind("AUTH ", 0) == 0 || line.rfind("AUTH=", 0) == 0) {
      const std::string mechs = " " + line.substr(5) + " ";
      e.auth_plain = e.auth_plain || mechs.find(" PLAIN ") != std::string::npos;
      e.auth_login = e.auth_login || mechs.find(" LOGIN ") != std::string::npos;
    }
    pos = end + 3;
  }
  return e;
}

HttpResponse answer(const Reply& r, std::string_view stage, std::string extra = {}) {
  std::string body = std::to_string(r.code) + (r.text.empty() ? "" : " " + r.text) + " (" + std::string(stage) + ")";
  if (!extra.empty()) body += "; " + extra;
  return HttpResponse{r.code, {}, std::move(body)};
}

}  // namespace

SmtpTransport::SmtpTransport(SmtpOptions options) : options_(std::move(options)) {}

Result<HttpResponse> SmtpTransport::send(std::string_view origin, const HttpRequest& request, Nanos timeout) {
  constexpr std::string_view kScheme = "smtp://";
  if (origin.substr(0, kScheme.size()) != kScheme) return make_error(ErrorCode::invalid_argument, "SMTP: origin must be smtp://host:port");
  const std::string_view hostport = origin.substr(kScheme.size());
  const auto colon = hostport.rfind(':');
  if (colon == 0 || colon == std::string_view::npos || colon + 1 == hostport.size()) {
    return make_error(ErrorCode::invalid_argument, "SMTP: origin must be smtp://host:port");
  }
  std::string host(hostport.substr(0, colon));
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string port(hostport.substr(colon + 1));
  const auto from_header = request.header("Mail-From");
  const std::optional<std::string> from = from_header ? std::optional<std::string>(*from_header) : std::nullopt;
  std::vector<std::string> recipients;
  for (const auto& h : request.headers) {
    if (cts::detail::iequals(h.name, "Rcpt-To")) recipients.push_back(h.value);
  }
  if (!from || !email::is_valid_address(*from) || recipients.empty() ||
      !std::all_of(recipients.begin(), recipients.end(), [](const std::string& r) { return email::is_valid_address(r); })) {
    return make_error(ErrorCode::invalid_argument, "SMTP: the request lacks a valid envelope");
  }

  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(timeout);
  Session s(options_, deadline);
  if (auto c = s.connect(host, port); !c) return c.error();
  if (options_.security == SmtpSecurity::implicit_tls) {
    if (auto t = s.start_tls(host); !t) return t.error();
  }
  auto reply = s.read_reply();
  if (!reply) return reply.error();
  if (reply->code != 220) {
    s.quit();
    return answer(*reply, "greeting");
  }
  reply = s.command("EHLO " + options_.hello_name);
  if (!reply) return reply.error();
  if (reply->code != 250) {
    s.quit();
    return answer(*reply, "EHLO");
  }
  Extensions ext = parse_ehlo(*reply);
  if (options_.security == SmtpSecurity::starttls) {
    if (!ext.starttls) {
      s.quit();
      return make_error(ErrorCode::protocol_error, "SMTP: the server does not offer STARTTLS");
    }
    reply = s.command("STARTTLS");
    if (!reply) return reply.error();
    if (reply->code != 220) {
      s.quit();
      return answer(*reply, "STARTTLS");
    }
    if (auto t = s.start_tls(host); !t) return t.error();
    reply = s.command("EHLO " + options_.hello_name);  // RFC 3207 §4.2: forget what was learned
    if (!reply) return reply.error();
    if (reply->code != 250) {
      s.quit();
      return answer(*reply, "EHLO");
    }
    ext = parse_ehlo(*reply);
  }
  if (!options_.username.empty()) {
    if (!s.secure() && !options_.allow_plaintext_auth) {
      s.quit();
      return make_error(ErrorCode::protocol_error, "SMTP: refusing to send credentials without TLS");
    }
    if (ext.auth_plain) {
      std::string token;
      token += '\0';
      token += options_.username;
      token += '\0';
      token += options_.password;
      reply = s.command("AUTH PLAIN " + email::base64(token));
    } else if (ext.auth_login) {
      reply = s.command("AUTH LOGIN");
      if (reply && reply->code == 334) reply = s.command(email::base64(options_.username));
      if (reply && reply->code == 334) reply = s.command(email::base64(options_.password));
    } else {
      s.quit();
      return make_error(ErrorCode::protocol_error, "SMTP: the server offers neither AUTH PLAIN nor AUTH LOGIN");
    }
    if (!reply) return reply.error();
    if (reply->code != 235) {
      s.quit();
      return answer(*reply, "AUTH");
    }
  }
  reply = s.command("MAIL FROM:<" + *from + ">");
  if (!reply) return reply.error();
  if (reply->code != 250) {
    s.quit();
    return answer(*reply, "MAIL FROM");
  }
  std::optional<Reply> first_refusal;
  std::size_t accepted = 0;
  for (const auto& to : recipients) {
    reply = s.command("RCPT TO:<" + to + ">");
    if (!reply) return reply.error();
    if (reply->code == 250 || reply->code == 251) {
      ++accepted;
    } else if (reply->code >= 500) {
      if (!first_refusal) first_refusal = *reply;
    } else {
      s.quit();
      return answer(*reply, "RCPT TO");
    }
  }
  if (accepted == 0) {
    s.quit();
    return answer(*first_refusal, "RCPT TO");
  }
  reply = s.command("DATA");
  if (!reply) return reply.error();
  if (reply->code != 354) {
    s.quit();
    return answer(*reply, "DATA");
  }
  s.mark_data_sent();
  if (auto w = s.write(email::dot_stuffed(request.body)); !w) return w.error();
  reply = s.read_reply();
  if (!reply) return reply.error();
  s.quit();
  std::string extra;
  if (accepted < recipients.size()) {
    extra = std::to_string(recipients.size() - accepted) + " of " + std::to_string(recipients.size()) +
            " recipients refused: " + std::to_string(first_refusal->code) + " " + first_refusal->text;
  }
  return answer(*reply, "end of data", std::move(extra));
}

}  // namespace cts::health
