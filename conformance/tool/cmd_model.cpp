// bgconform model --stats|--dot|--tour: the explorer on the contract's finite instance.
#include <iostream>

#include "bgconform/explorer.h"
#include "commands.h"
#include "options.h"

namespace bgc::tool {
namespace {

struct ModelCommand {
  ModelOptions options;
  bool stats = false, dot = false, tour = false;
  int max_steps = 40;

  int run() const {
    const ModelConfig config = options.config();
    JobModel model(config);
    Explorer explorer(model, ExplorerInstance::contract());
    explorer.run();
    const ExplorerStats& s = explorer.stats();
    if (dot) std::cout << explorer.dot();
    if (tour) {
      auto sequences = explorer.tour(max_steps);
      std::size_t steps = 0;
      for (std::size_t i = 0; i < sequences.size(); ++i) {
        std::cout << "# tour " << i + 1 << " of " << sequences.size() << " (" << sequences[i].size() << " steps)\n";
        for (const Stimulus& st : sequences[i]) std::cout << to_string(st) << "\n";
        steps += sequences[i].size();
      }
      std::cerr << sequences.size() << " sequences, " << steps << " steps\n";
    }
    if (stats || (!dot && !tour)) {
      const auto kinds = all_kinds(config.profile).size();
      std::cout << "profile " << name(config.profile) << ": the contract's instance (one job walked with its "
                << "environment; one source with ok/http(404)/refused; network up/down; retry delay 5 or 600 s; "
                << "no-progress timeout 0 or 1,209,600 s; up to 2 files)\n"
                << "  reachable states:                   " << s.states << "\n"
                << "  transitions:                        " << s.transitions << "\n"
                << "  job states reachable:               " << s.job_states << " of " << kJobStateCount << "\n"
                << "  (state, stimulus kind) pairs:       " << s.pairs << " of " << kJobStateCount * kinds << " ("
                << kinds << " kinds)\n"
                << "  (state, kind, next state) triples:  " << s.triples << "\n"
                << "  invariants: " << (s.invariant_failures.empty() ? "all hold" : "VIOLATED") << "\n";
      for (const auto& f : s.invariant_failures) std::cout << "    - " << f << "\n";
    }
    return s.invariant_failures.empty() ? kExitConformant : kExitDeviations;
  }
};

}  // namespace

void add_model_command(CLI::App& app, Runner& run) {
  auto* cmd = app.add_subcommand("model", "Explore the model: reachable counts, the state graph, a transition tour");
  auto m = std::make_shared<ModelCommand>();
  m->options.add_to(*cmd, false);
  cmd->add_flag("--stats", m->stats, "Print reachable states, transitions and (state, stimulus kind) pairs (default)");
  cmd->add_flag("--dot", m->dot, "Print the job-state graph in Graphviz DOT");
  cmd->add_flag("--tour", m->tour, "Print a transition tour: sequences in the one-line text form, one stimulus a line");
  cmd->add_option("--max-steps", m->max_steps,
                  "Longest tour sequence, except one that a single (state, kind) pair needs: a pair reached only in "
                  "more steps from a fresh service gets a sequence of its own that long")
      ->capture_default_str()
      ->check(positive_count());
  cmd->callback([&run, m] { run = [m] { return m->run(); }; });
}

}  // namespace bgc::tool
