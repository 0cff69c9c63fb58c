//! `aws-thin-codegen`: generate a client crate from a Smithy model, or diff two models. See
//! [`aws_thin_codegen::cli::USAGE`].

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    aws_thin_codegen::cli::main_with_args(&args)
}
