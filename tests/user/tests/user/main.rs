//! An application's tests of code that uses `aws-thin-ecr`: one test binary, one module per
//! concern.

mod errors;
mod mock;
