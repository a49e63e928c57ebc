// Each interpretation switch changes exactly the verdicts it should: the same steps pass under one
// value and fail (with the named rule) under the other.
#include <gtest/gtest.h>

#include "model_driver.h"

namespace bgc {
namespace {

using testing::ModelDriver;
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
  auto scenario = [](ModelDriver& m) {
    failed_job(m);
    m.ok("Advance 4s", "S_OK", {"ERROR"});
    m.ok("GetError j0 h0", "S_OK handle", {"ERROR"});
    m.ok("Error.GetError j0 h0", "S_OK context=REMOTE_FILE code=0x80190194", {"ERROR"});
    m.ok("Source src1 ok", "S_OK", {"ERROR"});
    m.ok("Resume j0", "S_OK", {"QUEUED"});
    m.ok("Advance 1s", "S_OK", {"TRANSFERRING"});
  };
  ModelDriver def;
  scenario(def);
  def.ok("Error.GetError j0 h0", "S_OK context=NONE code=0x80004005", {"TRANSFERRING"});
  ModelDriver snap(with(Profile::Bits, {"I-2=snapshot"}));
  scenario(snap);
  snap.fails("E-5", "Error.GetError j0 h0", "S_OK context=NONE code=0x80004005", {"TRANSFERRING"});
}

TEST(Interpretations, I3Strict5xxTransient) {
  ModelDriver def;
  failed_job(def, "http(503)");
  def.ok("Advance 4s", "S_OK", {"ERROR"});
  ModelDriver strict(with(Profile::Bits, {"I-3=strict-5xx-transient"}));
  failed_job(strict, "http(503)");
  strict.fails("ST-12", "Advance 4s", "S_OK", {"ERROR"});
}

TEST(Interpretations, I6ResumeOnTransferred) {
  auto scenario = [](ModelDriver& m) {
    m.ok("CreateJob j0", "S_OK", {"SUSPENDED"});
    m.ok("AddFile j0 src0", "S_OK", {"SUSPENDED"});
    m.ok("Resume j0", "S_OK", {"QUEUED"});
    m.ok("Advance 6s", "S_OK", {"TRANSFERRED"});
  };
  ModelDriver def;
  scenario(def);
  def.ok("Resume j0", "S_OK", {"TRANSFERRED"});
  ModelDriver strict(with(Profile::Bits, {"I-6=strict-empty"}));
  scenario(strict);
  strict.ok("Resume j0", "0x80200003", {"TRANSFERRED"});
  strict.fails("M-5", "Resume j0", "S_OK", {"TRANSFERRED"});
}

TEST(Interpretations, I7AddFileInFinalStates) {
  auto scenario = [](ModelDriver& m) {
    m.ok("CreateJob j0", "S_OK", {"SUSPENDED"});
    m.ok("Cancel j0", "S_OK", {"CANCELLED"});
  };
  ModelDriver def;
  scenario(def);
  def.fails("M-2", "AddFile j0 src0", "S_OK", {"CANCELLED"});
  ModelDriver either(with(Profile::Bits, {"I-7=either"}));
  scenario(either);
  either.ok("AddFile j0 src0", "S_OK", {"CANCELLED"});
}

TEST(Interpretations, I8CompleteCode) {
  auto scenario = [](ModelDriver& m) {
    m.ok("CreateJob j0", "S_OK", {"SUSPENDED"});
    m.ok("AddFile j0 src0", "S_OK", {"SUSPENDED"});
    m.ok("Resume j0", "S_OK", {"QUEUED"});
    m.ok("Advance 6s", "S_OK", {"TRANSFERRED"});
  };
  ModelDriver def;
  scenario(def);
  def.fails("M-7", "Complete j0", "BG_S_PARTIAL_COMPLETE", {"ACKNOWLEDGED"});
  ModelDriver either(with(Profile::Bits, {"I-8=either"}));
  scenario(either);
  either.ok("Complete j0", "BG_S_PARTIAL_COMPLETE", {"ACKNOWLEDGED"});
}

TEST(Interpretations, I10NetworkLoss) {
  auto scenario = [](ModelDriver& m) {
    m.ok("CreateJob j0", "S_OK", {"SUSPENDED"});
    m.ok("AddFile j0 src2", "S_OK", {"SUSPENDED"});
    m.ok("Resume j0", "S_OK", {"QUEUED"});
    m.ok("Advance 1s", "S_OK", {"TRANSFERRING"});
  };
  ModelDriver def;
  scenario(def);
  def.fails("ST-15", "Network down", "S_OK", {"TRANSFERRING"});
  ModelDriver either(with(Profile::Bits, {"I-10=either"}));
  scenario(either);
  either.ok("Network down", "S_OK", {"TRANSFERRING"});
}

TEST(Interpretations, I13CancelCode) {
  ModelDriver def;
  def.ok("CreateJob j0", "S_OK", {"SUSPENDED"});
  def.fails("M-6", "Cancel j0", "S_FALSE", {"CANCELLED"});
  ModelDriver either(with(Profile::Bits, {"I-13=either"}));
  either.ok("CreateJob j0", "S_OK", {"SUSPENDED"});
  either.ok("Cancel j0", "S_FALSE", {"CANCELLED"});
}

TEST(Interpretations, I4DoGetFile) {
  auto scenario = [](ModelDriver& m) {
    failed_job(m);
    m.ok("Advance 4s", "S_OK", {"ERROR"});
    m.ok("GetError j0 h0", "S_OK handle", {"ERROR"});
    m.ok("Error.GetError j0 h0", "S_OK context=NONE code=0x80190194", {"ERROR"});
  };
  ModelDriver def(with(Profile::Do));
  scenario(def);
  def.ok("Error.GetFile j0 h0", "S_OK file=0", {"ERROR"});
  ModelDriver strict(with(Profile::Do, {"I-4=strict"}));
  scenario(strict);
  strict.fails("E-6", "Error.GetFile j0 h0", "S_OK file=0", {"ERROR"});
}

TEST(Interpretations, TableHasEveryIdWithItsDefaultFirst) {
  ASSERT_EQ(16u, interpretation_table().size());
  Interpretations in_force;
  EXPECT_EQ("until-transferring", in_force.value(Interp::I1));
  EXPECT_EQ("", in_force.set("I-2=snapshot"));
  EXPECT_EQ("snapshot", in_force.value(Interp::I2));
  EXPECT_NE("", in_force.set("I-2=sometimes"));
  EXPECT_NE("", in_force.set("I-99=x"));
  EXPECT_NE("", in_force.set("nonsense"));
}

}  // namespace
}  // namespace bgc
