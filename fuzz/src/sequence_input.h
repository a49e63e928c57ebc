// The byte form of a stimulus sequence for job_sequence_fuzzer: bytes → stimuli with libFuzzer's
// FuzzedDataProvider (one byte per choice, read from the end of the input, as FuzzedDataProvider
// does), and stimuli → bytes for seed corpora (the tour) and for the dictionary.
//
// One stimulus is: the op (a byte modulo kOpCount), then its operands, each a byte modulo the number
// of choices: job slot, source id or handle slot, a duration from a table of the contract's
// boundaries, a behaviour and an HTTP status from a table. Stimuli the model finds not applicable are
// skipped by the fuzzer, as by the Runner.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "bgconform/types.h"

namespace bgc::fuzz {

inline constexpr std::size_t kMaxSequence = 64;  // stimuli decoded from one input at most

std::vector<Stimulus> decode_sequence(const std::uint8_t* data, std::size_t size,
                                      std::size_t max_stimuli = kMaxSequence);
// The bytes that decode to `stimuli` (values outside the tables are mapped to the nearest entry).
std::vector<std::uint8_t> encode_sequence(const std::vector<Stimulus>& stimuli);

// Structure-aware mutation for libFuzzer's LLVMFuzzerCustomMutator: decodes `data`, changes the
// sequence by whole stimuli (insert a random one, erase, replace, change an operand, duplicate, move a
// block, swap, another op on the same operands), or, one time in nine, hands the bytes to
// `byte_mutate` (LLVMFuzzerMutate: libFuzzer's own mutations and the dictionary); writes the result
// into `data` and returns its size (<= max_size).
// A byte mutation of the sequence's bytes shifts the framing of every stimulus it passes; these do not.
using ByteMutator = std::size_t (*)(std::uint8_t* data, std::size_t size, std::size_t max_size);
std::size_t mutate_sequence(std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned seed,
                            ByteMutator byte_mutate);
// LLVMFuzzerCustomCrossOver: a prefix of one sequence followed by a suffix of the other.
std::size_t cross_over_sequences(const std::uint8_t* a, std::size_t a_size, const std::uint8_t* b, std::size_t b_size,
                                 std::uint8_t* out, std::size_t max_out, unsigned seed);

}  // namespace bgc::fuzz
