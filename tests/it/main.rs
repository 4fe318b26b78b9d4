//! The end-to-end tests, one module per concern, built as one test binary:
//! one link instead of fifteen, and tests of different modules run side by
//! side (`cargo test --release`; one module: `cargo test --release --test it
//! crash::`).

mod common;

mod brief;
mod changes;
mod cli;
mod crash;
mod extraction;
mod fuzz_regressions;
mod graph;
mod identity;
mod lac;
mod maps;
mod reliability;
mod serve;
mod shards;
mod spark;
