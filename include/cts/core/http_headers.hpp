#pragma once
/// \file
/// HTTP header fields: HttpHeader (one owned field), HttpHeaderView (one field as views)
/// and HttpHeaders, the ordered field list of a request or response. HttpHeaders keeps
/// every name and value in one character buffer with room for a signed request's auth
/// headers inline, so a signer that adds them allocates nothing.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <ranges>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/detail/ascii.hpp"

namespace cts {

/// One header field, owning its text. Names compare case-insensitively (RFC 9110) when
/// looked up in an HttpHeaders; operator== compares bytes.
struct HttpHeader {
  std::string name;   ///< Field name as sent, e.g. "X-MBX-APIKEY".
  std::string value;  ///< Field value.
  friend bool operator==(const HttpHeader&, const HttpHeader&) = default;
};

/// One header field as views, e.g. an element of an HttpHeaders (the views then live
/// until that list is next modified or destroyed) or a field about to be added.
struct HttpHeaderView {
  std::string_view name;   ///< Field name as sent.
  std::string_view value;  ///< Field value.
  /// A view of `header`'s text (lives as long as `header` is unchanged).
  HttpHeaderView(const HttpHeader& header) noexcept : name(header.name), value(header.value) {}  // NOLINT: implicit by design
  /// A field of these two texts.
  HttpHeaderView(std::string_view field_name, std::string_view field_value) noexcept
      : name(field_name), value(field_value) {}
  /// An owned copy.
  [[nodiscard]] explicit operator HttpHeader() const { return HttpHeader{std::string(name), std::string(value)}; }
  friend bool operator==(const HttpHeaderView&, const HttpHeaderView&) = default;
};

namespace detail {

/// Internal: a growable array of trivially copyable `T` with the first `N` elements
/// stored inline; beyond that everything moves to one heap block. Copies copy only the
/// elements in use.
template <class T, std::size_t N>
class InlineArray {
 public:
  /// Empty, nothing allocated.
  InlineArray() noexcept = default;
  /// Copies the elements in use (allocates only when they do not fit inline).
  InlineArray(const InlineArray& other) : size_(other.size_) {
    if (other.size_ <= N) {
      std::copy_n(other.data(), other.size_, inline_.data());
    } else {
      heap_.assign(other.data(), other.data() + other.size_);
    }
  }
  /// Takes `other`'s heap block or copies its inline elements; `other` is left empty.
  InlineArray(InlineArray&& other) noexcept : heap_(std::move(other.heap_)), size_(other.size_) {
    if (heap_.empty()) std::copy_n(other.inline_.data(), other.size_, inline_.data());
    other.heap_.clear();
    other.size_ = 0;
  }
  /// Replaces the elements with copies of `other`'s.
  InlineArray& operator=(const InlineArray& other) {
    if (this != &other) {
      clear();
      append(other.data(), other.size_);
    }
    return *this;
  }
  /// Replaces the elements with `other`'s; `other` is left empty.
  InlineArray& operator=(InlineArray&& other) noexcept {
    if (this != &other) {
      heap_ = std::move(other.heap_);
      size_ = other.size_;
      if (heap_.empty()) std::copy_n(other.inline_.data(), other.size_, inline_.data());
      other.heap_.clear();
      other.size_ = 0;
    }
    return *this;
  }
  /// Frees the heap block, if any.
  ~InlineArray() = default;

  /// The first element (valid until the next append, reserve or clear).
  [[nodiscard]] T* data() noexcept { return heap_.empty() ? inline_.data() : heap_.data(); }
  /// The first element (valid until the next append, reserve or clear).
  [[nodiscard]] const T* data() const noexcept { return heap_.empty() ? inline_.data() : heap_.data(); }
  /// Number of elements.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

  /// Makes room for `n` elements in total without reallocating before that.
  void reserve(std::size_t n) {
    if (n <= N || n <= heap_.capacity()) return;
    if (heap_.empty()) heap_.assign(inline_.data(), inline_.data() + size_);
    heap_.reserve(n);
  }
  /// Appends `n` elements from `p` (which must not point into this array).
  void append(const T* p, std::size_t n) {
    if (size_ + n <= N && heap_.empty()) {
      std::copy_n(p, n, inline_.data() + size_);
    } else {
      if (heap_.empty()) {
        heap_.reserve(std::max(2 * N, size_ + n));
        heap_.assign(inline_.data(), inline_.data() + size_);
      }
      heap_.insert(heap_.end(), p, p + n);
    }
    size_ += n;
  }
  /// Drops every element (keeps a heap block, if any).
  void clear() noexcept {
    heap_.clear();
    size_ = 0;
  }

 private:
  std::array<T, N> inline_;
  std::vector<T> heap_;  // non-empty exactly when the elements live here
  std::size_t size_ = 0;
};

}  // namespace detail

/// The header fields of an HTTP message in order, duplicates allowed. Names and values
/// live in one character buffer: up to kInlineFields fields and kInlineBytes bytes of
/// text need no allocation (every signer's auth headers fit), larger lists move to the
/// heap. Elements are HttpHeaderView values whose views live until the list is next
/// modified, moved from or destroyed.
class HttpHeaders {
  struct Field {
    std::uint32_t offset;
    std::uint32_t name_size;
    std::uint32_t value_size;
  };

 public:
  /// Fields held without allocating.
  static constexpr std::size_t kInlineFields = 6;
  /// Bytes of names and values held without allocating.
  static constexpr std::size_t kInlineBytes = 320;

  /// Iterates the fields in order, yielding HttpHeaderView values.
  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using iterator_concept = std::random_access_iterator_tag;
    using value_type = HttpHeaderView;
    using difference_type = std::ptrdiff_t;
    using reference = HttpHeaderView;
    using pointer = void;

    /// A singular iterator.
    const_iterator() noexcept = default;
    /// The field at this position.
    HttpHeaderView operator*() const noexcept { return (*list_)[index_]; }
    /// The field `n` positions on.
    HttpHeaderView operator[](difference_type n) const noexcept { return (*list_)[index_ + static_cast<std::size_t>(n)]; }
    const_iterator& operator++() noexcept { return ++index_, *this; }
    const_iterator operator++(int) noexcept { return {list_, index_++}; }
    const_iterator& operator--() noexcept { return --index_, *this; }
    const_iterator operator--(int) noexcept { return {list_, index_--}; }
    const_iterator& operator+=(difference_type n) noexcept { return index_ += static_cast<std::size_t>(n), *this; }
    const_iterator& operator-=(difference_type n) noexcept { return index_ -= static_cast<std::size_t>(n), *this; }
    friend const_iterator operator+(const_iterator it, difference_type n) noexcept { return it += n; }
    friend const_iterator operator+(difference_type n, const_iterator it) noexcept { return it += n; }
    friend const_iterator operator-(const_iterator it, difference_type n) noexcept { return it -= n; }
    friend difference_type operator-(const const_iterator& a, const const_iterator& b) noexcept {
      return static_cast<difference_type>(a.index_) - static_cast<difference_type>(b.index_);
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) noexcept { return a.index_ == b.index_; }
    friend auto operator<=>(const const_iterator& a, const const_iterator& b) noexcept { return a.index_ <=> b.index_; }

   private:
    friend class HttpHeaders;
    const_iterator(const HttpHeaders* list, std::size_t index) noexcept : list_(list), index_(index) {}
    const HttpHeaders* list_ = nullptr;
    std::size_t index_ = 0;
  };
  /// Same as const_iterator: fields are changed through set_header(), not through views.
  using iterator = const_iterator;
  /// The element type.
  using value_type = HttpHeaderView;
  /// The type of sizes.
  using size_type = std::size_t;

  /// An empty list.
  HttpHeaders() noexcept = default;
  /// The fields of `fields`, in order.
  HttpHeaders(std::initializer_list<HttpHeaderView> fields) {
    for (const HttpHeaderView& f : fields) push_back(f);
  }
  /// The fields of any range of HttpHeader or HttpHeaderView (e.g. a std::vector<HttpHeader>), in order.
  template <std::ranges::input_range Range>
    requires(!std::same_as<std::remove_cvref_t<Range>, HttpHeaders> &&
             std::convertible_to<std::ranges::range_reference_t<Range>, HttpHeaderView>)
  HttpHeaders(const Range& fields) {  // NOLINT: implicit, as the std::vector<HttpHeader> it replaces
    for (const auto& f : fields) push_back(f);
  }

  /// Appends a field (its text is copied).
  void push_back(HttpHeaderView field) { emplace_back(field.name, field.value); }
  /// Appends the field `name: value` (the text is copied).
  void emplace_back(std::string_view name, std::string_view value) {
    const Field field{static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(name.size()),
                      static_cast<std::uint32_t>(value.size())};
    text_.reserve(text_.size() + name.size() + value.size());
    text_.append(name.data(), name.size());
    text_.append(value.data(), value.size());
    fields_.append(&field, 1);
  }
  /// Makes room for `fields` fields and `bytes` more bytes of text.
  void reserve(std::size_t fields, std::size_t bytes = 0) {
    fields_.reserve(fields);
    text_.reserve(text_.size() + bytes);
  }
  /// Removes every field.
  void clear() noexcept {
    fields_.clear();
    text_.clear();
  }

  /// Number of fields.
  [[nodiscard]] std::size_t size() const noexcept { return fields_.size(); }
  /// True when there is no field.
  [[nodiscard]] bool empty() const noexcept { return fields_.size() == 0; }
  /// Field `i` (< size()).
  [[nodiscard]] HttpHeaderView operator[](std::size_t i) const noexcept {
    const Field& f = fields_.data()[i];
    const char* p = text_.data() + f.offset;
    return {std::string_view(p, f.name_size), std::string_view(p + f.name_size, f.value_size)};
  }
  /// The first field.
  [[nodiscard]] HttpHeaderView front() const noexcept { return (*this)[0]; }
  /// The last field.
  [[nodiscard]] HttpHeaderView back() const noexcept { return (*this)[size() - 1]; }
  /// First field.
  [[nodiscard]] const_iterator begin() const noexcept { return {this, 0}; }
  /// Past the last field.
  [[nodiscard]] const_iterator end() const noexcept { return {this, size()}; }

  /// The value of the first field named `name` (case-insensitive), if any; the view
  /// lives until the list is next modified.
  [[nodiscard]] std::optional<std::string_view> find(std::string_view name) const noexcept {
    for (const HttpHeaderView h : *this) {
      if (detail::iequals(h.name, name)) return h.value;
    }
    return std::nullopt;
  }
  /// Sets the first field named `name` (case-insensitive) to `value`, keeping its place
  /// and the other fields' order, or appends `name: value` when there is none.
  void set(std::string_view name, std::string_view value) {
    for (std::size_t i = 0; i < size(); ++i) {
      if (detail::iequals((*this)[i].name, name)) {
        replace_value(i, value);
        return;
      }
    }
    emplace_back(name, value);
  }

  /// Same fields with the same bytes, in the same order.
  friend bool operator==(const HttpHeaders& a, const HttpHeaders& b) noexcept {
    return std::ranges::equal(a, b);
  }

 private:
  // Rebuilds the text with field `i`'s value replaced (rare: a field set twice).
  void replace_value(std::size_t i, std::string_view value) {
    HttpHeaders rebuilt;
    rebuilt.reserve(size(), text_.size() + value.size());
    for (std::size_t j = 0; j < size(); ++j) {
      const HttpHeaderView h = (*this)[j];
      rebuilt.emplace_back(h.name, j == i ? value : h.value);
    }
    *this = std::move(rebuilt);
  }

  detail::InlineArray<Field, kInlineFields> fields_;
  detail::InlineArray<char, kInlineBytes> text_;
};

}  // namespace cts
