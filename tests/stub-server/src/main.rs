//! `stub-server`: serves the canned DeleteRepository 200 ([`stub_server::canned`]) to every
//! request on 127.0.0.1, in a process of its own so that a benchmark's figures (CPU time,
//! instruction counts) are the client's alone.
//!
//! ```text
//! cargo build --release -p stub-server
//! target/release/stub-server            # prints the port, then serves until stdin closes
//! ```
//!
//! It prints its port alone on the first line of stdout, then answers HTTP/1.1 requests
//! (keep-alive, any method and path, a Content-Length body) until its stdin reaches end of file
//! (keep a pipe open from the driver and close it to stop the server) or it is killed.

fn main() {
    if std::env::args().len() > 1 {
        eprintln!(
            "usage: stub-server (no arguments): prints its port on stdout, answers every request \
             with a DeleteRepository 200, exits when stdin closes"
        );
        std::process::exit(2);
    }
    stub_server::serve_until_stdin_closes(stub_server::Reply::Bytes(
        stub_server::canned::delete_repository_response(),
    ));
}
