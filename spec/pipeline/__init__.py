"""The pipeline family's interface model: the graph format, the Beam-style API users write
pipelines in, the vetted function registry, stateful DoFns and metrics."""
