// SmtpTransport: the RFC 5321 client conversation over a net::LineClient (the socket,
// TLS and per-step deadlines are net's), one connection per message.
#include "cts/health/smtp_transport.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "cts/core/detail/ascii.hpp"
#include "cts/health/email.hpp"
#include "cts/net/line_client.hpp"
#include "cts/sign/encoding.hpp"

namespace cts::health {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxReplyLine = 4096;  // RFC 5321 §4.5.3.1.5: 512; generous
constexpr std::size_t kMaxReplyLines = 256;

struct Reply {
  int code = 0;
  std::string text;  // lines joined by " / ", without codes
};

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return out;
}

// One SMTP session: commands and replies over one connection.
class Session {
 public:
  Session(const SmtpOptions& options, Clock::time_point deadline) : options_(options), line_(deadline) {}

  Result<void> connect(const std::string& host, const std::string& port) {
    if (auto c = line_.connect(host, port, options_.connect_timeout); !c) return fail("SMTP", c.error());
    return {};
  }

  Result<void> start_tls(const std::string& host) {
    const net::LineClientTls tls{options_.verify_peer, options_.ca_pem};
    if (auto t = line_.start_tls(host, tls, options_.connect_timeout); !t) return fail("SMTP", t.error());
    return {};
  }

  [[nodiscard]] bool secure() const noexcept { return line_.secure(); }

  Result<void> write(std::string_view bytes) {
    if (auto w = line_.write(bytes, options_.reply_timeout); !w) return fail("SMTP", w.error());
    return {};
  }

  // Reads one (possibly multi-line) reply.
  Result<Reply> read_reply() {
    Reply reply;
    for (std::size_t lines = 0; lines < kMaxReplyLines; ++lines) {
      auto read = line_.read_line(kMaxReplyLine, options_.reply_timeout);
      if (!read && read.error().code == ErrorCode::protocol_error) {
        return make_error(ErrorCode::protocol_error, "SMTP: reply line too long");
      }
      if (!read) return fail("SMTP", read.error());
      const std::string& line = *read;
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
    if (!line_.is_open()) return;
    line_.shorten_deadline(Clock::now() + std::chrono::seconds{2});
    (void)command("QUIT");  // the message was already accepted or refused; QUIT's reply changes nothing
    line_.close();
  }

  void mark_data_sent() noexcept { data_sent_ = true; }

 private:
  // `error` from the connection, named as SMTP's; a broken connection after the message
  // was sent leaves its fate unknown.
  Error fail(std::string_view what, const Error& error) const {
    const ErrorCode code = error.code == ErrorCode::network && data_sent_ ? ErrorCode::unknown_outcome : error.code;
    return make_error(code, std::string(what) + ": " + error.message);
  }

  const SmtpOptions& options_;
  net::LineClient line_;
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
    if (cts::detail::iequals(h.name, "Rcpt-To")) recipients.emplace_back(h.value);
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
      reply = s.command("AUTH PLAIN " + sign::base64_encode(sign::bytes(token)));
    } else if (ext.auth_login) {
      reply = s.command("AUTH LOGIN");
      if (reply && reply->code == 334) reply = s.command(sign::base64_encode(sign::bytes(options_.username)));
      if (reply && reply->code == 334) reply = s.command(sign::base64_encode(sign::bytes(options_.password)));
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
