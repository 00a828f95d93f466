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

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/error.hpp"
#include "cts/core/result.hpp"
#include "cts/health/channels.hpp"
#include "cts/health/notifier.hpp"

namespace cts::health {

namespace email {

/// Whether `addr` is a bare addr-spec this channel accepts: `local@domain`, at most
/// 254 octets of printable ASCII (no SMTPUTF8), one '@', both sides non-empty, no
/// whitespace or any of `<>()[],;:\"` (no display names, no header injection).
bool is_valid_address(std::string_view addr) noexcept;

/// `text` with every control character (CR and LF included) replaced by a space, so
/// label values can never inject a header line.
std::string header_safe(std::string_view text);

/// The value of a Subject header (without "Subject: ") for `text` (control characters
/// replaced by spaces). Printable ASCII without "=?" stays as it is, folded before a
/// space wherever a line would pass 78 octets. Anything else becomes RFC 2047
/// encoded-words `=?UTF-8?B?...?=` of at most 39 octets of whole UTF-8 characters
/// each (64 characters per word), separated by CRLF SP.
std::string encode_subject(std::string_view text);

/// Quoted-printable (RFC 2045 §6.7) of UTF-8 text whose lines end in LF, CRLF or CR:
/// hard line breaks become CRLF; bytes other than printable ASCII (and '=') become
/// "=XX"; a space or tab before a line break is encoded; lines are soft-broken with
/// "=" so no encoded line exceeds 76 octets, never inside an "=XX" triplet.
std::string quoted_printable(std::string_view text);

/// The SMTP DATA payload of `message` (RFC 5321 §4.5.2): bare CR and LF become CRLF, a
/// line starting with '.' gets one more '.', the payload ends with CRLF "." CRLF.
std::string dot_stuffed(std::string_view message);

/// An RFC 5322 date-time in UTC: "Mon, 01 Jan 2024 00:00:30 +0000".
std::string rfc5322_date(SystemTime t);

/// `addresses` joined with ", ", folded (CRLF SP) before an address that would take
/// a line past 78 octets; `prefix_len` is the header name's length plus ": ".
std::string address_list(const std::vector<std::string>& addresses, std::size_t prefix_len);

}  // namespace email

/// Configuration of an email channel.
struct EmailConfig {
  std::string from;               ///< Envelope and header sender, a bare address ("alerts@example.com").
  std::vector<std::string> to;    ///< Recipients (at least one), bare addresses.
  std::string server;             ///< "host:port" of the SMTP server (the origin "smtp://host:port").
  std::string message_id_domain;  ///< Right side of Message-ID; empty: the domain of `from`.
  bool send_resolved = false;     ///< Alertmanager's email default.

  /// Checks the addresses and the server. Errors: invalid_argument naming the field.
  [[nodiscard]] Result<void> validate() const;
};

namespace email {

/// The Subject text of `n` for `reason`: detail::title(), except a group that fired and
/// resolved before any delivery is "[FIRED+RESOLVED] ...", at most 255 code points.
std::string subject_text(const Notification& n, NotifyReason reason);

/// The plain-text body (LF line ends, before transfer encoding): title, a section per
/// status with one line per alert (detail::alert_line), then receiver, group and reason.
/// At most `max_alerts` lines, then "…and N more alerts".
std::string body_text(const Notification& n, NotifyReason reason, bool send_resolved, std::size_t max_alerts = 500);

/// The message's Message-ID: "<" 32 hex digits of sha256(group key, reason, flush
/// time in ns) "@" domain ">" (unique per notification, reproducible for tests).
std::string message_id(const Notification& n, NotifyReason reason, std::string_view domain);

/// The group's thread id, used as In-Reply-To and References: "<group-" 32 hex digits
/// of sha256(group key) "@" domain ">".
std::string thread_id(const Notification& n, std::string_view domain);

/// The complete RFC 5322 message (CRLF line ends) for `n`, `reason` and a valid `cfg`.
/// Header order: Date, From, To, Subject, Message-ID, In-Reply-To, References,
/// Auto-Submitted, MIME-Version, Content-Type, Content-Transfer-Encoding, X-Alert-Status.
std::string render_message(const Notification& n, NotifyReason reason, const EmailConfig& cfg);

/// The verdict on the decisive SMTP reply `code` with reply text `text` (RFC 5321
/// §4.2.1): 2yz delivered; 4yz retry (server_error); 530/534/535/538 disable (auth);
/// other 5yz drop (client_error); anything else retry (server_error: a reply that is
/// not a final SMTP code).
SendVerdict classify_reply(int code, std::string_view text);

}  // namespace email

/// Email over SMTP. render() gives a request carrying the message (body) and the
/// envelope (headers "Mail-From", "Rcpt-To"); classify() reads the SMTP reply code the
/// transport returns as the status (email::classify_reply). Sent through `sender`
/// (usually an SmtpTransport) when given, else through the notifier's transport.
class EmailChannel final : public Channel {
 public:
  /// A channel named `name`. Throws cts::Exception (invalid_argument) when
  /// `config.validate()` fails.
  EmailChannel(std::string name, EmailConfig config, std::unique_ptr<NotificationTransport> sender = nullptr);
  [[nodiscard]] std::string_view type() const noexcept override { return "email"; }
  [[nodiscard]] const std::string& name() const noexcept override { return name_; }
  /// "smtp://host:port".
  [[nodiscard]] const std::string& origin() const noexcept override { return origin_; }
  [[nodiscard]] bool send_resolved() const noexcept override { return config_.send_resolved; }
  /// The configuration.
  [[nodiscard]] const EmailConfig& config() const noexcept { return config_; }

  [[nodiscard]] HttpRequest render(const Notification& n, NotifyReason reason) const override;
  [[nodiscard]] SendVerdict classify(const HttpResponse& r, SystemTime now) const override;
  [[nodiscard]] NotificationTransport* own_transport() noexcept override { return sender_.get(); }

 private:
  std::string name_;
  EmailConfig config_;
  std::unique_ptr<NotificationTransport> sender_;
  std::string origin_;
};

}  // namespace cts::health
