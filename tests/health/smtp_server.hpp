#pragma once
// A scripted SMTP server on 127.0.0.1 for the SmtpTransport tests (POSIX sockets and
// OpenSSL directly, one thread, one connection at a time). It speaks enough RFC 5321 /
// RFC 3207 / RFC 4954 to drive the client: greeting, EHLO (advertising STARTTLS and
// AUTH PLAIN LOGIN when asked), STARTTLS with an in-memory certificate, AUTH PLAIN and
// LOGIN checked against a username/password, MAIL, RCPT, DATA (un-stuffing the dots,
// keeping the raw bytes too), RSET, QUIT. Any reply can be overridden per verb from a
// queue (consumed one per use), and a session can be cut mid-DATA. Every command line
// is recorded (after "AUTH"/"334" exchanges the base64 payloads as sent).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <cts/net/test_certificate.hpp>

namespace smtp_test {

struct Session {
  std::vector<std::string> commands;  // every command line, in order
  std::vector<bool> secure;           // whether each command arrived over TLS
  std::string raw_data;               // DATA bytes as received, up to and including CRLF.CRLF
  std::string message;                // the message after removing dot-stuffing (CRLF line ends)
};

struct Script {
  bool offer_starttls = false;
  bool offer_auth = false;
  std::string auth_mechanisms = "PLAIN LOGIN";
  std::string username = "alice";
  std::string password = "s3cret-Pa55";
  int cut_mid_data = 0;  // the first N DATA payloads: close after reading part of it, without a reply
  std::map<std::string, std::deque<std::string>> replies;  // verb ("GREETING", "RCPT", "DATA-END", ...) -> replies
};

class Server {
 public:
  explicit Server(Script script, const cts::net::TestCertificate* cert = nullptr) : script_(std::move(script)) {
    if (cert != nullptr) {
      ctx_ = SSL_CTX_new(TLS_server_method());
      BIO* cb = BIO_new_mem_buf(cert->certificate_pem.data(), static_cast<int>(cert->certificate_pem.size()));
      X509* x = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
      BIO* kb = BIO_new_mem_buf(cert->private_key_pem.data(), static_cast<int>(cert->private_key_pem.size()));
      EVP_PKEY* k = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
      SSL_CTX_use_certificate(ctx_, x);
      SSL_CTX_use_PrivateKey(ctx_, k);
      X509_free(x);
      EVP_PKEY_free(k);
      BIO_free(cb);
      BIO_free(kb);
    }
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    ::listen(listen_fd_, 8);
    socklen_t len = sizeof(addr);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~Server() {
    stop_.store(true);
    thread_.join();
    ::close(listen_fd_);
    if (ctx_ != nullptr) SSL_CTX_free(ctx_);
  }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  [[nodiscard]] std::string origin() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] std::string hostport() const { return "127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] std::uint16_t port() const { return port_; }
  // The finished sessions. A session still being served (the client may already have
  // read the reply to its QUIT while the server waits for it to close) is waited for,
  // up to 10 s, so a test sees every session its client completed.
  [[nodiscard]] std::vector<Session> sessions() {
    for (int i = 0; i < 2000 && serving_.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const std::lock_guard lock(mutex_);
    return sessions_;
  }
  // Adds replies for `verb` while the server runs.
  void script(const std::string& verb, std::vector<std::string> replies) {
    const std::lock_guard lock(mutex_);
    for (auto& r : replies) script_.replies[verb].push_back(std::move(r));
  }

 private:
  struct Conn {
    int fd = -1;
    SSL* ssl = nullptr;
    std::string in;
    bool closed = false;

    void send(const std::string& s) {
      if (ssl != nullptr) {
        SSL_write(ssl, s.data(), static_cast<int>(s.size()));
      } else {
        (void)::send(fd, s.data(), s.size(), MSG_NOSIGNAL);
      }
    }
    bool fill() {
      char buf[4096];
      const int n = ssl != nullptr ? SSL_read(ssl, buf, sizeof(buf)) : static_cast<int>(::recv(fd, buf, sizeof(buf), 0));
      if (n <= 0) {
        closed = true;
        return false;
      }
      in.append(buf, static_cast<std::size_t>(n));
      return true;
    }
    bool line(std::string& out) {
      for (;;) {
        const auto p = in.find("\r\n");
        if (p != std::string::npos) {
          out = in.substr(0, p);
          in.erase(0, p + 2);
          return true;
        }
        if (!fill()) return false;
      }
    }
  };

  std::string reply_for(const std::string& verb, std::string fallback) {
    const std::lock_guard lock(mutex_);
    auto it = script_.replies.find(verb);
    if (it == script_.replies.end() || it->second.empty()) return fallback;
    auto r = it->second.front();
    it->second.pop_front();
    return r;
  }

  void run() {
    while (!stop_.load()) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      serving_.store(true);
      timeval tv{10, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
      Session s;
      serve(fd, s);
      const std::lock_guard lock(mutex_);
      sessions_.push_back(std::move(s));
      serving_.store(false);
    }
  }

  void record(Session& s, const Conn& c, const std::string& line) {
    s.commands.push_back(line);
    s.secure.push_back(c.ssl != nullptr);
  }

  static std::string verb_of(const std::string& line) {
    std::string v = line.substr(0, line.find(' '));
    for (char& ch : v) ch = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
    if (v.rfind("MAIL", 0) == 0) return "MAIL";
    if (v.rfind("RCPT", 0) == 0) return "RCPT";
    return v;
  }

  static std::string b64decode(const std::string& in) {
    std::string out(in.size(), '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
    if (n < 0) return {};
    std::size_t len = static_cast<std::size_t>(n);
    if (!in.empty() && in.back() == '=') --len;
    if (in.size() > 1 && in[in.size() - 2] == '=') --len;
    out.resize(len);
    return out;
  }

  void serve(int fd, Session& s) {
    Conn c;
    c.fd = fd;
    c.send(reply_for("GREETING", "220 test.local ESMTP ready") + "\r\n");
    std::string line;
    while (c.line(line)) {
      record(s, c, line);
      const std::string verb = verb_of(line);
      if (verb == "EHLO") {
        std::string r = "250-test.local greets you\r\n";
        if (script_.offer_starttls && c.ssl == nullptr) r += "250-STARTTLS\r\n";
        if (script_.offer_auth) r += "250-AUTH " + script_.auth_mechanisms + "\r\n";
        r += "250 8BITMIME\r\n";
        c.send(reply_for("EHLO", r.substr(0, r.size() - 2)) + "\r\n");
      } else if (verb == "STARTTLS") {
        c.send(reply_for("STARTTLS", "220 2.0.0 ready to start TLS") + "\r\n");
        c.ssl = SSL_new(ctx_);
        SSL_set_fd(c.ssl, fd);
        if (SSL_accept(c.ssl) != 1) break;
      } else if (verb == "AUTH") {
        const std::string expected = std::string(1, '\0') + script_.username + '\0' + script_.password;
        bool ok = false;
        if (line.rfind("AUTH PLAIN ", 0) == 0) {
          ok = b64decode(line.substr(11)) == expected;
        } else if (line == "AUTH LOGIN") {
          c.send("334 VXNlcm5hbWU6\r\n");
          std::string user, pass;
          if (!c.line(user)) break;
          record(s, c, user);
          c.send("334 UGFzc3dvcmQ6\r\n");
          if (!c.line(pass)) break;
          record(s, c, pass);
          ok = b64decode(user) == script_.username && b64decode(pass) == script_.password;
        }
        c.send(reply_for("AUTH", ok ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication credentials invalid") +
               "\r\n");
      } else if (verb == "MAIL") {
        c.send(reply_for("MAIL", "250 2.1.0 OK") + "\r\n");
      } else if (verb == "RCPT") {
        c.send(reply_for("RCPT", "250 2.1.5 OK") + "\r\n");
      } else if (verb == "DATA") {
        const std::string r = reply_for("DATA", "354 End data with <CR><LF>.<CR><LF>");
        c.send(r + "\r\n");
        if (r.rfind("354", 0) != 0) continue;
        if (cuts_done_ < script_.cut_mid_data) {
          ++cuts_done_;
          c.fill();
          break;  // closes without a reply
        }
        for (;;) {
          const auto end = c.in.find("\r\n.\r\n");
          if (end != std::string::npos || c.in.rfind(".\r\n", 0) == 0) {
            const std::size_t stop = end != std::string::npos ? end + 5 : 3;
            s.raw_data = c.in.substr(0, stop);
            c.in.erase(0, stop);
            break;
          }
          if (!c.fill()) break;
        }
        if (c.closed) break;
        // Un-stuff: drop the terminator, then one leading '.' of every line.
        std::string body = s.raw_data.substr(0, s.raw_data.size() - 3);
        std::string out;
        std::size_t pos = 0;
        while (pos < body.size()) {
          auto eol = body.find("\r\n", pos);
          if (eol == std::string::npos) eol = body.size();
          std::string l = body.substr(pos, eol - pos);
          if (!l.empty() && l[0] == '.') l.erase(0, 1);
          out += l + "\r\n";
          pos = eol + 2;
        }
        s.message = out;
        c.send(reply_for("DATA-END", "250 2.0.0 queued as 42") + "\r\n");
      } else if (verb == "RSET" || verb == "NOOP") {
        c.send("250 2.0.0 OK\r\n");
      } else if (verb == "QUIT") {
        c.send("221 2.0.0 bye\r\n");
        break;
      } else {
        c.send("502 5.5.2 command not recognized\r\n");
      }
    }
    if (c.ssl != nullptr) {
      SSL_shutdown(c.ssl);
      SSL_free(c.ssl);
    }
    ::close(fd);
  }

  Script script_;
  SSL_CTX* ctx_ = nullptr;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  int cuts_done_ = 0;  // server thread only
  std::mutex mutex_;
  std::vector<Session> sessions_;
  std::atomic<bool> serving_{false};  // a connection is accepted and not yet recorded
  std::thread thread_;
};

}  // namespace smtp_test
