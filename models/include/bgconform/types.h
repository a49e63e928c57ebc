// The stimulus alphabet and observations (design/model-contract.md, "The alphabet").
//
// Both are plain values: no strings, no allocation, so a trace is a vector of them and
// the replay path stays fast. Each has one line of text form, printed and parsed here;
// replay files and the plugin host's line protocol use the same lines.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bgconform/constants.h"

namespace bgc {

// Alphabet bounds (model contract).
inline constexpr int kMaxJobs = 3;           // job slots per case
inline constexpr int kMaxFilesPerJob = 2;    // AddFile calls per job
inline constexpr int kMaxHandlesPerJob = 2;  // held error-object handles per job
inline constexpr int kSourceCount = 4;       // source ids 0-3
inline constexpr int kLocalSource = 3;       // source 3 is a local-file (SMB-style) source
inline constexpr std::uint32_t kChunkBytes = 1024;
// Files are 1-3 chunks: source s serves a file of chunks_of(s) chunks.
inline constexpr int chunks_of(int source) { return 1 + source % 3; }
inline constexpr bool is_local_source(int source) { return source == kLocalSource; }

// What a stimulus does: one enumerator per row of alphabet.def. Job calls name a slot; Source, Network and
// Advance are the environment.
enum class Op : std::uint8_t {
#define BGC_STIMULUS(name, text, role, operand, answer, profiles, weight, coverage) name,
#include "bgconform/alphabet.def"
#undef BGC_STIMULUS
};
inline constexpr int kOpCount = 0
#define BGC_STIMULUS(name, text, role, operand, answer, profiles, weight, coverage) +1
#include "bgconform/alphabet.def"
#undef BGC_STIMULUS
    ;

// The columns of alphabet.def (its header says what each value means).
enum class OpRole : std::uint8_t { Slot, Job, TakesObject, ObjectCall, ReleasesObject, Environment };
enum class OpOperand : std::uint8_t { None, Source, Handle, RetryDelay, Timeout, SourceEvent, UpDown, Duration };
enum class OpAnswer : std::uint8_t { None, State, Handle, ErrorValues, File, Protocol, Value, Progress };
enum class OpProfiles : std::uint8_t { BitsAndDo, BitsOnly };
enum class OpCoverage : std::uint8_t { Counted, NotCounted };

// One row of alphabet.def.
struct OpRow {
  std::string_view text;  // the text form's word: "Resume", "Error.GetFile"
  OpRole role;
  OpOperand operand;
  OpAnswer answer;
  OpProfiles profiles;
  int weight;  // the generator's base weight for the call on a live job
  OpCoverage coverage;
};

inline constexpr std::array<OpRow, kOpCount> kAlphabet = {{
#define BGC_STIMULUS(name, text, role, operand, answer, profiles, weight, coverage) \
  {text, OpRole::role, OpOperand::operand, OpAnswer::answer, OpProfiles::profiles, weight, OpCoverage::coverage},
#include "bgconform/alphabet.def"
#undef BGC_STIMULUS
}};

constexpr const OpRow& row_of(Op op) { return kAlphabet[static_cast<std::size_t>(op)]; }

// How a source answers from the next request or chunk on.
enum class Behaviour : std::uint8_t {
  Ok,              // 200, one chunk per second
  Slow,            // 200, one chunk per 10 s
  DelayedHeaders,  // 200 after a delay before the headers
  Http,            // an HTTP status (Stimulus::status)
  Refused,         // connection refused
  Reset,           // connection reset
  Stall,           // accepts, then sends nothing
  Present,         // local-file source: the file exists
  Missing,         // local-file source: the file does not exist
};
inline constexpr int kBehaviourCount = 9;

struct Stimulus {
  Op op = Op::GetState;
  std::uint8_t job = 0;                 // job slot (job calls)
  std::uint8_t index = 0;               // source id (AddFile, Source); handle slot (GetError, Error.*, ReleaseError);
                                        // 1 = up, 0 = down (Network)
  Behaviour behaviour = Behaviour::Ok;  // Source
  std::uint16_t status = 0;             // Source with Behaviour::Http
  std::uint32_t seconds = 0;            // Advance (lower bound), SetMinimumRetryDelay, SetNoProgressTimeout
  std::uint32_t seconds_max = 0;        // Advance upper bound (== seconds when exact)

  friend bool operator==(const Stimulus&, const Stimulus&) = default;
};

// Constructors that read like the text form.
namespace stim {
Stimulus create_job(int job);
Stimulus release_job(int job);
Stimulus add_file(int job, int source);
Stimulus call(Op op, int job);                                // Resume, Suspend, GetState, getters, ...
Stimulus with_source(Op op, int job, int source);             // AddFile
Stimulus with_handle(Op op, int job, int handle);             // GetError, Error.*, ReleaseError
Stimulus set_seconds(Op op, int job, std::uint32_t seconds);  // SetMinimumRetryDelay, SetNoProgressTimeout
Stimulus source(int id, Behaviour b, int status = 0);
Stimulus network(bool up);
Stimulus advance(std::uint32_t seconds);
Stimulus advance_between(std::uint32_t min_seconds, std::uint32_t max_seconds);
}  // namespace stim

// Every call on job slot `job`, CreateJob included, in the alphabet's order, each with every operand from
// these lists (a handle slot: both). For search alphabets (the benchmarks).
struct OperandValues {
  std::vector<int> sources;
  std::vector<std::uint32_t> retry_delays, timeouts;
};
std::vector<Stimulus> every_call(int job, const OperandValues& values);

inline constexpr bool is_environment(Op op) { return row_of(op).role == OpRole::Environment; }
// GetError, Error.* and ReleaseError name a handle slot: where the object goes, or which held one is meant.
inline constexpr bool takes_handle(Op op) { return row_of(op).operand == OpOperand::Handle; }
// Error.* calls act on a held error object, not on the job.
inline constexpr bool is_error_object_call(Op op) { return row_of(op).role == OpRole::ObjectCall; }

// Calls DO leaves undocumented (U-1, D-2; I-14): outside the do alphabet, `not-supported`, never judged.
inline constexpr bool undocumented_in_do(Op op) { return row_of(op).profiles == OpProfiles::BitsOnly; }

// What the implementation says of the protocol an error object names (Error.GetProtocol).
enum class Protocol : std::uint8_t { None, Http, File, Other };

// How the call ended, as the harness saw it.
enum class Outcome : std::uint8_t {
  Answered,      // the call returned; hr and the out-values are meaningful
  NotSupported,  // the implementation does not provide this call
  Crashed,       // the implementation died during the call
  TimedOut,      // the call did not return within the call timeout
};

// A crash or a hang: the target answers nothing more in this case.
constexpr bool ends_the_case(Outcome o) { return o == Outcome::Crashed || o == Outcome::TimedOut; }

// Which value of a success the interface has no meaning for (Observation::odd).
enum class OddAnswer : std::uint8_t {
  None,
  State,        // a state number past the last (CreateJob, GetState)
  Context,      // an error context number past the last (Error.GetError)
  NoObject,     // S_OK without the object the call hands out ("job=NULL" for CreateJob, else "object=NULL")
  ForeignFile,  // a file that is none of the job's (Error.GetFile)
};

// What the target answered to one stimulus. Which out-values are meaningful depends on the op;
// environment events answer S_OK with nothing else.
struct Observation {
  Outcome outcome = Outcome::Answered;
  HRESULT hr = hr::kS_OK;
  JobState state = JobState::Suspended;                  // GetState, CreateJob
  bool handle = false;                                   // GetError: a non-NULL error object came back
  ErrorContext context = ErrorContext::None;             // Error.GetError
  HRESULT code = hr::kS_OK;                              // Error.GetError
  std::int8_t file = -1;                                 // Error.GetFile: index of the file in its job, -1 NULL
  Protocol protocol = Protocol::None;                    // Error.GetProtocol
  std::uint32_t value = 0;                               // Get*RetryDelay/Timeout, GetErrorCount
  std::uint32_t files_total = 0, files_transferred = 0;  // GetProgress
  std::uint64_t bytes_total = 0, bytes_transferred = 0;  // GetProgress
  // A success with a value the interface has no meaning for, kept as it came: `hr` is then
  // hr::kOutOfRange (the rule that judges the call rejects it), `odd_hr` the code that came, and a
  // number out of range is in `value`. Printed "S_OK state=42 (out of range)".
  OddAnswer odd = OddAnswer::None;
  HRESULT odd_hr = hr::kS_OK;

  friend bool operator==(const Observation&, const Observation&) = default;
};
// The observation of a success `answered` whose `what` was out of range (`number`: the state or context).
Observation out_of_range(OddAnswer what, HRESULT answered, std::uint32_t number = 0);
inline constexpr std::uint64_t kSizeUnknown = ~std::uint64_t{0};  // BG_SIZE_UNKNOWN

// One applied stimulus and what came back.
struct Step {
  Stimulus stimulus;
  Observation observation;
};

// ---- Text form -------------------------------------------------------------------------------
// Stimulus:    "Resume j0", "AddFile j1 src2", "GetError j0 h1", "SetNoProgressTimeout j0 0s",
//              "Source src2 http(404)", "Network down", "Advance 6s", "Advance 1s..3s".
// Observation: "S_OK state=QUEUED", "0x8020000F", "S_OK context=REMOTE_FILE code=0x80190194",
//              "S_OK value=600", "S_OK files=1/2 bytes=1024/3072", "crash", "timeout", "not-supported";
//              out of range: "S_OK state=42 (out of range)", "S_OK context=9 code=0x80190194 (out of range)",
//              "S_OK job=NULL (out of range)", "S_OK file=foreign (out of range)".

std::string_view op_name(Op op);  // "Resume", "Error.GetFile", ...
std::string_view behaviour_name(Behaviour b);
std::string_view protocol_name(Protocol p);
std::string to_string(const Stimulus& s);
// Prints the out-values that are meaningful for the op that produced the observation.
std::string to_string(const Observation& o, Op op);
// "S_OK", "BG_E_INVALID_STATE" or "0x8020000F" for unknown codes.
std::string hresult_text(HRESULT h);
// Text from outside (a plugin's name, a broken file's line) shown on one line: each control character
// (a newline, a NUL) becomes '?', which still shows that something was there.
bool has_control_char(std::string_view text);
std::string one_line(std::string_view text);

// The result of a parse: a value, or an error that says what is wrong and at which column.
template <class T>
struct Parsed {
  T value{};
  std::string error;  // empty when the parse succeeded
  int column = 0;     // 1-based column of the error
  explicit operator bool() const { return error.empty(); }
};

Parsed<Stimulus> parse_stimulus(std::string_view line);
Parsed<Observation> parse_observation(std::string_view line);
Parsed<HRESULT> parse_hresult(std::string_view text);

}  // namespace bgc
