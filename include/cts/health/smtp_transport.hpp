#pragma once
/// \file
/// SmtpTransport: the NotificationTransport for EmailChannel, an RFC 5321 client
/// compiled in cts::health (src/health/smtp_transport.cpp, Boost.Asio + OpenSSL; this
/// header includes neither). One connection per message:
///
///     greeting 220 → EHLO → [STARTTLS → 220 → TLS handshake → EHLO]
///     → [AUTH PLAIN (or LOGIN when PLAIN is not offered) → 235]
///     → MAIL FROM:<from> → RCPT TO:<to> per recipient → DATA → 354
///     → dot-stuffed message → 250 → QUIT
///
/// The answer is an HttpResponse whose status is the decisive SMTP reply code (250 on
/// success, else the first reply that ended the transaction) and whose body is
/// "<code> <text> (<stage>)". A recipient refused with 5yz is skipped while another is
/// accepted (the message goes to the accepted ones; the body names the refusals); when
/// all are refused the first refusal is the answer. A 4yz on any recipient ends the
/// transaction with that code (the whole message is retried later). Transport errors:
/// network (connect, TLS handshake or certificate verification failed, connection
/// closed before DATA was accepted), timeout, unknown_outcome (the connection broke
/// after the message was sent and before its reply: retried, at least once),
/// protocol_error (a malformed reply, STARTTLS or AUTH required but not offered).
///
/// Secrets: the password is used only inside AUTH and never appears in a result, an
/// error or a log. Credentials are sent only over TLS unless allow_plaintext_auth.
/// Thread-safe (no shared state between calls).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "cts/health/notifier.hpp"

namespace cts::health {

/// How the SMTP connection is protected.
enum class SmtpSecurity : std::uint8_t {
  plain,         ///< No TLS (loopback relays, tests).
  starttls,      ///< STARTTLS after the first EHLO; fails when the server does not offer it (port 587).
  implicit_tls,  ///< TLS from the first byte (RFC 8314, port 465).
};

/// Settings of the SMTP client.
struct SmtpOptions {
  SmtpSecurity security = SmtpSecurity::starttls;     ///< Transport protection.
  bool verify_peer = true;                            ///< Verify the certificate chain and the host name.
  std::string ca_pem;                                 ///< Extra trust anchors (tests); empty: the system store.
  std::string username;                               ///< AUTH user; empty: no AUTH.
  std::string password;                               ///< AUTH password (secret).
  bool allow_plaintext_auth = false;                  ///< Allow AUTH without TLS (never over the internet).
  std::string hello_name = "localhost";               ///< The EHLO argument (this host's name).
  std::chrono::milliseconds connect_timeout{10'000};  ///< TCP connect (and TLS handshake) deadline.
  std::chrono::milliseconds reply_timeout{60'000};    ///< Deadline for each reply (RFC 5321 §4.5.3.2 suggests minutes).
};

/// Sends EmailChannel requests over SMTP (see the file comment).
class SmtpTransport final : public NotificationTransport {
 public:
  /// A transport with `options`.
  explicit SmtpTransport(SmtpOptions options = {});
  /// Sends the message in `request` (body; envelope in the "Mail-From" and "Rcpt-To"
  /// headers) to `origin` "smtp://host:port", the whole exchange bounded by `timeout`.
  /// Errors as in the file comment; invalid_argument for a bad origin or envelope.
  Result<HttpResponse> send(std::string_view origin, const HttpRequest& request, Nanos timeout) override;

 private:
  SmtpOptions options_;
};

}  // namespace cts::health
