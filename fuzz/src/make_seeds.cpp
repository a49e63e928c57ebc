// make_seeds OUT_DIR WORDS_DIR: writes the seed corpora of every fuzzer into OUT_DIR/<fuzzer>/, generated from the
// model's transition tours (explorer.h) in both profiles — a tour applies every reachable
// (state, stimulus kind) pair — and the dictionary of job_sequence_fuzzer (each stimulus of the tours in
// its byte form), and the reference's answers to them as traces. Two tours per profile: the contract's instance (one
// HTTP source), and the same with the local-file source (present, missing) instead, without which no seed reaches a
// local file's failure (protocol-always-http, E-7, is found on one). Each tour sequence of job_sequence_fuzzer is also
// written walked by two jobs side by side, and with a competing second job. Built and run by CMake (the fuzz_seeds
// target); build.sh zips the result. The text fuzzers' dictionaries are written here too: the alphabet's op
// names (alphabet.def, so a new stimulus kind needs no dictionary edit), then the words kept in
// WORDS_DIR/<fuzzer>.dict.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "bgconform/explorer.h"
#include "bgconform/reference_target.h"
#include "bgconform/reports.h"
#include "bgconform/runner.h"
#include "sequence_input.h"

namespace fs = std::filesystem;

namespace {

void write(const fs::path& file, const std::string& bytes) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << bytes;
}

// The tour's path walked by two jobs side by side: each call on job slot 0 made on slot 1 right after it
// (environment events once), so the two meet in the same states at once, which the scheduling rule
// judges together; cut to what one input holds.
std::vector<bgc::Stimulus> side_by_side(const std::vector<bgc::Stimulus>& seq) {
  std::vector<bgc::Stimulus> out;
  for (const bgc::Stimulus& s : seq) {
    if (out.size() + 2 > bgc::fuzz::kMaxSequence) break;
    out.push_back(s);
    if (bgc::is_environment(s.op)) continue;
    bgc::Stimulus twin = s;
    twin.job = 1;
    out.push_back(twin);
  }
  return out;
}

// The tour's path with a second job competing from the start: created, given a file of its own source
// and resumed first.
std::vector<bgc::Stimulus> with_competitor(const std::vector<bgc::Stimulus>& seq) {
  std::vector<bgc::Stimulus> out = {bgc::stim::create_job(1), bgc::stim::add_file(1, 1),
                                    bgc::stim::call(bgc::Op::Resume, 1)};
  for (const bgc::Stimulus& s : seq)
    if (out.size() < bgc::fuzz::kMaxSequence) out.push_back(s);
  return out;
}

// OUT/<name>.dict for each WORDS/<name>.dict: every op's text, then the words.
int write_dictionaries(const fs::path& out, const fs::path& words_dir) {
  int n = 0;
  for (const auto& entry : fs::directory_iterator(words_dir)) {
    if (entry.path().extension() != ".dict") continue;
    std::string text = "# Written by bgc_make_seeds: the op names (alphabet.def), then " +
                       entry.path().filename().string() + " of fuzz/words/.\n";
    for (const bgc::OpRow& row : bgc::kAlphabet) text += "\"" + std::string(row.text) + "\"\n";
    std::ifstream in(entry.path(), std::ios::binary);
    text.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    write(out / entry.path().filename(), text);
    ++n;
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_seeds OUT_DIR WORDS_DIR\n");
    return 2;
  }
  const fs::path out = argv[1];
  std::set<std::string> dictionary;
  std::size_t written = 0;
  bgc::ExplorerInstance local = bgc::ExplorerInstance::contract();
  local.sources = {bgc::kLocalSource};
  local.source_events = {bgc::stim::source(bgc::kLocalSource, bgc::Behaviour::Missing),
                         bgc::stim::source(bgc::kLocalSource, bgc::Behaviour::Present)};
  for (bgc::Profile profile : {bgc::Profile::Bits, bgc::Profile::Do}) {
    for (const auto& [tour, instance] :
         {std::pair{"-tour-", bgc::ExplorerInstance::contract()}, std::pair{"-local-tour-", local}}) {
      bgc::ModelConfig config;
      config.profile = profile;
      const bgc::JobModel model(config);
      bgc::Explorer explorer(model, instance);
      explorer.run();
      const std::string p(bgc::name(profile));
      int n = 0;
      for (const std::vector<bgc::Stimulus>& seq : explorer.tour(40)) {
        const std::string id = p + tour + std::to_string(n++);
        const std::vector<std::uint8_t> bytes = bgc::fuzz::encode_sequence(seq);
        write(out / "job_sequence_fuzzer" / id, std::string(bytes.begin(), bytes.end()));
        // Several jobs from the start too: one job's tour never rewards what two jobs at once do.
        for (const auto& [how, jobs] :
             {std::pair{"-two-jobs", side_by_side(seq)}, std::pair{"-competing", with_competitor(seq)}}) {
          const std::vector<std::uint8_t> b = bgc::fuzz::encode_sequence(jobs);
          write(out / "job_sequence_fuzzer" / (id + how), std::string(b.begin(), b.end()));
          ++written;
        }
        bgc::ReplayFile replay;
        replay.profile = profile;
        replay.rule = "E-2";
        replay.target = "reference";
        replay.stimuli = seq;
        const std::string text = bgc::render_replay(replay);
        write(out / "replay_file_fuzzer" / (id + ".txt"), text);
        // The reference's answers to it, as `run --record` writes them.
        bgc::ReferenceTarget reference;
        bgc::TraceFile trace;
        trace.profile = profile;
        trace.target = "reference";
        trace.cases.push_back({0, bgc::Runner().run_case(reference, model, seq).trace, {}});
        write(out / "trace_fuzzer" / (id + ".trace"), bgc::render_trace(trace));
        std::string session = "reset " + p + "\n";
        for (const bgc::Stimulus& s : seq) {
          const std::string line = bgc::to_string(s);
          session += line + "\n";
          if (dictionary.insert(line).second) {
            write(out / "text_form_fuzzer" / ("stimulus-" + std::to_string(dictionary.size())), line);
            const std::vector<std::uint8_t> one = bgc::fuzz::encode_sequence({s});
            std::string entry;
            for (std::uint8_t b : one) {
              char hex[5];
              std::snprintf(hex, sizeof hex, "\\x%02X", b);
              entry += hex;
            }
            std::ofstream(out / "job_sequence_fuzzer.dict", std::ios::app) << "\"" << entry << "\"\n";
          }
        }
        write(out / "host_protocol_fuzzer" / id, session + "quit\n");
        written += 4;
      }
    }
  }
  // Observations and HRESULTs as the host writes them, and the settings lines.
  int k = 0;
  for (const char* line :
       {"S_OK state=QUEUED", "0x8020000F", "S_OK context=REMOTE_FILE code=0x80190194", "S_OK value=600",
        "S_OK files=1/2 bytes=1024/3072", "crash", "timeout", "not-supported", "BG_E_INVALID_STATE", "S_OK null"})
    write(out / "text_form_fuzzer" / ("observation-" + std::to_string(k++)), line);
  k = 0;
  for (const auto& info : bgc::interpretation_table())
    for (std::string_view v : info.values)
      write(out / "config_fuzzer" / ("interpretation-" + std::to_string(k++)),
            std::string(info.id) + "=" + std::string(v));
  for (const char* s : {"E-2", "ST-12", "M-25", "bits", "do"}) write(out / "config_fuzzer" / s, s);
  const int dictionaries = write_dictionaries(out, argv[2]);
  std::printf("make_seeds: %zu tour seeds, %zu dictionary entries and %d text dictionaries in %s\n", written,
              dictionary.size(), dictionaries, out.string().c_str());
  return 0;
}
