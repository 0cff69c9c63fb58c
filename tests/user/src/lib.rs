//! Tests written the way an application would, with only `aws-thin-ecr` as a dependency.
//!
//! The crate's only item is the README: every Rust block in it is a doc-test here, so an example
//! that does not compile with the README's own dependency snippet fails `cargo test`.

/// The project README, as doc-tests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct Readme;
