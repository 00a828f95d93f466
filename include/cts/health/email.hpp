#pragma once
/// \file
/// The email channel, pure part: an alert notification rendered as a plain-text
/// RFC 5322 message (UTF-8 body in quoted-printable, so every line is at most 76
/// octets; RFC 2047 encoded-word Subject when it is not plain ASCII; CRLF line
/// endings; Date, Message-ID, and In-Reply-To/References stable per group so mail
/// clients thread one group's messages), the SMTP DATA payload (dot-stuffed,
/// terminated by CRLF.CRLF) and the verdict on an SMTP reply code (RFC 5321 §4.2.1:
/// 2yz delivered, 4yz retry, 5yz permanent: authentication failures 530/534/535/538
/// disable the channel, any other 5yz drops the message; both raise a meta-alert).
///
/// Sending is the SmtpTransport's job (smtp_transport.hpp). An EmailChannel renders a
/// cts::HttpRequest whose body is the message and whose headers carry the envelope
/// ("Mail-From" once, "Rcpt-To" per recipient); the transport answers with an
/// HttpResponse whose status is the decisive SMTP reply code. Recipient addresses are
/// not secrets; the SMTP password lives only in the transport's options.

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/health/channels.hpp"
#include "cts/health/notifier.hpp"
#include "cts/sign/encoding.hpp"
#include "cts/sign/sha.hpp"

namespace cts::health {

namespace email {

/// Whether `addr` is a bare addr-spec this channel accepts: `local@domain`, at most
/// 254 octets of printable ASCII (no SMTPUTF8), one '@', both sides non-empty, no
/// whitespace or any of `<>()[],;:\"` (no display names, no header injection).
inline bool is_valid_address(std::string_view addr) noexcept {
  if (addr.empty() || addr.size() > 254) return false;
  const auto at = addr.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 == addr.size() || addr.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  for (const char ch : addr) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f || std::string_view("<>()[],;:\\\"").find(ch) != std::string_view::npos) return false;
  }
  return true;
}

/// `text` with every control character (CR and LF included) replaced by a space, so
/// label values can never inject a header line.
inline std::string header_safe(std::string_view text) {
  std::string out(text);
  for (char& ch : out) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) ch = ' ';
  }
  return out;
}

/// The value of a Subject header (without "Subject: ") for `text` (control characters
/// replaced by spaces). Printable ASCII without "=?" stays as it is, folded before a
/// space wherever a line would pass 78 octets. Anything else becomes RFC 2047
/// encoded-words `=?UTF-8?B?...?=` of at most 39 octets of whole UTF-8 characters
/// each (64 characters per word), separated by CRLF SP.
inline std::string encode_subject(std::string_view text) {
  const std::string clean = header_safe(text);
  bool ascii = clean.find("=?") == std::string::npos;
  for (const char ch : clean) ascii = ascii && static_cast<unsigned char>(ch) < 0x80;
  std::string out;
  if (ascii) {
    std::size_t line = 9;  // "Subject: "
    std::size_t pos = 0;
    while (pos < clean.size()) {
      auto next = clean.find(' ', pos + 1);
      if (next == std::string::npos) next = clean.size();
      const std::string_view word = std::string_view(clean).substr(pos, next - pos);
      if (pos != 0 && word.front() == ' ' && line + word.size() > 78) {
        out += "\r\n";
        line = 0;
      }
      out += word;
      line += word.size();
      pos = next;
    }
    return out;
  }
  std::size_t pos = 0;
  while (pos < clean.size()) {
    std::size_t end = pos;
    while (end < clean.size()) {
      const std::size_t len = std::max<std::size_t>(1, detail::utf8_sequence_length(clean, end));
      if (end + len - pos > 39) break;
      end += len;
    }
    if (end == pos) end = pos + 1;  // cannot happen with valid lengths; guards progress
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + sign::base64_encode(sign::bytes(std::string_view(clean).substr(pos, end - pos))) + "?=";
    pos = end;
  }
  return out;
}

/// Quoted-printable (RFC 2045 §6.7) of UTF-8 text whose lines end in LF, CRLF or CR:
/// hard line breaks become CRLF; bytes other than printable ASCII (and '=') become
/// "=XX"; a space or tab before a line break is encoded; lines are soft-broken with
/// "=" so no encoded line exceeds 76 octets, never inside an "=XX" triplet.
inline std::string quoted_printable(std::string_view text) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  std::size_t line = 0;
  const auto emit = [&](std::string_view token) {
    if (line + token.size() > 75) {
      out += "=\r\n";
      line = 0;
    }
    out += token;
    line += token.size();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '\r' || ch == '\n') {
      if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += "\r\n";
      line = 0;
      continue;
    }
    const auto c = static_cast<unsigned char>(ch);
    const bool at_line_end = i + 1 == text.size() || text[i + 1] == '\r' || text[i + 1] == '\n';
    const bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_line_end);
    if (literal) {
      emit(std::string_view(&ch, 1));
    } else {
      const std::array<char, 3> triplet{'=', kHex[c >> 4], kHex[c & 15]};
      emit(std::string_view(triplet.data(), triplet.size()));
    }
  }
  return out;
}

/// The SMTP DATA payload of `message` (RFC 5321 §4.5.2): bare CR and LF become CRLF, a
/// line starting with '.' gets one more '.', the payload ends with CRLF "." CRLF.
inline std::string dot_stuffed(std::string_view message) {
  std::string out;
  out.reserve(message.size() + message.size() / 64 + 8);
  bool line_start = true;
  for (std::size_t i = 0; i < message.size(); ++i) {
    const char ch = message[i];
    if (ch == '\r' || ch == '\n') {
      if (ch == '\r' && i + 1 < message.size() && message[i + 1] == '\n') ++i;
      out += "\r\n";
      line_start = true;
      continue;
    }
    if (line_start && ch == '.') out += '.';
    out += ch;
    line_start = false;
  }
  if (!line_start) out += "\r\n";
  out += ".\r\n";
  return out;
}

/// An RFC 5322 date-time in UTC: "Mon, 01 Jan 2024 00:00:30 +0000".
inline std::string rfc5322_date(SystemTime t) {
  const auto secs = std::chrono::floor<std::chrono::seconds>(t);
  const auto days = std::chrono::floor<std::chrono::days>(secs);
  const std::chrono::year_month_day ymd{days};
  const std::chrono::hh_mm_ss hms{secs - days};
  static constexpr std::array<std::string_view, 7> kDays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::chrono::weekday wd{days};
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000", kDays[wd.c_encoding()], static_cast<unsigned>(ymd.day()),
                     kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count());
}

/// `addresses` joined with ", ", folded (CRLF SP) before an address that would take
/// a line past 78 octets; `prefix_len` is the header name's length plus ": ".
inline std::string address_list(const std::vector<std::string>& addresses, std::size_t prefix_len) {
  std::string out;
  std::size_t line = prefix_len;
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    if (i != 0) {
      out += ',';
      ++line;
      if (line + 1 + addresses[i].size() > 78) {
        out += "\r\n";
        line = 0;
      }
      out += ' ';
      ++line;
    }
    out += addresses[i];
    line += addresses[i].size();
  }
  return out;
}

}  // namespace email

/// Configuration of an email channel.
struct EmailConfig {
  std::string from;                   ///< Envelope and header sender, a bare address ("alerts@example.com").
  std::vector<std::string> to;        ///< Recipients (at least one), bare addresses.
  std::string server;                 ///< "host:port" of the SMTP server (the origin "smtp://host:port").
  std::string message_id_domain;      ///< Right side of Message-ID; empty: the domain of `from`.
  bool send_resolved = false;         ///< Alertmanager's email default.

  /// Checks the addresses and the server. Errors: invalid_argument naming the field.
  [[nodiscard]] Result<void> validate() const {
    if (!email::is_valid_address(from)) return make_error(ErrorCode::invalid_argument, "email: invalid From address");
    if (to.empty()) return make_error(ErrorCode::invalid_argument, "email: no recipient");
    for (const auto& t : to) {
      if (!email::is_valid_address(t)) return make_error(ErrorCode::invalid_argument, "email: invalid recipient address");
    }
    const auto colon = server.rfind(':');
    if (server.empty() || colon == 0 || colon == std::string::npos || colon + 1 == server.size() ||
        server.find_first_of("/@ \r\n") != std::string::npos) {
      return make_error(ErrorCode::invalid_argument, "email: server must be host:port");
    }
    if (!email::is_valid_address("x@" + message_id_domain) && !message_id_domain.empty()) {
      return make_error(ErrorCode::invalid_argument, "email: invalid Message-ID domain");
    }
    return {};
  }
};

namespace email {

/// The Subject text of `n` for `reason`: detail::title(), except a group that fired and
/// resolved before any delivery is "[FIRED+RESOLVED] ...", at most 255 code points.
inline std::string subject_text(const Notification& n, NotifyReason reason) {
  std::string title = detail::title(n);
  if (reason == NotifyReason::resolved_before_delivery && title.rfind("[RESOLVED]", 0) == 0) {
    title = "[FIRED+RESOLVED]" + title.substr(10);
  }
  return detail::truncate_code_points(title, 255);
}

/// The plain-text body (LF line ends, before transfer encoding): title, a section per
/// status with one line per alert (detail::alert_line), then receiver, group and reason.
/// At most `max_alerts` lines, then "…and N more alerts".
inline std::string body_text(const Notification& n, NotifyReason reason, bool send_resolved, std::size_t max_alerts = 500) {
  const auto alerts = detail::visible_alerts(n, send_resolved, reason);
  std::string out = detail::title(n) + "\n";
  std::size_t shown = 0;
  const auto section = [&](AlertStatus status, std::string_view heading) {
    bool any = false;
    for (const Alert* a : alerts) {
      if (a->status_at(n.at) != status) continue;
      if (!any) out += "\n" + std::string(heading) + "\n";
      any = true;
      if (shown++ < max_alerts) out += "- " + detail::alert_line(*a, n.at, false) + "\n";
    }
  };
  section(AlertStatus::firing, "Firing:");
  section(AlertStatus::resolved, reason == NotifyReason::resolved_before_delivery
                                     ? "Fired and resolved before this notification could be delivered:"
                                     : "Resolved:");
  if (shown > max_alerts) out += "\xE2\x80\xA6" "and " + std::to_string(shown - max_alerts) + " more alerts\n";
  out += "\nReceiver: " + n.receiver + "\nGroup: " + n.group_key + "\nReason: " + std::string(to_string(reason)) + "\n";
  return out;
}

/// The message's Message-ID: "<" 32 hex digits of sha256(group key, reason, flush
/// time in ns) "@" domain ">" (unique per notification, reproducible for tests).
inline std::string message_id(const Notification& n, NotifyReason reason, std::string_view domain) {
  const auto ns = std::chrono::duration_cast<Nanos>(n.at.time_since_epoch()).count();
  return "<" +
         sign::hex_lower(sign::sha256({n.group_key, "\x1f", to_string(reason), "\x1f", std::to_string(ns)}))
             .substr(0, 32) +
         "@" + std::string(domain) + ">";
}

/// The group's thread id, used as In-Reply-To and References: "<group-" 32 hex digits
/// of sha256(group key) "@" domain ">".
inline std::string thread_id(const Notification& n, std::string_view domain) {
  return "<group-" + sign::hex_lower(sign::sha256(n.group_key)).substr(0, 32) + "@" + std::string(domain) + ">";
}

/// The complete RFC 5322 message (CRLF line ends) for `n`, `reason` and a valid `cfg`.
/// Header order: Date, From, To, Subject, Message-ID, In-Reply-To, References,
/// Auto-Submitted, MIME-Version, Content-Type, Content-Transfer-Encoding, X-Alert-Status.
inline std::string render_message(const Notification& n, NotifyReason reason, const EmailConfig& cfg) {
  const std::string domain = cfg.message_id_domain.empty() ? cfg.from.substr(cfg.from.find('@') + 1) : cfg.message_id_domain;
  const std::string status = reason == NotifyReason::resolved_before_delivery ? "fired_and_resolved"
                                                                              : std::string(to_string(n.status()));
  std::string out;
  out += "Date: " + rfc5322_date(n.at) + "\r\n";
  out += "From: " + cfg.from + "\r\n";
  out += "To: " + address_list(cfg.to, 4) + "\r\n";
  out += "Subject: " + encode_subject(subject_text(n, reason)) + "\r\n";
  out += "Message-ID: " + message_id(n, reason, domain) + "\r\n";
  out += "In-Reply-To: " + thread_id(n, domain) + "\r\n";
  out += "References: " + thread_id(n, domain) + "\r\n";
  out += "Auto-Submitted: auto-generated\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: quoted-printable\r\n";
  out += "X-Alert-Status: " + status + "\r\n";
  out += "\r\n";
  out += quoted_printable(body_text(n, reason, cfg.send_resolved));
  return out;
}

/// The verdict on the decisive SMTP reply `code` with reply text `text` (RFC 5321
/// §4.2.1): 2yz delivered; 4yz retry (server_error); 530/534/535/538 disable (auth);
/// other 5yz drop (client_error); anything else retry (server_error: a reply that is
/// not a final SMTP code).
inline SendVerdict classify_reply(int code, std::string_view text) {
  SendVerdict v;
  v.detail = "SMTP " + std::to_string(code) + (text.empty() ? "" : ": " + detail::truncate_bytes(text, 200));
  if (code >= 200 && code < 300) return v;
  if (code >= 500 && code < 600) {
    const bool auth = code == 530 || code == 534 || code == 535 || code == 538;
    v.action = auth ? Delivery::disable : Delivery::drop;
    v.reason = auth ? FailureReason::auth : FailureReason::client_error;
    return v;
  }
  v.action = Delivery::retry;
  v.reason = FailureReason::server_error;
  return v;
}

}  // namespace email

/// Email over SMTP. render() gives a request carrying the message (body) and the
/// envelope (headers "Mail-From", "Rcpt-To"); classify() reads the SMTP reply code the
/// transport returns as the status (email::classify_reply). Sent through `sender`
/// (usually an SmtpTransport) when given, else through the notifier's transport.
class EmailChannel final : public Channel {
 public:
  /// A channel named `name`. Throws cts::Exception (invalid_argument) when
  /// `config.validate()` fails.
  EmailChannel(std::string name, EmailConfig config, std::unique_ptr<NotificationTransport> sender = nullptr)
      : name_(std::move(name)), config_(std::move(config)), sender_(std::move(sender)) {
    if (auto r = config_.validate(); !r) throw Exception(r.error());
    origin_ = "smtp://" + config_.server;
  }
  [[nodiscard]] std::string_view type() const noexcept override { return "email"; }
  [[nodiscard]] const std::string& name() const noexcept override { return name_; }
  /// "smtp://host:port".
  [[nodiscard]] const std::string& origin() const noexcept override { return origin_; }
  [[nodiscard]] bool send_resolved() const noexcept override { return config_.send_resolved; }
  /// The configuration.
  [[nodiscard]] const EmailConfig& config() const noexcept { return config_; }

  [[nodiscard]] HttpRequest render(const Notification& n, NotifyReason reason) const override {
    HttpRequest r;
    r.method = HttpMethod::post;
    r.path = "/";
    r.body = email::render_message(n, reason, config_);
    r.headers.push_back({"Mail-From", config_.from});
    for (const auto& t : config_.to) r.headers.push_back({"Rcpt-To", t});
    return r;
  }
  [[nodiscard]] SendVerdict classify(const HttpResponse& r, SystemTime) const override {
    return email::classify_reply(r.status, r.body);
  }
  [[nodiscard]] NotificationTransport* own_transport() noexcept override { return sender_.get(); }

 private:
  std::string name_;
  EmailConfig config_;
  std::unique_ptr<NotificationTransport> sender_;
  std::string origin_;
};

}  // namespace cts::health
