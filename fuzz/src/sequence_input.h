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

}  // namespace bgc::fuzz
