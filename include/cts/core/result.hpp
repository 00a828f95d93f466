#pragma once
/// \file
/// Result<T>: a value or an Error, the return type of every fallible call on the hot
/// path (errors are values; exceptions are for misuse).

#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "cts/core/error.hpp"

namespace cts {

/// Holds either a T or an Error. Reading the value of an error result throws
/// cts::Exception carrying the error (that is misuse: check first).
template <class T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::remove_cv_t<T>, Error>, "Result<Error> is ambiguous");

 public:
  /// A successful result holding `value`.
  Result(T value) noexcept(std::is_nothrow_move_constructible_v<T>)  // NOLINT(google-explicit-constructor)
      : state_(std::in_place_index<0>, std::move(value)) {}
  /// A failed result holding `error`.
  Result(Error error) noexcept  // NOLINT(google-explicit-constructor)
      : state_(std::in_place_index<1>, std::move(error)) {}

  /// True when a value is held.
  [[nodiscard]] bool has_value() const noexcept { return state_.index() == 0; }
  /// Same as has_value().
  explicit operator bool() const noexcept { return has_value(); }

  /// The value; throws cts::Exception with the error when there is none.
  T& value() & { check(); return std::get<0>(state_); }
  /// The value; throws cts::Exception with the error when there is none.
  const T& value() const& { check(); return std::get<0>(state_); }
  /// The value, moved out; throws cts::Exception with the error when there is none.
  T&& value() && { check(); return std::get<0>(std::move(state_)); }

  /// The value, or `fallback` on error.
  template <class U>
  T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(state_) : static_cast<T>(std::forward<U>(fallback));
  }

  /// The error. Precondition: !has_value(); otherwise throws cts::Exception(internal).
  [[nodiscard]] const Error& error() const& {
    if (has_value()) throw Exception(make_error(ErrorCode::internal, "Result::error() called on a value"));
    return std::get<1>(state_);
  }
  /// The error, moved out. Same precondition as error().
  [[nodiscard]] Error&& error() && {
    if (has_value()) throw Exception(make_error(ErrorCode::internal, "Result::error() called on a value"));
    return std::get<1>(std::move(state_));
  }

  /// Unchecked access: precondition has_value().
  T& operator*() & noexcept { return *std::get_if<0>(&state_); }
  /// Unchecked access: precondition has_value().
  const T& operator*() const& noexcept { return *std::get_if<0>(&state_); }
  /// Unchecked member access: precondition has_value().
  T* operator->() noexcept { return std::get_if<0>(&state_); }
  /// Unchecked member access: precondition has_value().
  const T* operator->() const noexcept { return std::get_if<0>(&state_); }

 private:
  void check() const {
    if (!has_value()) throw Exception(std::get<1>(state_));
  }
  std::variant<T, Error> state_;
};

/// A result with no value: success, or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  /// Success.
  Result() noexcept = default;
  /// Failure with `error`.
  Result(Error error) noexcept : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  /// True on success.
  [[nodiscard]] bool has_value() const noexcept { return !error_.has_value(); }
  /// Same as has_value().
  explicit operator bool() const noexcept { return has_value(); }
  /// Throws cts::Exception with the error on failure; does nothing on success.
  void value() const {
    if (error_) throw Exception(*error_);
  }
  /// The error. Precondition: !has_value(); otherwise throws cts::Exception(internal).
  [[nodiscard]] const Error& error() const& {
    if (!error_) throw Exception(make_error(ErrorCode::internal, "Result::error() called on success"));
    return *error_;
  }

 private:
  std::optional<Error> error_;
};

}  // namespace cts
