//! `platforma`: serve, migrate, create-admin, seed-demo, backup. See `platforma --help`.

fn main() -> std::process::ExitCode {
    server::cli::main()
}
