// Which mutation a mutant plugin carries. mutant_plugin.cpp is compiled once for all mutants; each
// plugin adds a one-line source that CMake writes from its row of mutants.def, defining these two.
#pragma once

namespace bgc::mutants {

enum class Mutant {
#define MUTANT(e, name, expected, profile, description) e,
#include "mutants.def"
#undef MUTANT
};

extern const Mutant kMutant;
extern const char* const kTableName;  // "bgconform mutant <name>": the table's description

}  // namespace bgc::mutants
