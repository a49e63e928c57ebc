// Which mutation a mutant plugin carries. mutant_plugin.cpp is compiled once for all mutants; each
// plugin adds a one-line source that CMake writes from its row of mutants.def or deep_mutants.def
// (catalogue 2, path-dependent faults), defining these two. One enum holds both catalogues.
#pragma once

namespace bgc::mutants {

enum class Mutant {
#define MUTANT(e, name, expected, profile, description) e,
#include "mutants.def"
#include "deep_mutants.def"
#undef MUTANT
  // Not a mistake of the catalogues (they measure the suite): a fault for the harness's own tests
  // (harness/sdk/tests). create_job crashes once its process has made kJobsBeforeTheCrash jobs over
  // all its cases: a crash that depends on earlier cases, which no case alone reaches.
  CrashAcrossCases,
};
inline constexpr int kJobsBeforeTheCrash = 100;

extern const Mutant kMutant;
extern const char* const kTableName;  // "bgconform mutant <name>": the table's description

}  // namespace bgc::mutants
