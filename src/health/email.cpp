// The email channel's rendering and classification (declared in
// cts/health/email.hpp).
#include "cts/health/email.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cts/health/detail/json.hpp"
#include "cts/sign/encoding.hpp"
#include "cts/sign/sha.hpp"

namespace cts::health {

namespace email {

bool is_valid_address(std::string_view addr) noexcept {
  if (addr.empty() || addr.size() > 254) return false;
  const auto at = addr.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 == addr.size() ||
      addr.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  for (const char ch : addr) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f || std::string_view("<>()[],;:\\\"").find(ch) != std::string_view::npos) return false;
  }
  return true;
}

std::string header_safe(std::string_view text) {
  std::string out(text);
  for (char& ch : out) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) ch = ' ';
  }
  return out;
}

std::string encode_subject(std::string_view text) {
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

std::string quoted_printable(std::string_view text) {
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

std::string dot_stuffed(std::string_view message) {
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

std::string rfc5322_date(SystemTime t) {
  const auto secs = std::chrono::floor<std::chrono::seconds>(t);
  const auto days = std::chrono::floor<std::chrono::days>(secs);
  const std::chrono::year_month_day ymd{days};
  const std::chrono::hh_mm_ss hms{secs - days};
  static constexpr std::array<std::string_view, 7> kDays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::chrono::weekday wd{days};
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000", kDays[wd.c_encoding()],
                     static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                     static_cast<int>(ymd.year()), hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

std::string address_list(const std::vector<std::string>& addresses, std::size_t prefix_len) {
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

Result<void> EmailConfig::validate() const {
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

namespace email {

std::string subject_text(const Notification& n, NotifyReason reason) {
  std::string title = detail::title(n);
  if (reason == NotifyReason::resolved_before_delivery && title.rfind("[RESOLVED]", 0) == 0) {
    title = "[FIRED+RESOLVED]" + title.substr(10);
  }
  return detail::truncate_code_points(title, 255);
}

std::string body_text(const Notification& n, NotifyReason reason, bool send_resolved, std::size_t max_alerts) {
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
  if (shown > max_alerts)
    out +=
        "\xE2\x80\xA6"
        "and " +
        std::to_string(shown - max_alerts) + " more alerts\n";
  out += "\nReceiver: " + n.receiver + "\nGroup: " + n.group_key + "\nReason: " + std::string(to_string(reason)) + "\n";
  return out;
}

std::string message_id(const Notification& n, NotifyReason reason, std::string_view domain) {
  const auto ns = std::chrono::duration_cast<Nanos>(n.at.time_since_epoch()).count();
  return "<" +
         sign::hex_lower(sign::sha256({n.group_key, "\x1f", to_string(reason), "\x1f", std::to_string(ns)}))
             .substr(0, 32) +
         "@" + std::string(domain) + ">";
}

std::string thread_id(const Notification& n, std::string_view domain) {
  return "<group-" + sign::hex_lower(sign::sha256(n.group_key)).substr(0, 32) + "@" + std::string(domain) + ">";
}

std::string render_message(const Notification& n, NotifyReason reason, const EmailConfig& cfg) {
  const std::string domain =
      cfg.message_id_domain.empty() ? cfg.from.substr(cfg.from.find('@') + 1) : cfg.message_id_domain;
  const std::string status =
      reason == NotifyReason::resolved_before_delivery ? "fired_and_resolved" : std::string(to_string(n.status()));
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

SendVerdict classify_reply(int code, std::string_view text) {
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

EmailChannel::EmailChannel(std::string name, EmailConfig config, std::unique_ptr<NotificationTransport> sender)
    : name_(std::move(name)), config_(std::move(config)), sender_(std::move(sender)) {
  if (auto r = config_.validate(); !r) throw Exception(r.error());
  origin_ = "smtp://" + config_.server;
}

HttpRequest EmailChannel::render(const Notification& n, NotifyReason reason) const {
  HttpRequest r;
  r.method = HttpMethod::post;
  r.path = "/";
  r.body = email::render_message(n, reason, config_);
  r.headers.push_back({"Mail-From", config_.from});
  for (const auto& t : config_.to) r.headers.push_back({"Rcpt-To", t});
  return r;
}

SendVerdict EmailChannel::classify(const HttpResponse& r, SystemTime) const {
  return email::classify_reply(r.status, r.body);
}

}  // namespace cts::health
