#pragma once
/// \file
/// cts::order::IdIndex: an open-addressing hash index from an id to a slot number,
/// storing only 32-bit slot numbers (the ids themselves live in the objects the slots
/// name). About 8 bytes per entry, no allocation per insert.

#include <bit>
#include <cstdint>
#include <functional>
#include <limits>
#include <string_view>
#include <vector>

namespace cts::order {

/// Maps ids to slot numbers. `KeyOf` is called as key_of(slot) -> std::string_view and
/// must return the id stored for that slot for as long as the slot is in the index.
/// Linear probing with tombstones; the table doubles at 50% load (tombstones counted).
template <class KeyOf>
class IdIndex {
 public:
  /// An empty index reading keys through `key_of`.
  explicit IdIndex(KeyOf key_of) : key_of_(std::move(key_of)) {}

  /// The slot stored under `key`, or kNone.
  [[nodiscard]] std::uint32_t find(std::string_view key) const noexcept {
    if (table_.empty()) return kNone;
    const std::size_t mask = table_.size() - 1;
    for (std::size_t i = hash(key) & mask;; i = (i + 1) & mask) {
      const std::uint32_t slot = table_[i];
      if (slot == kEmpty) return kNone;
      if (slot != kTombstone && key_of_(slot) == key) return slot;
    }
  }

  /// Stores `slot` under its key (key_of(slot)). Precondition: the key is absent.
  void insert(std::uint32_t slot) {
    if ((used_ + 1) * 2 > table_.size()) grow();
    const std::size_t mask = table_.size() - 1;
    std::size_t i = hash(key_of_(slot)) & mask;
    while (table_[i] != kEmpty && table_[i] != kTombstone) i = (i + 1) & mask;
    if (table_[i] == kEmpty) ++used_;
    table_[i] = slot;
    ++size_;
  }

  /// Removes the entry whose key is `key` (call before the key's bytes change).
  void erase(std::string_view key) noexcept {
    if (table_.empty()) return;
    const std::size_t mask = table_.size() - 1;
    for (std::size_t i = hash(key) & mask;; i = (i + 1) & mask) {
      const std::uint32_t slot = table_[i];
      if (slot == kEmpty) return;
      if (slot != kTombstone && key_of_(slot) == key) {
        table_[i] = kTombstone;
        --size_;
        return;
      }
    }
  }

  /// Removes everything.
  void clear() noexcept {
    table_.clear();
    size_ = used_ = 0;
  }

  /// Number of entries.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

  /// Returned by find() for an absent key.
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

 private:
  static constexpr std::uint32_t kEmpty = kNone;
  static constexpr std::uint32_t kTombstone = kNone - 1;

  static std::size_t hash(std::string_view key) noexcept { return std::hash<std::string_view>{}(key); }

  void grow() {
    std::vector<std::uint32_t> old = std::move(table_);
    const std::size_t wanted = std::max<std::size_t>(16, std::bit_ceil((size_ + 1) * 4));
    table_.assign(wanted, kEmpty);
    size_ = used_ = 0;
    for (std::uint32_t slot : old) {
      if (slot != kEmpty && slot != kTombstone) insert(slot);
    }
  }

  KeyOf key_of_;
  std::vector<std::uint32_t> table_;
  std::size_t size_ = 0;  // live entries
  std::size_t used_ = 0;  // live entries + tombstones
};

}  // namespace cts::order
