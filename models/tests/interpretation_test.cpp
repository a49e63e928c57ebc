// Each interpretation switch changes exactly the verdicts it should: the same steps pass under one
// value and fail (with the named rule) under the other.
#include <gtest/gtest.h>

#include "model_driver.h"

namespace bgc {
namespace {

using testing::check_switch;
using testing::ModelDriver;
using testing::queued_job;
using testing::with;

void failed_job(ModelDriver& m, const std::string& behaviour = "http(404)") {
  m.ok("CreateJob j0", "S_OK", {"SUSPENDED"});
  m.ok("AddFile j0 src1", "S_OK", {"SUSPENDED"});
  m.ok("Source src1 " + behaviour, "S_OK", {"SUSPENDED"});
  m.ok("Resume j0", "S_OK", {"QUEUED"});
}

TEST(Interpretations, I1ErrorObjectAfterResume) {
  ModelDriver def;
  failed_job(def);
  def.ok("Advance 4s", "S_OK", {"ERROR"});
  def.ok("Resume j0", "S_OK", {"QUEUED"});
  def.fails("E-3", "GetError j0 h0", "0x8020000F", {"QUEUED"});
  for (const char* alt : {"I-1=either", "I-1=only-in-error-states"}) {
    ModelDriver m(with(Profile::Bits, {alt}));
    failed_job(m);
    m.ok("Advance 4s", "S_OK", {"ERROR"});
    m.ok("Resume j0", "S_OK", {"QUEUED"});
    m.ok("GetError j0 h0", "0x8020000F", {"QUEUED"});
  }
  ModelDriver strict(with(Profile::Bits, {"I-1=only-in-error-states"}));
  failed_job(strict);
  strict.ok("Advance 4s", "S_OK", {"ERROR"});
  strict.ok("Resume j0", "S_OK", {"QUEUED"});
  strict.fails("E-1", "GetError j0 h0", "S_OK handle", {"QUEUED"});
}

TEST(Interpretations, I2HeldObjectAfterTransferring) {
  check_switch({Profile::Bits,
                "I-2=snapshot",
                false,
                "E-5",
                "Error.GetError j0 h0",
                "S_OK context=NONE code=0x80004005",
                {"TRANSFERRING"}},
               [](ModelDriver& m) {
                 failed_job(m);
                 m.ok("Advance 4s", "S_OK", {"ERROR"});
                 m.ok("GetError j0 h0", "S_OK handle", {"ERROR"});
                 m.ok("Error.GetError j0 h0", "S_OK context=REMOTE_FILE code=0x80190194", {"ERROR"});
                 m.ok("Source src1 ok", "S_OK", {"ERROR"});
                 m.ok("Resume j0", "S_OK", {"QUEUED"});
                 m.ok("Advance 1s", "S_OK", {"TRANSFERRING"});
               });
}

TEST(Interpretations, I3Strict5xxTransient) {
  check_switch({Profile::Bits, "I-3=strict-5xx-transient", false, "ST-12", "Advance 4s", "S_OK", {"ERROR"}},
               [](ModelDriver& m) { failed_job(m, "http(503)"); });
}

TEST(Interpretations, I6ResumeOnTransferred) {
  auto transferred = [](ModelDriver& m) {
    queued_job(m);
    m.ok("Advance 6s", "S_OK", {"TRANSFERRED"});
  };
  check_switch({Profile::Bits, "I-6=strict-empty", false, "M-5", "Resume j0", "S_OK", {"TRANSFERRED"}}, transferred);
  ModelDriver strict(with(Profile::Bits, {"I-6=strict-empty"}));
  transferred(strict);
  strict.ok("Resume j0", "0x80200003", {"TRANSFERRED"});
}

TEST(Interpretations, I7AddFileInFinalStates) {
  check_switch({Profile::Bits, "I-7=either", true, "M-2", "AddFile j0 src0", "S_OK", {"CANCELLED"}},
               [](ModelDriver& m) {
                 m.ok("CreateJob j0", "S_OK", {"SUSPENDED"});
                 m.ok("Cancel j0", "S_OK", {"CANCELLED"});
               });
}

TEST(Interpretations, I8CompleteCode) {
  check_switch({Profile::Bits, "I-8=either", true, "M-7", "Complete j0", "BG_S_PARTIAL_COMPLETE", {"ACKNOWLEDGED"}},
               [](ModelDriver& m) {
                 queued_job(m);
                 m.ok("Advance 6s", "S_OK", {"TRANSFERRED"});
               });
}

TEST(Interpretations, I10NetworkLoss) {
  check_switch({Profile::Bits, "I-10=either", true, "ST-15", "Network down", "S_OK", {"TRANSFERRING"}},
               [](ModelDriver& m) {
                 queued_job(m, "src2");
                 m.ok("Advance 1s", "S_OK", {"TRANSFERRING"});
               });
}

TEST(Interpretations, I13CancelCode) {
  check_switch({Profile::Bits, "I-13=either", true, "M-6", "Cancel j0", "S_FALSE", {"CANCELLED"}},
               [](ModelDriver& m) { m.ok("CreateJob j0", "S_OK", {"SUSPENDED"}); });
}

TEST(Interpretations, I4DoGetFile) {
  check_switch({Profile::Do, "I-4=strict", false, "E-6", "Error.GetFile j0 h0", "S_OK file=0", {"ERROR"}},
               [](ModelDriver& m) {
                 failed_job(m);
                 m.ok("Advance 4s", "S_OK", {"ERROR"});
                 m.ok("GetError j0 h0", "S_OK handle", {"ERROR"});
                 m.ok("Error.GetError j0 h0", "S_OK context=NONE code=0x80190194", {"ERROR"});
               });
}

TEST(Interpretations, TableHasEveryIdWithItsDefaultFirst) {
  ASSERT_EQ(18u, interpretation_table().size());
  Interpretations in_force;
  EXPECT_EQ("until-transferring", in_force.value(Interp::I1));
  EXPECT_EQ("", in_force.set("I-2=snapshot"));
  EXPECT_EQ("snapshot", in_force.value(Interp::I2));
  EXPECT_NE("", in_force.set("I-2=sometimes"));
  EXPECT_NE("", in_force.set("I-99=x"));
  EXPECT_NE("", in_force.set("nonsense"));
}

// The model asks for values by name (InterpValue): each is in force exactly when the command line picked it.
TEST(Interpretations, AValueIsInForceExactlyWhenPicked) {
  Interpretations in_force;
  EXPECT_TRUE(in_force.is(InterpValue::I1_until_transferring));
  EXPECT_FALSE(in_force.is(InterpValue::I1_either));
  EXPECT_TRUE(in_force.is(InterpValue::I3_default));
  EXPECT_EQ("", in_force.set("I-1=either"));
  EXPECT_TRUE(in_force.is(InterpValue::I1_either));
  EXPECT_FALSE(in_force.is(InterpValue::I1_until_transferring));
  EXPECT_FALSE(in_force.is(InterpValue::I1_only_in_error_states));
  EXPECT_TRUE(in_force.is(InterpValue::I2_until_transferring));  // another interpretation's values are its own
  EXPECT_EQ("", in_force.set("I-18=either"));
  EXPECT_TRUE(in_force.is(InterpValue::I18_either));
  EXPECT_FALSE(in_force.is(InterpValue::I17_never));
  EXPECT_TRUE(in_force.is(InterpValue::I17_real_time_only));
}

}  // namespace
}  // namespace bgc

namespace bgc {
namespace {

using testing::ModelDriver;

// I-17: a healthy job's transient error, which only a real-time service may show: refused on the virtual
// clock (the harness owns the transport there), allowed in real time, refused there too with I-17=never.
void healthy_transient(ModelDriver& m, const char* rule_if_refused) {
  m.ok("CreateJob j0", "S_OK", {"SUSPENDED"});
  m.ok("AddFile j0 src0", "S_OK", {"SUSPENDED"});
  m.ok("Resume j0", "S_OK", {"QUEUED"});
  if (rule_if_refused)
    m.fails(rule_if_refused, "Advance 1s", "S_OK", {"TRANSIENT_ERROR"});
  else
    m.ok("Advance 1s", "S_OK", {"TRANSIENT_ERROR"});
}

TEST(Interpretations, I17TransientErrorsWithoutAScriptedCause) {
  ModelDriver virtual_clock;
  healthy_transient(virtual_clock, "ST-9");
  ModelConfig real_time;
  real_time.real_time = true;
  ModelDriver live(real_time);
  healthy_transient(live, nullptr);
  live.ok("GetError j0 h0", "S_OK handle", {"TRANSIENT_ERROR"});
  // A transport error, as a reset connection's (I-3): REMOTE_FILE, GENERAL_TRANSPORT or UNKNOWN.
  live.ok("Error.GetError j0 h0", "S_OK context=GENERAL_TRANSPORT code=0x80072EE2", {"TRANSIENT_ERROR"});
  ASSERT_EQ("", real_time.interpretations.set("I-17=never"));
  ModelDriver never(real_time);
  healthy_transient(never, "ST-9");
}

// A rule's message names the values it allowed (E-5: the contexts and codes of the error's cause).
TEST(Messages, AnErrorObjectsValuesAreListed) {
  ModelDriver m;
  failed_job(m);
  m.ok("Advance 4s", "S_OK", {"ERROR"});
  m.ok("GetError j0 h0", "S_OK handle", {"ERROR"});
  const StepCheck c = m.step("Error.GetError j0 h0", "S_OK context=LOCAL_FILE code=0x80190194", {"ERROR"});
  ASSERT_FALSE(c.ok);
  EXPECT_EQ("E-5", rule_id(c.rule));
  EXPECT_EQ("S_OK context=REMOTE_FILE code=BG_E_HTTP_ERROR_404", c.allowed);
}

}  // namespace
}  // namespace bgc

namespace bgc {
namespace {

// I-18: after TRANSFERRED the job's progress has its total and all of it; "either" keeps the looser
// reading (an unknown total is never judged).
TEST(Interpretations, I18ProgressAfterTransfer) {
  const auto transferred = [](testing::ModelDriver& m) {
    m.ok("CreateJob j0", "S_OK", {"SUSPENDED"});
    m.ok("AddFile j0 src0", "S_OK", {"SUSPENDED"});
    m.ok("Resume j0", "S_OK", {"QUEUED"});
    m.ok("Advance 6s", "S_OK", {"TRANSFERRED"});
  };
  testing::ModelDriver strict;
  transferred(strict);
  strict.ok("GetProgress j0", "S_OK files=1/1 bytes=1024/1024", {"TRANSFERRED"});
  strict.fails("P-1", "GetProgress j0", "S_OK files=1/1 bytes=1024/unknown", {"TRANSFERRED"});
  ModelConfig either;
  ASSERT_EQ("", either.interpretations.set("I-18=either"));
  testing::ModelDriver loose(either);
  transferred(loose);
  loose.ok("GetProgress j0", "S_OK files=1/1 bytes=1024/unknown", {"TRANSFERRED"});
  // Never more bytes than the sources serve, known total or not.
  loose.fails("P-1", "GetProgress j0", "S_OK files=1/1 bytes=4096/unknown", {"TRANSFERRED"});
}

}  // namespace
}  // namespace bgc

namespace bgc {
namespace {

// E-9: a first failure while connecting may count or not (I-15), but each failed retry counts.
TEST(ErrorCount, EachFailedRetryCounts) {
  testing::ModelDriver m;
  failed_job(m, "refused");
  m.ok("Advance 1s", "S_OK", {"TRANSIENT_ERROR"});
  m.ok("GetErrorCount j0", "S_OK value=0", {"TRANSIENT_ERROR"});
  m.ok("Advance 600s", "S_OK", {"CONNECTING"});  // the retry, due after 600 s, seen; it fails again
  m.ok("Advance 5s", "S_OK", {"TRANSIENT_ERROR"});
  m.fails("E-9", "GetErrorCount j0", "S_OK value=0", {"TRANSIENT_ERROR"});
}

}  // namespace
}  // namespace bgc
