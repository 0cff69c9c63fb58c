//! Nothing here: the benchmarks are in `benches/` (`per_call`, `side_by_side`); see BENCHMARKS.md.
