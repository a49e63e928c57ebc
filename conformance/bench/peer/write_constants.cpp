// bgc_peer_constants FILE: writes the Python peer's constants (hypothesis_peer.py --constants FILE) from the
// model's own tables, so the peer keeps no copy of them: every named HRESULT (constants.cpp), the job
// states and error contexts by their numbers, and the alphabet's op names (alphabet.def).
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

#include "bgconform/constants.h"
#include "bgconform/types.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: bgc_peer_constants FILE\n");
    return 2;
  }
  std::ofstream out(argv[1]);
  out << "# Written at build time by bgc_peer_constants from models/ (constants, alphabet.def): not edited.\n";
  for (const bgc::NamedHresult& h : bgc::known_hresults()) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08X", static_cast<unsigned>(h.value));
    // ctypes gives an int32 HRESULT as a signed number.
    out << h.name << " = " << static_cast<std::int32_t>(h.value) << "  # " << hex << "\n";
  }
  for (int s = 0; s < bgc::kJobStateCount; ++s)
    out << bgc::short_name(static_cast<bgc::JobState>(s)) << " = " << s << "  # BG_JOB_STATE\n";
  for (int c = 0; c < bgc::kErrorContextCount; ++c)
    out << bgc::short_name(static_cast<bgc::ErrorContext>(c)) << " = " << c << "  # BG_ERROR_CONTEXT\n";
  out << "OPS = [";
  for (const bgc::OpRow& row : bgc::kAlphabet) out << "\"" << row.text << "\", ";
  out << "]\n";
  return out ? 0 : 1;
}
